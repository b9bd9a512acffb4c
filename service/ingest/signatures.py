"""Instruments a report names by title (《相互承认声明》): who signed them, as the text lists them
('签署了《X》的21个…组织…，即 A、B…和 Z。', or '该声明业经23个组织的行政首长通过并签署。' with a
footnote listing them), who drafted them ('A 和 B 拟定了 X') and the year they were issued ('2018年
签署并发布的《X》', as dcterms:date). A list is read only if it holds names alone and as many as the
sentence counts, so a name the reference data does not know leaves the whole list out."""

from __future__ import annotations

import re

from rdflib import RDF, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS

from service.ingest.bodies import BodyIndex, Mention
from service.ingest.facts import Facts
from service.ingest.narrative import JOINER, SENTENCE, action_iri, instrument
from service.ingest.text import SourceText, Span, chinese_number
from service.rdf import UNKG

# '签署了《X》的 21 个…组织…，即'; 未签署 and 尚未签署 (have not signed) are no signature.
_SIGNED = re.compile(
    r"(?<![未没])签署了\s*(《[^》]+》)\s*的\s*(\d+|[一二三四五六七八九十]+)\s*个[^，,。；;：:]*?(?:组织|机构|实体)"
    r"[^，,。；;：:]*?[，,]\s*即\s*([^。；;]+)"
)
# '拟定了相互承认声明，该声明业经23个组织的行政首长通过并签署。<sup>8</sup>': the count, and the
# footnote the mark points to lists them.
_COUNTED = re.compile(
    r"(?:了|的|《)\s*([^，,。；;、了的《》\s]{2,20}?(声明|协定|公约|备忘录|议定书|宪章))》?\s*[，,]\s*该\2\s*"
    r"(?:业经|已经|经)\s*(\d+)\s*个(?:组织|机构|实体)的?(?:行政首长)?(?:通过并|通过和)?签署[。，,；;]?\s*<sup>(\d+)</sup>"
)
# 'A 和 B 拟定了相互承认声明': who drafted an instrument named by its title.
_DRAFTED = re.compile(
    r"拟定了\s*(《[^》]+》|[^，,。；;、了的《》\s]{2,20}?(?:声明|协定|公约|备忘录|议定书|宪章))(?=[，,。；;]|$)"
)
# '2018年签署并发布的《X》', '2018 年发布的《X》': the year the instrument was issued.
_ISSUED = re.compile(r"(\d{4})\s*年\s*(?:签署(?:并|和)\s*)?(?:发布|印发)的\s*(《[^》]+》)")
_UNREALISED = re.compile(r"将|拟(?!定)|计划|预计|有待|尚未|以便")
# What may stand between the names of a list: separators, footnote marks, and bracketed asides
# ('联合国秘书处(包括…，它们是秘书处的一部分)'), whose bodies are not the list's.
_SEPARATOR = re.compile(r"[\s、，,]|以及|和|及|[¹²³⁴⁵⁶⁷⁸⁹⁰]|<sup>\w+</sup>")


def signatures(source: SourceText, facts: Facts, report: URIRef, bodies: BodyIndex) -> int:
    """State who signed each instrument `source` lists the signatories of, and the year it was issued."""
    count = 0
    taken: dict[tuple[int, str], int] = {}
    for paragraph in source.paragraphs():
        for sentence in SENTENCE.finditer(paragraph.text):
            text = sentence.group(0)
            for issued in _ISSUED.finditer(text):
                if _UNREALISED.search(text[: issued.start()].rsplit("，", 1)[-1]):
                    continue
                line = source.line_at(paragraph, sentence.start() + issued.start())
                node = instrument(facts, issued.group(2), source.span(line))
                if (node, DCTERMS.date, None) not in facts.graph:
                    facts.add(
                        node, DCTERMS.date, Literal(issued.group(1), datatype=XSD.gYear), source.span(line)
                    )
            for drafted in _DRAFTED.finditer(text):
                drafters = _drafters(text, bodies.find(text), drafted.start())
                if not drafters or _UNREALISED.search(text[: drafters[0].start].rsplit("，", 1)[-1]):
                    continue
                line = source.line_at(paragraph, sentence.start() + drafted.start())
                node = instrument(facts, drafted.group(1), source.span(line))
                for drafter in drafters:
                    facts.add(node, UNKG.preparedBy, drafter.body, source.span(line))
            found = _SIGNED.search(text)
            if found is None:
                continue
            signatories = _listed(found.group(3), bodies)
            stated = found.group(2)
            if not signatories or len(signatories) != (
                int(stated) if stated.isdigit() else chinese_number(stated)
            ):
                continue
            line = source.line_at(paragraph, sentence.start() + found.start())
            span = source.span(line, source.line_at(paragraph, sentence.start() + found.end() - 1))
            node = instrument(facts, found.group(1), span)
            for body in signatories:
                count += 1
                _signed(facts, action_iri(facts, line, "signed", taken), body, node, report, text, span)
    return count + _footnoted(source, facts, report, bodies, taken)


