"""A JIU report (Chinese): title, inspectors and team, formal and informal recommendations, the
annex VI matrix of addressees and expected impact, the documents and resolutions it cites, the bodies
it names. Driven by the report's headings ("#### 建议 N", "非正式建议", "附件六"), not by line numbers.
"""

from __future__ import annotations

import hashlib
import re

from rdflib import PROV, RDF, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF

from service.ingest import narrative
from service.ingest.bodies import BodyIndex
from service.ingest.citations import add_citations, add_mentions
from service.ingest.dates import deadline
from service.ingest.facts import Facts
from service.ingest.text import ExtractionError, SourceText, chinese_number
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
    recommendations = _formal(source, facts, report)
    _informal(source, facts, report)
    _annex_vi(source, facts, report, bodies, recommendations)
    add_citations(source, facts, report)
    add_mentions(source, facts, report, bodies)
    narrative.structure(source, facts, bodies)


def _inspectors(source: SourceText, facts: Facts, report: URIRef, *, start: int) -> None:
    line = source.find(r"^(.+)编写$", start=start, end=start + 5)
    if line is None:
        return
    names = re.split(r"和|、", source.line(line).removesuffix("编写"))
    for name in filter(None, (n.strip() for n in names)):
        person = _person(facts, name, source.span(line))
        facts.add(report, DCTERMS.creator, person, source.span(line))


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


def _formal(source: SourceText, facts: Facts, report: URIRef) -> dict[int, URIRef]:
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
    recommendations: dict[int, URIRef] = {}
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
        recommendations[number] = recommendation
    stated = _stated_count(source, r"载有([一二三四五六七八九十\d]+)项正式建议")
    if stated is not None and stated[0] != len(recommendations):
        raise ExtractionError(
            f"the report states {stated[0]} formal recommendations but lists {len(recommendations)}",
            line=stated[1],
        )
    return recommendations


def _informal(source: SourceText, facts: Facts, report: URIRef) -> None:
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
        paragraph = re.search(r"[(（]第\s*(\d+)\s*段[)）]", text)
        if paragraph:
            facts.add(recommendation, UNKG.citedParagraph, Literal(paragraph.group(1)), span)
    stated = _stated_count(source, r"(\d+|[一二三四五六七八九十]+)\s*项非正式建议")
    if stated is not None and stated[0] != len(items):
        raise ExtractionError(
            f"the report states {stated[0]} informal recommendations but lists {len(items)}", line=stated[1]
        )


def _annex_vi(
    source: SourceText, facts: Facts, report: URIRef, bodies: BodyIndex, recommendations: dict[int, URIRef]
) -> None:
    """Annex VI: each recommendation's expected impact, and who acts on it (L or E) in each organization."""
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
        recommendation = recommendations.get(int(row.group(1)))
        if recommendation is None:
            raise ExtractionError(
                f"annex VI has a row for recommendation {row.group(1)}, which the report lacks", line=number
            )
        impact = clean_cell(cells[first_column - 1]) if first_column - 1 < len(cells) else ""
        if re.fullmatch(r"[a-i]", impact):
            facts.add(recommendation, UNKG.expectedImpact, facts.iri(f"expected-impact/{impact}"), span)
        for index, body in organizations.items():
            mark = clean_cell(cells[index]) if index < len(cells) else ""
            if mark not in ("L", "E"):
                continue
            role = "legislative" if mark == "L" else "executive"
            addressing = facts.iri(f"addressing/{_slug(report)}/{row.group(1)}/{body.rsplit('/', 1)[-1]}")
            facts.add(recommendation, UNKG.addressing, addressing, span)
            facts.add(addressing, RDF.type, UNKG.Addressing, span)
            facts.add(addressing, UNKG.organization, body, span)
            facts.add(addressing, UNKG.addresseeRole, facts.iri(f"addressee-role/{role}"), span)


def clean_cell(cell: str) -> str:
    return re.sub(r"<[^>]+>", "", cell).strip()


def _slug(document: URIRef) -> str:
    return str(document).rsplit("/", 1)[-1]
