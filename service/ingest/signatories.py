"""Who signed a statement a report names, and who has not, where the report lists them.

A list is read only where the text says whose it is and every item of it is a known body:
- '签署了《X》的 N 个…组织…，即 A、B…和 C。': the signatories, if the list names exactly N bodies;
- '…《X》/该声明…业经 N 个组织…签署。<sup>k</sup>': the signatories, if footnote k is a bare list of
  exactly N bodies (the footnote gives the names of the count its marker follows);
- '尚未签署《X》的…组织有：A、B…和 C。': those that had not signed it when the report was written.
An item may carry its short name or a note in brackets ('国际原子能机构(原子能机构)'); an item that is no
known body, or a count the list does not match, refuses the whole list. The statement is a document
known by its title (it has no symbol), the same node in every source that names it.
"""

from __future__ import annotations

import hashlib
import re

from rdflib import RDF, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS

from service.ingest.bodies import BodyIndex
from service.ingest.facts import Facts
from service.ingest.text import SourceText, chinese_number
from service.rdf import UNKG

_TITLE = r"《(?P<title>[^《》]{2,40})》"
_COUNT = r"(?P<count>\d+|[一二三四五六七八九十]+)\s*个"
_SIGNED_LIST = re.compile(
    rf"签署了{_TITLE}的\s*{_COUNT}[^，。；：:]*?(?:组织|机构)[^。；]*?[，,]\s*即(?P<list>[^。；]+)。"
)
_UNSIGNED_LIST = re.compile(rf"尚未签署{_TITLE}的[^：:。；]*?(?:组织|机构)有[：:](?P<list>[^。；]+)。?")
# '…拟定了相互承认声明，该声明业经23个组织的行政首长通过并签署。<sup>8</sup>'
# Done, not to be done: nothing between the count and 签署 says 将/拟/待/未/应.
_SIGNED_BY_COUNT = re.compile(
    rf"业经\s*{_COUNT}(?:组织|机构)(?:(?!将|拟|待|未|应)[^，。；])*?签署。<sup>(?P<mark>\w+)</sup>"
)
# The statement '该声明' stands for: in 《》, or named unquoted as what a verb made
# ('拟定了相互承认声明，该声明').
_NAMED_BEFORE = re.compile(
    r"《([^《》]{2,40})》|(?:拟定了|通过了|制定了|发布了)([^，,。；、\s《》]{2,16}声明)[，,]\s*该声明[^，,。；]*$"
)
_FOOTNOTE = re.compile(r"^\s*<sup>(?P<mark>\w+)</sup>\s*(?P<list>.+)$")


def statement_iri(facts: Facts, title: str) -> URIRef:
    """The node of a document known only by its title: the same for the same title in every source."""
    return facts.iri("document/titled-" + hashlib.sha1(title.encode()).hexdigest()[:12])


def _skip_brackets(text: str, position: int) -> int:
    """Where a bracketed note at `position` ends (nested brackets included), or `position`."""
    if position >= len(text) or text[position] not in "(（":
        return position
    depth = 0
    for index in range(position, len(text)):
        if text[index] in "(（":
            depth += 1
        elif text[index] in ")）":
            depth -= 1
            if depth == 0:
                return index + 1
    return len(text)


def bodies_listed(text: str, bodies: BodyIndex) -> list[URIRef] | None:
    """The bodies `text` lists ('A(a)、B 和 C'), or None if any item of it is no known body.

    A body named right after its parent is the one meant ('首协会管理问题高级别委员会' is HLCM).
    """
    found: list[URIRef] = []
    position, text = 0, text.strip().rstrip("。.")
    while position < len(text):
        mention = next((m for m in bodies.find(text[position:]) if m.start == 0), None)
        if mention is not None:
            body, position = mention.body, position + len(mention.name)
            position = _skip_brackets(text, position)
            part = next((m for m in bodies.find(text[position:]) if m.start == 0), None)
            if part is not None and body in bodies.parents(part.body):
                body, position = part.body, position + len(part.name)
        else:
            item = re.match(r"[^、，,(（)）]+?(?=[、(（]|和|$)", text[position:])
            exact = bodies.lookup(item.group()) if item else None
            if item is None or exact is None:
                return None
            body, position = exact, position + len(item.group())
        position = _skip_brackets(text, position)
        found.append(body)
        separator = re.match(r"\s*(?:、|和|及|以及)\s*", text[position:])
        if separator is None:
            break
        position += separator.end()
    return found if position >= len(text) and found else None