def _footnoted(
    source: SourceText, facts: Facts, report: URIRef, bodies: BodyIndex, taken: dict[tuple[int, str], int]
) -> int:
    """Signatories a footnote lists for a sentence that counts them: the act is stated by the sentence
    (its line is the evidence of the act) and who signed by the footnote (the evidence of each actor)."""
    count = 0
    for number, raw in enumerate(source.raw, start=1):
        found = _COUNTED.search(raw)
        if found is None or _UNREALISED.search(raw[: found.start()].rsplit("，", 1)[-1]):
            continue
        mark = re.compile(rf"^\s*<sup>{found.group(4)}</sup>")
        # The footnote a mark points to is the first below it with that number (page footnotes restart).
        note = next(
            (n for n in range(number + 1, len(source.raw) + 1) if mark.match(source.raw[n - 1])), None
        )
        if note is None:
            continue
        listing = re.sub(rf"^\s*<sup>{found.group(4)}</sup>\s*", "", source.raw[note - 1]).strip()
        signatories = _listed(listing, bodies)
        if len(signatories) != int(found.group(3)):
            continue
        sentence = next(
            (s.group(0) for s in SENTENCE.finditer(source.line(number)) if found.group(1) in s.group(0)),
            source.line(number),
        )
        span, note_span = source.span(number), source.span(note)
        node = instrument(facts, found.group(1), span)
        for body in signatories:
            count += 1
            action = action_iri(facts, note, "signed", taken)
            _signed(facts, action, body, node, report, sentence, span, actor_span=note_span)
    return count


def _signed(
    facts: Facts,
    action: URIRef,
    body: URIRef,
    node: URIRef,
    report: URIRef,
    sentence: str,
    span: Span,
    *,
    actor_span: Span | None = None,
) -> None:
    """State that `body` signed `node`, the actor backed by `actor_span` where a footnote names it."""
    facts.add(action, RDF.type, UNKG.BodyAction, span)
    facts.add(action, UNKG.actor, body, actor_span or span)
    facts.add(action, UNKG.actionType, facts.iri("action-type/signed"), span)
    facts.add(action, UNKG.actionObject, node, span)
    facts.add(action, UNKG.reportedIn, report, span)
    facts.text(action, DCTERMS.description, sentence.strip(), span)


def _drafters(text: str, mentions: list[Mention], verb: int) -> list[Mention]:
    """The bodies named one after another ('A 和 B') right before the verb; a body whose name runs on
    into the next ('首协会)管理问题高级别委员会') is that one's parent, not a drafter of its own."""
    ending = [m for m in mentions if re.fullmatch(r"\s*", text[m.start + len(m.name) : verb])]
    if not ending:
        return []
    drafters = [ending[-1]]
    for mention in reversed([m for m in mentions if m.start < drafters[0].start]):
        if not JOINER.fullmatch(text, mention.start + len(mention.name), drafters[0].start):
            break
        drafters.insert(0, mention)
    return drafters


def _listed(text: str, bodies: BodyIndex) -> list[URIRef]:
    """The bodies a list names outside brackets, or none if anything but names and separators is in it."""
    depth, rest = 0, []
    for char in text:
        if char in "(（":
            depth += 1
        elif char in ")）":
            depth = max(depth - 1, 0)
        elif depth == 0:
            rest.append(char)
    kept = "".join(rest)
    mentions = bodies.find(kept)
    leftover = kept
    for mention in sorted(mentions, key=lambda m: -m.start):
        leftover = leftover[: mention.start] + "、" + leftover[mention.start + len(mention.name) :]
    listed = [m.body for m in mentions]
    # A whole item the index leaves out as too generic in running text ('…、联合国、…') is a name here.
    for item in _SEPARATOR.split(leftover.rstrip("。")):
        if not item:
            continue
        body = bodies.lookup(item)
        if body is None:
            return []
        listed.append(body)
    return list(dict.fromkeys(listed))
