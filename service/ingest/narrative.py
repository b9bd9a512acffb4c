"""What narrative reports (CEB overviews, reports of the Secretary-General) share: numbered sections,
what bodies approved, endorsed, established or decided, what resolutions requested, which resolution
requested the report, and the changes that created or replaced bodies. Read from paragraphs, since
the PDF text breaks sentences and names across lines.
"""

from __future__ import annotations

import re

from rdflib import RDF, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, SKOS

from service.ingest.bodies import BodyIndex, Mention
from service.ingest.chairs import chairs
from service.ingest.citations import document
from service.ingest.dates import date_range
from service.ingest.facts import Facts
from service.ingest.parents import read_parents
from service.ingest.symbols import find_resolutions
from service.ingest.text import Paragraph, SourceText, chinese_number
from service.rdf import UNKG

_SECTION = re.compile(r"^([一二三四五六七八九十]+)\s*[.．、]\s*(\S[^。]{0,50})$")
_SUBSECTION = re.compile(r"^([A-H])\s*[.．]\s*(\S[^。]{0,50})$")
# Verbs of the action-type scheme, as the reports write them. '通过' alone also means 'through'.
_VERBS = [
    ("核准", "approved"),
    ("批准", "approved"),
    ("核可", "endorsed"),
    ("设立了", "established"),
    ("成立了", "established"),
    ("通过了", "adopted"),
    ("决定", "decided"),
    ("欢迎", "welcomed"),
]
_VERB = re.compile("|".join(re.escape(verb) for verb, _ in _VERBS))
_ACTION_TYPES = dict(_VERBS)
_SENTENCE = re.compile(r"[^。；]+[。；]?")
_CLAUSE_BREAK = re.compile(r"[，,：:；;]")
# What opens a sentence before its subject: a paragraph number, a footnote mark, a list letter.
_OPENING = re.compile(r"\s*(?:\d+\.\s*|[¹²³⁴⁵⁶⁷⁸⁹⁰]+\s*|\([a-z]\)\s*)?")
# 决定 is a noun, not 'decided', after a measure word, 的 or a verb that takes it as object (各项决定,
# 执行决定, 作出决定), or before a noun or 的 (决定因素, 决定草案); '决定，' is still 'decided, …'.
_NOUN_BEFORE = re.compile(r"(?:的|项|各|该|此|这|其|号|作出|做出|执行|落实)$")
_NOUN_AFTER = re.compile(r"(?:因素|权|性|草案|的)")
# A clause that says the act is yet to come, was proposed or did not happen: 将获得批准, 供…核可,
# 拟, 有待, 以便…作出决定, 尚未核准. 提供 and 供应 are not 供; 未来 is not 未.
_UNREALISED = re.compile(r"将|拟|(?<!提)供(?!应)|有待|以便|以期|应当|应该|必须|需要|可能|尚未|未(?!来)|没有")
_OBJECT_END = re.compile(r"(?:[，,。；;、]|和|及|$)")


def sections(source: SourceText, facts: Facts, report: URIRef) -> int:
    """Numbered headings (一. 引言; A. 气候行动) as sections, a letter numbered under its chapter."""
    chapter = ""
    count = 0
    for number, line in source.numbered():
        if "\t" in source.raw[number - 1]:
            continue  # a table-of-contents row (heading, paragraphs, page), not the heading itself
        found = _SECTION.match(line)
        if found and not line.endswith(("。", "：")):
            chapter, label = found.group(1), found.group(1)
        else:
            found = _SUBSECTION.match(line)
            if not found or not chapter or line.endswith(("。", "：")):
                continue
            label = f"{chapter}.{found.group(1)}"
        title = found.group(2).strip()
        section = facts.iri(f"section/{_slug(report)}/{label}")
        span = source.span(number)
        facts.add(report, UNKG.hasSection, section, span)
        facts.add(section, RDF.type, UNKG.Section, span)
        facts.add(section, UNKG.sectionNumber, Literal(label), span)
        facts.text(section, DCTERMS.title, title, span)
        count += 1
    return count