def add_signatories(source: SourceText, facts: Facts, bodies: BodyIndex) -> int:
    """State who signed, and who has not signed, the statements `source` lists; return how many."""
    count = 0
    for number, line in source.numbered():
        raw = source.raw[number - 1]
        for match in _SIGNED_LIST.finditer(line):
            listed = bodies_listed(match.group("list"), bodies)
            if listed is not None and len(set(listed)) == chinese_number(match.group("count")):
                count += _state(source, facts, match.group("title"), UNKG.signatory, listed, number)
        for match in _UNSIGNED_LIST.finditer(line):
            listed = bodies_listed(match.group("list"), bodies)
            if listed is not None:
                count += _state(source, facts, match.group("title"), UNKG.nonSignatory, listed, number)
        for match in _SIGNED_BY_COUNT.finditer(raw):
            before = raw[: match.start()]
            sentence = re.split(r"[。；]", before)[-1]
            title = re.search(_NAMED_BEFORE, sentence)
            footnote = _footnote(source, match.group("mark"), after=number)
            if title is None or footnote is None:
                continue
            listed = bodies_listed(footnote[1], bodies)
            if listed is not None and len(set(listed)) == chinese_number(match.group("count")):
                name = title.group(1) or title.group(2)
                count += _state(source, facts, name, UNKG.signatory, listed, number, footnote[0])
    return count


# '2018年，<bodies>拟定了相互承认声明': who drew the statement up, and the year.
_DRAFTED = re.compile(
    r"(?:^|[，,。；])\s*(?:在\s*)?(?P<year>\d{4})\s*年[，,]\s*(?P<bodies>[^，,。；]+?)拟定了(?P<title>[^，,。；《》\s]{2,16}声明)"
)


def add_drafters(source: SourceText, facts: Facts, bodies: BodyIndex) -> int:
    """State who drew up a statement `source` lists signatories of, and in which year; return how many."""
    count = 0
    for number, line in source.numbered():
        for match in _DRAFTED.finditer(line):
            statement = statement_iri(facts, match.group("title"))
            listed = bodies_listed(match.group("bodies"), bodies)
            if listed is None or (statement, DCTERMS.title, None) not in facts.graph:
                continue
            span = source.span(number)
            for body in dict.fromkeys(listed):
                facts.add(statement, UNKG.preparedBy, body, span)
            facts.add(statement, DCTERMS.created, Literal(match.group("year"), datatype=XSD.gYear), span)
            count += 1
    return count


def _footnote(source: SourceText, mark: str, *, after: int) -> tuple[int, str] | None:
    """(line, text) of footnote `mark`, the first after line `after`."""
    for number in range(after, min(after + 40, len(source)) + 1):
        found = _FOOTNOTE.match(source.raw[number - 1])
        if found and found.group("mark") == mark:
            return number, found.group("list")
    return None


def _state(
    source: SourceText,
    facts: Facts,
    title: str,
    predicate: URIRef,
    listed: list[URIRef],
    line: int,
    footnote: int | None = None,
) -> int:
    statement = statement_iri(facts, title)
    span = source.span(line)
    facts.add(statement, RDF.type, UNKG.Document, span)
    facts.text(statement, DCTERMS.title, title, span)
    for body in dict.fromkeys(listed):
        facts.add(statement, predicate, body, span)
        if footnote is not None:
            facts.add(statement, predicate, body, source.span(footnote))
    return len(set(listed))
