"""Who has signed a statement and who has not, as a source lists them: '签署了《X》的 21 个…组织，即 A、B
和 C', '尚未签署《X》的…组织有：A、B', 'A、B 和 C 的行政首长签署了该声明', and a footnote that only lists
bodies after a sentence saying the statement was signed ('…该声明业经 23 个组织的行政首长通过并签署。⁸');
and who drew a statement up, in which year ('2018 年，管理问题高级别委员会和…拟定了相互承认声明').

A statement is one the reference data names (a unkg:Document with a Chinese title); 该声明 or 《声明》
stands for the one statement the sentence that carries the footnote's marker, or the paragraph before,
names. Every item of a list must be a known body, or none of the list is read: a list read in part
could be cut in the wrong place. Signing to come or asked for (将签署, 应签署, 敦促…签署, 请…签署) is
no signature, and a list that is not the signatories' (它们是秘书处的一部分, 包括…) is skipped within
its brackets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import XSD, Literal, URIRef
from rdflib.namespace import DCTERMS

from service.ingest.bodies import BodyIndex
from service.ingest.facts import Facts
from service.ingest.text import Paragraph, SourceText
from service.rdf import UNKG

_SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# A footnote marker as the raw text has it: <sup>8</sup> or ¹⁴.
_MARKER = re.compile(rf"<sup>\s*(\d+)\s*</sup>|([{_SUPERSCRIPT}]+)")
_STATEMENT = r"(?:《(?P<title>[^》]{1,30})》|(?P<bare>该声明|[^，。；：、\s《》的]{2,20}声明))"
# '签署了《X》的 21 个联检组参加组织，即 A、B' / '尚未签署《X》的联检组参加组织有：A、B'.
_RELATIVE = re.compile(
    rf"(?P<negation>尚未|未)?(?P<done>已)?签署(?P<le>了)?\s*{_STATEMENT}的[^，。；：:]{{0,20}}?"
    r"(?:组织|实体|机构)(?:[^，。；：:]{0,4}[，,]\s*即|有[：:]|为[：:]|[：:])(?P<list>[^。；]+)"
)
# 'A、B 和 C 的行政首长签署了该声明' (the list opens the sentence, after 迄今为止/到目前为止).
_SUBJECT = re.compile(rf"(?P<list>[^。；]+?)(?:的行政首长)?(?:已经?签署了?|签署了){_STATEMENT}[。；]?$")
_OPENING = re.compile(r"^(?:迄今为止|到目前为止|截至目前|目前)[，,]?\s*")
# A sentence that carries a footnote listing the signatories: the statement was signed.
_SIGNED = re.compile(r"(?:已经?|业经[^，。；]{0,30}?|并)签署|签署了")
_UNREALISED = re.compile(r"将|拟(?!定)|应|敦促|促请|请|呼吁|尚未|未|以便|有待|计划")


@dataclass(frozen=True)
class Signing:
    """`statement` is signed (or not, `signed` False) by `bodies`, stated from `start` to `end`."""

    statement: URIRef
    signed: bool
    bodies: tuple[URIRef, ...]
    start: int
    end: int


def signatories(source: SourceText, facts: Facts, bodies: BodyIndex) -> int:
    """State unkg:signatory and unkg:nonSignatory of the statements a source lists the signatories of;
    returns the number of (statement, body) pairs stated."""
    paragraphs = list(source.paragraphs())
    markers = _markers(source, paragraphs)
    stated: set[tuple[URIRef, URIRef, bool]] = set()

    def state(found: Signing, start: int, end: int) -> None:
        span = source.span(start, end)
        predicate = UNKG.signatory if found.signed else UNKG.nonSignatory
        for body in found.bodies:
            stated.add((found.statement, body, found.signed))
            facts.add(found.statement, predicate, body, span)

    for paragraph in paragraphs:
        context = _previous_text(paragraphs, paragraph)
        for found in read_signings(paragraph.text, bodies, context=context):
            first = source.line_at(paragraph, found.start)
            state(found, first, source.line_at(paragraph, max(found.start, found.end - 1)))
    # A footnote is a line of its own that opens with its marker, whatever paragraph the text's
    # layout glued it to.
    for number, raw in enumerate(source.raw, start=1):
        marker = _MARKER.match(raw.strip())
        if marker is None or not source.line(number):
            continue
        context, marked = markers.get(marker.group(1) or _digits(marker.group(2)), ("", 0))
        for found in read_signings(source.line(number), bodies, context=context, footnote=True):
            state(found, number, number)
            if marked:
                # The sentence the marker ends names the statement the footnote calls 该声明.
                state(found, marked, marked)
    return len(stated)


def read_signings(
    text: str, bodies: BodyIndex, *, context: str = "", footnote: bool = False
) -> list[Signing]:
    """The signings one paragraph states. `context` is the sentence that carries the paragraph's
    footnote marker (or the paragraph before), for 该声明 and for a footnote that only lists bodies."""
    text = _OPENING_MARK.sub("", text)
    found: list[Signing] = []
    position = 0
    for sentence in re.split(r"(?<=[。；])", text):
        start, position = position, position + len(sentence)
        found.extend(_relative(sentence, start, bodies, context))
        found.extend(_subject(sentence, start, bodies, context))
    if not found and footnote:
        found.extend(_bare_list(text, bodies, context))
    return found


_OPENING_MARK = re.compile(rf"^[{_SUPERSCRIPT}\d]+\s+")


def _relative(sentence: str, offset: int, bodies: BodyIndex, context: str) -> list[Signing]:
    found = []
    for match in _RELATIVE.finditer(sentence):
        before = sentence[max(0, match.start() - 4) : match.start()]
        if match.group("negation") is None and _unrealised(before, bodies):
            continue
        statement = _statement(match, bodies, context)
        listed = bodies.listed(match.group("list"))
        if statement is None or not listed:
            continue
        signed = match.group("negation") is None
        found.append(Signing(statement, signed, listed, offset + match.start(), offset + match.end()))
    return found


def _subject(sentence: str, offset: int, bodies: BodyIndex, context: str) -> list[Signing]:
    opening = _OPENING.match(sentence)
    start = opening.end() if opening else 0
    match = _SUBJECT.match(sentence, start)
    if match is None or _unrealised(sentence[start : match.end("list") + 4], bodies):
        return []
    statement = _statement(match, bodies, context)
    listed = bodies.listed(match.group("list"))
    if statement is None or not listed:
        return []
    return [Signing(statement, True, listed, offset + start, offset + match.end())]


def _bare_list(text: str, bodies: BodyIndex, context: str) -> list[Signing]:
    """A footnote that is nothing but a list of bodies, marked on a sentence saying one statement was
    signed (not to be signed, not unsigned)."""
    signed = _SIGNED.search(context)
    if signed is None:
        return []
    clause = max(context.rfind(mark, 0, signed.start()) for mark in "，,。；") + 1
    if _unrealised(context[clause : signed.end()], bodies):
        return []
    statement = _named_statement(context, bodies)
    listed = bodies.listed(text)
    if statement is None or not listed:
        return []
    return [Signing(statement, True, listed, 0, len(text))]


def _unrealised(text: str, bodies: BodyIndex) -> bool:
    """Whether `text`, the names of bodies left out (开发计划署 is no 计划), says the act is to come,
    asked for or not done."""
    for mention in reversed(bodies.find(text)):
        text = text[: mention.start] + "　" + text[mention.start + len(mention.name) :]
    return _UNREALISED.search(text) is not None


def _statement(match: re.Match[str], bodies: BodyIndex, context: str) -> URIRef | None:
    title = match.group("title") or match.group("bare")
    if title in ("该声明", "声明"):
        return _named_statement(context, bodies)
    return bodies.document_titled(title)


def _named_statement(text: str, bodies: BodyIndex) -> URIRef | None:
    """The one statement of the reference data `text` names, or None (none, or several)."""
    named = {document for title, document in bodies.document_titles() if title in text}
    return named.pop() if len(named) == 1 else None


def _markers(source: SourceText, paragraphs: list[Paragraph]) -> dict[str, tuple[str, int]]:
    """Each footnote number, with the sentence its marker ends in the running text (the text before
    the marker back to the sentence before it) and the marker's line. A marker opening a line is
    the footnote itself."""
    found: dict[str, tuple[str, int]] = {}
    for paragraph in paragraphs:
        raw = ""
        for number in range(paragraph.start, paragraph.end + 1):
            line = source.raw[number - 1].strip()
            for marker in _MARKER.finditer(line):
                if marker.start() == 0:
                    continue
                before = _MARKER.sub("", raw + line[: marker.start()])
                cut = max(before.rstrip("。；").rfind(mark) for mark in "。；")
                found.setdefault(marker.group(1) or _digits(marker.group(2)), (before[cut + 1 :], number))
            raw += line
    return found


def _previous_text(paragraphs: list[Paragraph], paragraph: Paragraph) -> str:
    index = paragraphs.index(paragraph)
    return paragraphs[index - 1].text + paragraph.text if index else paragraph.text


def _digits(superscript: str) -> str:
    return "".join(str(_SUPERSCRIPT.index(c)) for c in superscript)


# '2018年，<bodies>拟定了相互承认声明': who drew the statement up, and the year.
_DRAFTED = re.compile(
    r"(?:^|[，,。；])\s*(?:在\s*)?(?P<year>\d{4})\s*年[，,]\s*(?P<bodies>[^，,。；]+?)拟定了"
    r"(?P<title>[^，,。；《》\s]{2,16}声明)"
)


def drafters(source: SourceText, facts: Facts, bodies: BodyIndex) -> int:
    """State who drew up a statement the reference data names (unkg:preparedBy) and the year
    (dcterms:created), where every body of the list is known; return how many statements."""
    count = 0
    for number, line in source.numbered():
        for match in _DRAFTED.finditer(line):
            statement = bodies.document_titled(match.group("title"))
            listed = bodies.listed(match.group("bodies"))
            if statement is None or not listed:
                continue
            span = source.span(number)
            for body in listed:
                facts.add(statement, UNKG.preparedBy, body, span)
            facts.add(statement, DCTERMS.created, Literal(match.group("year"), datatype=XSD.gYear), span)
            count += 1
    return count