def _date(sentence: str) -> Literal | None:
    full = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", sentence)
    if full:
        return Literal(f"{int(full[1]):04d}-{int(full[2]):02d}-{int(full[3]):02d}", datatype=XSD.date)
    month = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月", sentence)
    if month:
        return Literal(f"{int(month[1]):04d}-{int(month[2]):02d}", datatype=XSD.gYearMonth)
    return None


def actions(source: SourceText, facts: Facts, report: URIRef, bodies: BodyIndex) -> int:
    """Sentences where a named body approved, endorsed, established, adopted, decided or welcomed."""
    count = 0
    for paragraph in source.paragraphs():
        for sentence in _SENTENCE.finditer(paragraph.text):
            text = sentence.group(0)
            verb = next((v for v in _VERB.finditer(text) if not _is_noun(text, v)), None)
            if verb is None:
                continue
            clause = _clause_start(text, verb.start())
            if _UNREALISED.search(text[clause : verb.start()]):
                continue
            mentions = bodies.find(text)
            before = [m for m in mentions if m.start + len(m.name) <= verb.start()]
            actor = _actor(text, before, clause)
            if actor is None:
                continue
            # A date or session names the actor's act only if no other body stands between them.
            previous = [m for m in before if m.start < actor.start]
            window = text[previous[-1].start + len(previous[-1].name) if previous else 0 : verb.start()]
            line = source.line_at(paragraph, sentence.start() + verb.start())
            count += 1
            action = facts.iri(f"action/{facts.source_slug}/{line}-{count}")
            span = source.span(line)
            facts.add(action, RDF.type, UNKG.BodyAction, span)
            facts.add(action, UNKG.actor, actor.body, span)
            facts.add(action, UNKG.actionType, facts.iri(f"action-type/{_ACTION_TYPES[verb.group(0)]}"), span)
            facts.add(action, UNKG.reportedIn, report, span)
            facts.text(action, DCTERMS.description, text.strip(), span)
            # A date after the verb is of what was acted on (a summit convened, a reform in force).
            when = _date(window)
            if when is not None:
                facts.add(action, DCTERMS.date, when, span)
            session = re.search(r"第([一二三四五六七八九十]+)届会议", window)
            if session:
                _session(facts, action, actor, chinese_number(session.group(1)), span)
            for mention in _objects(text, mentions, verb.end()):
                if mention.body != actor.body:
                    facts.add(action, UNKG.actionObject, mention.body, span)
            # "大会第 72/266 B 号决议核准…": the resolution the body acted in stands between it and the verb.
            for resolution in find_resolutions(text[actor.start : verb.start()]):
                facts.add(action, UNKG.inResolution, document(facts, resolution.symbol, line, source), span)
    return count


def _is_noun(text: str, verb: re.Match[str]) -> bool:
    """Whether this 决定 is 'a decision', not 'decided'; the other verbs are verbs where they stand."""
    if verb.group(0) != "决定":
        return False
    return bool(_NOUN_BEFORE.search(text[: verb.start()]) or _NOUN_AFTER.match(text, verb.end()))


def _clause_start(text: str, position: int) -> int:
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text, 0, position)]
    return breaks[-1] if breaks else 0


def _actor(text: str, before: list[Mention], clause: int) -> Mention | None:
    """The body named last in the verb's clause, else the body the sentence opens with, if it is
    the only one named before the verb ('大会在第 60/283 号决议中，批准…'); a body named elsewhere
    in an earlier clause is no actor ('协调会赞同高管会…的倡议，并且决定…' is CEB deciding)."""
    in_clause = [m for m in before if m.start >= clause]
    if in_clause:
        return in_clause[-1]
    opening = _OPENING.match(text)
    if len(before) == 1 and opening is not None and before[0].start == opening.end():
        return before[0]
    return None


