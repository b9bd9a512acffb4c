"""When bodies were founded and what they became, as any report states it in passing: '该工作组成立于
2017 年 11 月', '共同采购活动组于 1952 年 5 月在日内瓦成立', '该小组转变为 A 和 B'. Who founded a body,
where a sentence says so ('X 设立了 Y'), is an act that `narrative.actions` reads."""

from __future__ import annotations

import re

from rdflib import RDF, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG

from service.ingest.bodies import BodyIndex, Mention
from service.ingest.facts import Facts
from service.ingest.narrative import JOINER, SENTENCE, clause_start
from service.ingest.text import SourceText
from service.rdf import UNKG

_WHEN = r"(\d{4})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)?"
# '<body>成立于 2017 年 11 月', '<body>于 1952 年 5 月在日内瓦成立'; not '自…成立以来', not '成立七十五周年'.
_FOUNDED = re.compile(
    rf"[”」》\"]?\s*(?:(?:成立|设立|创立|创建)于\s*{_WHEN}(?![\d年])|于\s*{_WHEN}\s*(?:在[^，。；]{{1,8}})?(?:成立|设立|创立|创建)(?!以来|之前|以前|周年|的|\d))"
)
# '<body>(后来)转变为 A 和 B': the body became others; 将 X 转变为 (a decision), 改为在线形式 and 并入 (merged
# into a body that was there before) are not it.
_BECAME = re.compile(r"\s*(?:后来|随后|已|已经)?\s*(?:转变为|改组为|更名为|改名为)")
_UNREALISED = re.compile(r"将|拟|决定|建议|提议|应|可能|计划|有待|尚未|以便")
_NOUN = re.compile(r"该(委员会|工作组|工作队|小组|网络|机构|中心|办公室|部|司|厅)")


def establishments(source: SourceText, facts: Facts, bodies: BodyIndex) -> int:
    """State when named bodies were founded and what they became, where a sentence says so."""
    count = 0
    for paragraph in source.paragraphs():
        named = bodies.find(paragraph.text)
        for sentence in SENTENCE.finditer(paragraph.text):
            text = sentence.group(0)
            for subject in _subjects(text, named, sentence.start()):
                end = subject.start + len(subject.name)
                line = source.line_at(paragraph, sentence.start() + subject.start)
                founded = _FOUNDED.match(text, end)
                if founded is not None:
                    parts = list(founded.groups())
                    value = _value(parts[0:3] if parts[0] else parts[3:6])
                    if (subject.body, UNKG.established, None) not in facts.graph:
                        facts.add(subject.body, UNKG.established, value, source.span(line))
                        count += 1
                    continue
                became = _BECAME.match(text, end)
                if became is None or _UNREALISED.search(
                    text[clause_start(text, subject.start) : subject.start]
                ):
                    continue
                resulting = _listed(text, bodies.find(text), became.end())
                if not resulting:
                    continue
                count += 1
                event = facts.iri(f"change/{facts.source_slug}/{line}")
                span = source.span(line)
                facts.add(event, RDF.type, ORG.ChangeEvent, span)
                facts.text(event, DCTERMS.description, text.strip(), span)
                facts.add(event, ORG.originalOrganization, subject.body, span)
                facts.add(subject.body, ORG.changedBy, event, span)
                for body in resulting:
                    facts.add(event, ORG.resultingOrganization, body, span)
                    facts.add(body, ORG.resultedFrom, event, span)
    return count


def _value(parts: list[str | None]) -> Literal:
    year, month, day = parts
    if day is not None and month is not None:
        return Literal(f"{int(year or 0):04d}-{int(month):02d}-{int(day):02d}", datatype=XSD.date)
    if month is not None:
        return Literal(f"{int(year or 0):04d}-{int(month):02d}", datatype=XSD.gYearMonth)
    return Literal(year, datatype=XSD.gYear)


def _subjects(text: str, named: list[Mention], offset: int) -> list[Mention]:
    """The bodies `text` names, and the ones it refers to as 该工作组 or 该小组: the body named last
    before it in its sentence whose name ends with that noun, else the only such body named before it
    in the paragraph."""
    found = [
        Mention(m.body, m.name, m.start - offset) for m in named if offset <= m.start < offset + len(text)
    ]
    for noun in _NOUN.finditer(text):
        in_sentence = [m for m in found if m.start < noun.start() and m.name.endswith(noun.group(1))]
        earlier = {m.body for m in named if m.start < offset and m.name.endswith(noun.group(1))}
        if in_sentence:
            found.append(Mention(in_sentence[-1].body, noun.group(0), noun.start()))
        elif len(earlier) == 1:
            found.append(Mention(next(iter(earlier)), noun.group(0), noun.start()))
    return sorted(found, key=lambda m: m.start)


def _listed(text: str, mentions: list[Mention], start: int) -> list[URIRef]:
    """The bodies named one after another from `start` ('A 和 B'), none if the first is not there."""
    by_start = {m.start: m for m in mentions}
    listed: list[URIRef] = []
    at = start
    while (mention := by_start.get(at)) is not None:
        listed.append(mention.body)
        joiner = JOINER.match(text, mention.start + len(mention.name))
        if joiner is None:
            break
        at = joiner.end()
    return listed
