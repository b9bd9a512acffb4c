"""A JIU report (Chinese): title, inspectors and team, formal and informal recommendations, the
annex VI matrix of addressees and expected impact, the documents and resolutions it cites, the bodies
it names. Driven by the report's headings ("#### 建议 N", "非正式建议", "附件六"), not by line numbers.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from rdflib import PROV, RDF, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, SKOS

from service.ingest import narrative
from service.ingest.addressees import add_actors
from service.ingest.bodies import BodyIndex
from service.ingest.citations import add_citations, add_mentions
from service.ingest.dates import deadline
from service.ingest.establishment import establishments
from service.ingest.facts import Facts
from service.ingest.signatures import signatures
from service.ingest.text import ExtractionError, SourceText, Span, chinese_number
from service.rdf import UNKG

KIND = "jiu_report"


def addressee_role(text: str) -> str:
    """Whom a recommendation asks to act, from its subject."""
    head = text[:60]
    if "立法机关" in head or "理事机构" in head or "立法机构" in head:
        return "legislative"
    if "秘书长" in head and "行政首长" not in head:
        return "secretary-general"
    return "executive"


def is_jiu_report(source: SourceText) -> bool:
    head = "\n".join(source.lines[:60])
    return "联合检查组的报告" in head and source.find(r"^建议\s*1$") is not None


def extract(source: SourceText, *, facts: Facts, bodies: BodyIndex, document: URIRef) -> None:
    """State what the JIU report `source` says about itself as `document`."""
    report = document
    title_line = source.require(r"^审查|^.{4,}", what="title")
    facts.add(report, RDF.type, UNKG.Report, source.span(title_line))
    facts.text(report, DCTERMS.title, source.line(title_line), source.span(title_line))
    kind_line = source.require(r"^联合检查组的报告$", what="'联合检查组的报告' (a JIU report)")
    facts.add(report, UNKG.documentType, facts.iri("document-type/jiu-report"), source.span(kind_line))
    jiu = bodies.lookup("联合检查组")
    if jiu is not None:
        facts.add(report, UNKG.issuedBy, jiu, source.span(kind_line))
    _inspectors(source, facts, report, start=kind_line)
    _imprint(source, facts, report)
    _team(source, facts, report, bodies)
    year_line = source.find(r"(\d{4})\s*年工作方案")
    if year_line is not None:
        year = re.search(r"(\d{4})\s*年工作方案", source.line(year_line))
        assert year is not None
        facts.add(
            report, UNKG.programmeYear, Literal(year.group(1), datatype=XSD.gYear), source.span(year_line)
        )
    recommendations = _formal(source, facts, report, bodies)
    _informal(source, facts, report, bodies)
    _annex_vi(source, facts, report, bodies, recommendations)
    add_citations(source, facts, report)
    add_mentions(source, facts, report, bodies)
    narrative.structure(source, facts, bodies)
    # Of the report's narrative, only who set up which body and what bodies decided is read: its
    # other verbs are mostly the inspectors' recommendations and views, which are not acts.
    narrative.actions(source, facts, report, bodies, kinds=frozenset({"established", "decided"}))
    establishments(source, facts, bodies)
    signatures(source, facts, report, bodies)


def _inspectors(source: SourceText, facts: Facts, report: URIRef, *, start: int) -> None:
    line = source.find(r"^(.+)编写$", start=start, end=start + 5)
    if line is None:
        return
    names = re.split(r"和|、", source.line(line).removesuffix("编写"))
    for name in filter(None, (n.strip() for n in names)):
        person = _person(facts, name, source.span(line))
        facts.add(report, DCTERMS.creator, person, source.span(line))
        facts.add(report, UNKG.preparedBy, person, source.span(line))


def _person(facts: Facts, name: str, span: object) -> URIRef:
    person = facts.iri("person/" + hashlib.sha1(name.encode()).hexdigest()[:12])
    facts.add(person, RDF.type, FOAF.Person, span)  # type: ignore[arg-type]
    facts.text(person, FOAF.name, name, span)  # type: ignore[arg-type]
    return person


def _imprint(source: SourceText, facts: Facts, report: URIRef) -> None:
    line = source.find(r"^联合国\s*•\s*(\d{4})\s*年，(.+)$", end=60)
    if line is None:
        return
    found = re.search(r"(\d{4})\s*年，(.+)$", source.line(line))
    assert found is not None
    facts.add(report, DCTERMS.date, Literal(found.group(1), datatype=XSD.gYear), source.span(line))
    facts.text(report, UNKG.venue, found.group(2).strip(), source.span(line))


def _team(source: SourceText, facts: Facts, report: URIRef, bodies: BodyIndex) -> None:
    heading = source.find(r"^项目组$", end=80)
    if heading is None:
        return
    index = 0
    for number, line in source.numbered(heading + 1):
        if source.raw[number - 1].startswith("#"):
            break
        if "，" not in line:
            continue
        name, _, role = line.partition("，")
        index += 1
        span = source.span(number)
        person = _person(facts, name.strip(), span)
        attribution = facts.iri(f"attribution/{facts.source_slug}/{index}")
        facts.add(report, PROV.qualifiedAttribution, attribution, span)
        facts.add(attribution, RDF.type, PROV.Attribution, span)
        facts.add(attribution, PROV.agent, person, span)
        facts.text(attribution, UNKG.roleLabel, role.strip(), span)


def _stated_count(source: SourceText, pattern: str) -> tuple[int, int] | None:
    """(count, line) of the first sentence like '载有五项正式建议'."""
    line = source.find(pattern)
    if line is None:
        return None
    found = re.search(pattern, source.line(line))
    assert found is not None
    return chinese_number(found.group(1)), line


@dataclass(frozen=True)
class Formal:
    """A formal recommendation as stated: its node, its text and the lines that give it."""

    iri: URIRef
    text: str
    span: Span


def _formal(source: SourceText, facts: Facts, report: URIRef, bodies: BodyIndex) -> dict[int, Formal]:
    """The formal recommendations, from the first run of '建议 N' headings (the summary's list)."""
    headings: list[tuple[int, int]] = []
    for line_number, line in source.numbered():
        found = re.fullmatch(r"建议\s*(\d+)", line)
        if found and source.raw[line_number - 1].lstrip().startswith("#"):
            if int(found.group(1)) != len(headings) + 1:
                break  # the chapters repeat the recommendations; the first run is the list
            headings.append((int(found.group(1)), line_number))
    if not headings:
        raise ExtractionError(f"{source.name}: no '建议 1' heading")
    recommendations: dict[int, Formal] = {}
    for number, heading in headings:
        text_lines, end = [], heading
        for line_number, line in source.numbered(heading + 1):
            if source.raw[line_number - 1].lstrip().startswith("#"):
                break
            if line:
                text_lines.append(line)
                end = line_number
        text = "".join(text_lines)
        if not text:
            raise ExtractionError(f"recommendation {number} has no text", line=heading)
        recommendation = facts.iri(f"recommendation/{_slug(report)}/formal/{number}")
        span = source.span(heading, end)
        facts.add(recommendation, RDF.type, UNKG.FormalRecommendation, span)
        facts.add(recommendation, UNKG.inReport, report, span)
        facts.add(report, UNKG.hasRecommendation, recommendation, span)
        facts.add(recommendation, UNKG.recommendationNumber, Literal(number, datatype=XSD.integer), span)
        facts.text(recommendation, UNKG.text, text, span)
        facts.add(
            recommendation, UNKG.addresseeRole, facts.iri(f"addressee-role/{addressee_role(text)}"), span
        )
        due = deadline(text)
        if due is not None:
            facts.add(recommendation, UNKG.deadline, Literal(due[0], datatype=due[1]), span)
        add_actors(facts, recommendation, text, span, bodies, with_role=False)
        recommendations[number] = Formal(recommendation, text, span)
    stated = _stated_count(source, r"载有([一二三四五六七八九十\d]+)项正式建议")
    if stated is not None and stated[0] != len(recommendations):
        raise ExtractionError(
            f"the report states {stated[0]} formal recommendations but lists {len(recommendations)}",
            line=stated[1],
        )
    return recommendations


def _informal(source: SourceText, facts: Facts, report: URIRef, bodies: BodyIndex) -> None:
    """The numbered list under '非正式建议', each item with the paragraph it cites."""
    heading = source.find(r"^非正式建议$")
    if heading is None:
        return
    items: list[tuple[int, int, list[str]]] = []
    for number, line in source.numbered(heading + 1):
        if source.raw[number - 1].startswith("## "):
            break
        item = re.match(r"^(\d+)\.\s*(.*)$", line)
        if item and int(item.group(1)) == len(items) + 1:
            items.append((number, number, [item.group(2)]))
        elif line and items:
            start, _, parts = items[-1]
            items[-1] = (start, number, parts + [line])
    for index, (start, end, parts) in enumerate(items, 1):
        text = "".join(parts)
        span = source.span(start, end)
        recommendation = facts.iri(f"recommendation/{_slug(report)}/informal/{index}")
        facts.add(recommendation, RDF.type, UNKG.InformalRecommendation, span)
        facts.add(recommendation, UNKG.inReport, report, span)
        facts.add(report, UNKG.hasRecommendation, recommendation, span)
        facts.add(recommendation, UNKG.recommendationNumber, Literal(index, datatype=XSD.integer), span)
        facts.text(recommendation, UNKG.text, text, span)
        add_actors(facts, recommendation, text, span, bodies, with_role=False)
        paragraph = re.search(r"[(（]第\s*(\d+)\s*段[)）]", text)
        if paragraph:
            facts.add(recommendation, UNKG.citedParagraph, Literal(paragraph.group(1)), span)
    stated = _stated_count(source, r"(\d+|[一二三四五六七八九十]+)\s*项非正式建议")
    if stated is not None and stated[0] != len(items):
        raise ExtractionError(
            f"the report states {stated[0]} informal recommendations but lists {len(items)}", line=stated[1]
        )


def _annex_vi(
    source: SourceText, facts: Facts, report: URIRef, bodies: BodyIndex, recommendations: dict[int, Formal]
) -> None:
    """Annex VI: each recommendation's expected impact, and who acts on it (L or E) in each organization.

    The matrix is checked against what the text states of its addressees (see `_Signatories`): a mark
    the text contradicts is left out, the organizations the text names are asserted, and the conflict
    is written on the recommendation as a skos:editorialNote citing both lines.
    """
    annex = source.find(r"^附件六$")
    if annex is None:
        return
    header = source.require(r"预期影响", start=annex, what="header of the annex VI table")
    columns = [clean_cell(cell) for cell in source.raw[header - 1].split("\t")]
    if "预期影响" not in columns:
        raise ExtractionError("the annex VI header has no '预期影响' column", line=header)
    organizations: dict[int, URIRef] = {}
    for index, name in enumerate(columns):
        if index <= columns.index("预期影响") or not name:
            continue
        body = bodies.lookup(name)
        if body is None:
            raise ExtractionError(
                f"annex VI names an organization the reference data lacks: {name}", line=header
            )
        organizations[index] = body
    if not organizations:
        raise ExtractionError("the annex VI table names no organizations", line=header)
    first_column = min(organizations)
    names = {body: columns[index] for index, body in organizations.items()}
    signatories = _Signatories.read(source, bodies)
    for number, _ in source.numbered(header + 1):
        raw = source.raw[number - 1]
        if not raw.strip():
            continue
        cells = raw.split("\t")
        label = "".join(cells[:first_column])
        span = source.span(number)
        if "供采取行动" in label or "供参考" in label:
            predicate = UNKG.forActionBy if "供采取行动" in label else UNKG.forInformationOf
            for index, body in organizations.items():
                if index < len(cells) and "checked" in cells[index]:
                    facts.add(report, predicate, body, span)
            continue
        row = re.match(r"^建议\s*(\d+)", clean_cell(cells[0]))
        if row is None:
            if recommendations and number > header + 2 and not raw.startswith("\t"):
                break
            continue
        formal = recommendations.get(int(row.group(1)))
        if formal is None:
            raise ExtractionError(
                f"annex VI has a row for recommendation {row.group(1)}, which the report lacks", line=number
            )
        recommendation = formal.iri
        impact = clean_cell(cells[first_column - 1]) if first_column - 1 < len(cells) else ""
        if re.fullmatch(r"[a-i]", impact):
            facts.add(recommendation, UNKG.expectedImpact, facts.iri(f"expected-impact/{impact}"), span)
        marked: dict[URIRef, str] = {}
        for index, body in organizations.items():
            mark = clean_cell(cells[index]) if index < len(cells) else ""
            if mark in ("L", "E"):
                marked[body] = "legislative" if mark == "L" else "executive"
        stated, contradicted = signatories.check(formal.text, marked)
        for body, role in marked.items():
            if body not in contradicted:
                _addressing(facts, report, row.group(1), formal, body, role, span)
        if signatories.span is not None:
            role = addressee_role(formal.text)
            for body in sorted(stated - set(marked)):
                _addressing(facts, report, row.group(1), formal, body, role, signatories.span)
            if contradicted or stated - set(marked):
                _note_conflict(facts, formal, span, signatories, contradicted, stated, names)


@dataclass(frozen=True)
class _Signatories:
    """Who has not signed the statement a report reviews, as it lists them ('尚未签署《相互承认声明》的
    联检组参加组织有：…'), so that a recommendation addressed to those who have (not) signed it can be
    checked against the matrix."""

    statement: str
    unsigned: frozenset[URIRef]
    span: Span | None

    @classmethod
    def read(cls, source: SourceText, bodies: BodyIndex) -> _Signatories:
        line = source.find(_UNSIGNED)
        if line is None:
            return cls("", frozenset(), None)
        found = _UNSIGNED.search(source.line(line))
        assert found is not None
        named = frozenset(m.body for m in bodies.find(found.group(2)))
        return cls(found.group(1), named, source.span(line))

    def check(self, text: str, marked: dict[URIRef, str]) -> tuple[set[URIRef], set[URIRef]]:
        """(organizations the text addresses, marks it contradicts) for a recommendation's `text`."""
        if not self.statement or self.statement not in text:
            return set(), set()
        if f"尚未签署{self.statement}" in text:
            return set(self.unsigned), set(marked) - self.unsigned
        if re.search(rf"{re.escape(self.statement)}签署|签署了{re.escape(self.statement)}", text):
            return set(), set(marked) & self.unsigned
        return set(), set()


_UNSIGNED = re.compile(r"尚未签署(《[^》]+》)的[^：:]*?(?:组织|机构)有[：:](.+)")


def _addressing(
    facts: Facts, report: URIRef, number: str, formal: Formal, body: URIRef, role: str, span: Span
) -> None:
    addressing = facts.iri(f"addressing/{_slug(report)}/{number}/{body.rsplit('/', 1)[-1]}")
    facts.add(formal.iri, UNKG.addressing, addressing, span)
    facts.add(addressing, RDF.type, UNKG.Addressing, span)
    facts.add(addressing, UNKG.organization, body, span)
    facts.add(addressing, UNKG.addresseeRole, facts.iri(f"addressee-role/{role}"), span)


def _note_conflict(
    facts: Facts,
    formal: Formal,
    row_span: Span,
    signatories: _Signatories,
    contradicted: set[URIRef],
    stated: set[URIRef],
    names: dict[URIRef, str],
) -> None:
    """Tell the librarian where annex VI and the text disagree, and which the graph follows."""
    assert signatories.span is not None
    row_line = row_span.start

    def listed(found: set[URIRef]) -> str:
        return "、".join(sorted(names.get(body, body.rsplit("/", 1)[-1]) for body in found)) or "—"

    where, lines = signatories.span.start, f"{formal.span.start}–{formal.span.end}"
    addressed_zh = listed(stated) if stated else "签署组织"
    zh = (
        f"附件六（第 {row_line} 行）所标与案文不符：建议案文（第 {lines} 行）及第 {where} 行所列"
        f"{signatories.statement}未签署组织表明，本建议所涉组织为：{addressed_zh}；"
        f"表中标记的 {listed(contradicted)} 与此相悖，未予采用；图谱依从案文。"
    )
    en = (
        f"Annex VI (line {row_line}) disagrees with the text: the recommendation (lines {lines}) and "
        f"the list of organizations that have not signed {signatories.statement} (line {where}) "
        f"address it to {listed(stated) if stated else 'the signatories'}; the table's marks for "
        f"{listed(contradicted)} contradict that and are left out. The graph follows the text."
    )
    # Evidence on both sides: the table row and the list the text gives.
    for span in (row_span, signatories.span):
        facts.text(formal.iri, SKOS.editorialNote, zh, span)
        facts.text(formal.iri, SKOS.editorialNote, en, span, lang="en")


def clean_cell(cell: str) -> str:
    return re.sub(r"<[^>]+>", "", cell).strip()


def _slug(document: URIRef) -> str:
    return str(document).rsplit("/", 1)[-1]