def _objects(text: str, mentions: list[Mention], verb_end: int) -> list[Mention]:
    """Bodies the verb acts on: named in its clause and ending a phrase (设立了 X，), not a body whose
    paper, member or conclusions were acted on (核准了 X 的职权范围, 核可 X 第五十九届会议报告所载的…)."""
    clause_end = _CLAUSE_BREAK.search(text, verb_end)
    end = clause_end.start() if clause_end else len(text)
    return [
        m for m in mentions if verb_end <= m.start < end and _OBJECT_END.match(text, m.start + len(m.name))
    ]


def structure(source: SourceText, facts: Facts, bodies: BodyIndex) -> int:
    """The structure as the report states it: a name that spells out its parent (管理问题高级别委员会
    采购网络), '…附属机制即 A 和 B' listing a body's subsidiaries, a part named with its parent
    (service.ingest.parents), and who chairs a body (service.ingest.chairs)."""
    stated: set[tuple[URIRef, URIRef, URIRef]] = set()
    for paragraph in source.paragraphs():
        mentions = bodies.find(paragraph.text)
        line_starts = _line_starts(source, paragraph)
        for link in read_parents(paragraph.text, mentions, bodies, line_starts=line_starts):
            if (link.child, link.predicate, link.parent) not in stated:
                stated.add((link.child, link.predicate, link.parent))
                span = source.span(
                    source.line_at(paragraph, link.start), source.line_at(paragraph, link.end - 1)
                )
                facts.add(link.child, link.predicate, link.parent, span)
        for mention in mentions:
            for predicate, parent in bodies.stated_parents(mention):
                if (mention.body, predicate, parent) not in stated:
                    stated.add((mention.body, predicate, parent))
                    facts.add(
                        mention.body, predicate, parent, source.span(source.line_at(paragraph, mention.start))
                    )
        for listing in re.finditer(r"附属(?:机制|机构)即([^，。；]+)", paragraph.text):
            before = [m for m in mentions if m.start < listing.start()]
            if not before:
                continue
            parent_body = before[-1].body
            for child in mentions:
                if listing.start(1) <= child.start < listing.end(1) and child.body != parent_body:
                    key = (child.body, ORG.subOrganizationOf, parent_body)
                    if key not in stated:
                        stated.add(key)
                        line = source.line_at(paragraph, child.start)
                        facts.add(child.body, ORG.subOrganizationOf, parent_body, source.span(line))
    return len(stated) + chairs(source, facts, bodies)


def _line_starts(source: SourceText, paragraph: Paragraph) -> frozenset[int]:
    """The offsets in `paragraph`'s text where its second and later lines begin, as paragraphs()
    joins them (a space only between two Latin ends)."""
    starts, consumed, previous = set(), 0, ""
    for _, line in source.numbered(paragraph.start, paragraph.end):
        if not line:
            continue
        if previous:
            consumed += 1 if previous[-1:].isascii() and line[:1].isascii() else 0
            starts.add(consumed)
        consumed += len(line)
        previous = line
    return frozenset(starts)


def _session(facts: Facts, action: URIRef, actor: Mention, number: int, span: object) -> None:
    session = facts.iri(f"session/{str(actor.body).rsplit('/', 1)[-1]}/{number}")
    facts.add(session, RDF.type, UNKG.Session, span)  # type: ignore[arg-type]
    facts.add(session, UNKG.sessionOf, actor.body, span)  # type: ignore[arg-type]
    facts.add(session, UNKG.sessionNumber, Literal(number, datatype=XSD.integer), span)  # type: ignore[arg-type]
    facts.add(action, UNKG.atSession, session, span)  # type: ignore[arg-type]


def requests(source: SourceText, facts: Facts, report: URIRef, bodies: BodyIndex) -> int:
    """What resolutions requested ('请…'), and which resolution requested this report."""
    count = 0
    for paragraph in source.paragraphs():
        for sentence in _SENTENCE.finditer(paragraph.text):
            text = sentence.group(0)
            cited = find_resolutions(text)
            if not cited:
                continue
            line = source.line_at(paragraph, sentence.start() + cited[0].start)
            span = source.span(line)
            if re.search(r"本报告.{0,12}(应|按照|根据|依照)", text):
                for resolution in cited:
                    node = document(facts, resolution.symbol, line, source)
                    facts.add(report, UNKG.requestedBy, node, span)
                continue
            if "请" not in text[cited[0].start :]:
                continue
            organ = bodies.lookup("大会" if cited[0].symbol.startswith("A/") else "经济及社会理事会")
            if organ is None:
                continue
            for resolution in cited:
                count += 1
                node = document(facts, resolution.symbol, line, source)
                action = facts.iri(f"action/{facts.source_slug}/{line}-request-{count}")
                facts.add(action, RDF.type, UNKG.BodyAction, span)
                facts.add(action, UNKG.actor, organ, span)
                facts.add(action, UNKG.actionType, facts.iri("action-type/requested"), span)
                facts.add(action, UNKG.inResolution, node, span)
                facts.add(action, UNKG.reportedIn, report, span)
                facts.text(action, DCTERMS.description, text.strip(), span)
    return count


def changes(source: SourceText, facts: Facts, report: URIRef, bodies: BodyIndex) -> int:
    """Paragraphs saying new bodies were set up ('设立') on a date to replace ('取代') others."""
    count = 0
    for paragraph in source.paragraphs():
        text = paragraph.text
        replaced = text.find("取代")
        when = re.search(r"(?:于|自)\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", text)
        if replaced < 0 or when is None or "设立" not in text:
            continue
        clause_end = min(
            (i for i in (text.find("：", replaced), text.find("。", replaced)) if i > 0), default=len(text)
        )
        mentions = [
            m for m in bodies.find(text) if bodies.kind(m.body) in ("department", "office", "division")
        ]
        # Those named in the clause after 取代 were replaced; the other units the paragraph names are new.
        original = {m.body for m in mentions if replaced < m.start < clause_end}
        resulting = {m.body for m in mentions} - original
        if not original or not resulting:
            continue
        count += 1
        event = facts.iri(f"change/{facts.source_slug}/{paragraph.start}")
        span = source.span(paragraph.start, paragraph.end)
        day = f"{int(when[1]):04d}-{int(when[2]):02d}-{int(when[3]):02d}"
        facts.add(event, RDF.type, ORG.ChangeEvent, span)
        facts.add(event, DCTERMS.date, Literal(day, datatype=XSD.date), span)
        facts.text(event, DCTERMS.description, span.quote, span)
        for body in sorted(original):
            facts.add(event, ORG.originalOrganization, body, span)
            facts.add(body, ORG.changedBy, event, span)
        for body in sorted(resulting):
            facts.add(event, ORG.resultingOrganization, body, span)
            facts.add(body, ORG.resultedFrom, event, span)
    return count


def header_session(
    source: SourceText, facts: Facts, report: URIRef, organ: URIRef, *, end: int = 20
) -> Paragraph | None:
    """'2020 年届会' or '2007 年实质性会议' at the top, with its dates: the organ's session."""
    line = source.find(r"^(\d{4})\s*年(?:实质性)?(?:届会|会议)$", end=end)
    if line is None:
        return None
    year = source.line(line)[:4]
    session = facts.iri(f"session/{str(organ).rsplit('/', 1)[-1]}/{year}")
    span = source.span(line)
    facts.add(session, RDF.type, UNKG.Session, span)
    facts.add(session, UNKG.sessionOf, organ, span)
    facts.text(session, SKOS.prefLabel, source.line(line), span)
    facts.add(report, UNKG.submittedToSession, session, span)
    dates = source.find(r"\d{4}\s*年.*日至.*日", start=line, end=line + 4)
    if dates is not None:
        found = date_range(source.line(dates))
        if found is not None:
            facts.add(session, UNKG.startDate, Literal(found[0], datatype=XSD.date), source.span(dates))
            facts.add(session, UNKG.endDate, Literal(found[1], datatype=XSD.date), source.span(dates))
    return Paragraph(line, line, source.line(line))


def _slug(node: URIRef) -> str:
    return str(node).rsplit("/", 1)[-1]
