"""A CEB annual overview report (Chinese): the ECOSOC session and agenda item it goes to, its sections,
what CEB and its committees, networks and task forces approved, endorsed or established, the
resolutions it cites and what they requested, and the documents it cites."""

from __future__ import annotations

import re

from rdflib import RDF, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS

from service.ingest import metadata, narrative
from service.ingest.bodies import BodyIndex
from service.ingest.citations import add_citations, add_mentions
from service.ingest.dates import chinese_date
from service.ingest.establishment import establishments
from service.ingest.facts import Facts
from service.ingest.signatures import signatures
from service.ingest.text import ExtractionError, SourceText
from service.rdf import UNKG

KIND = "ceb_annual_overview_report"
_ENGLISH_DATE = re.compile(
    r"^(\d{1,2}) (January|February|March|April|May|June|July|August|September|October|"
    r"November|December) (\d{4})$"
)
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def is_ceb_report(source: SourceText) -> bool:
    return source.find(r"行政首长协调理事会.*年度概览报告", end=40) is not None


def extract(source: SourceText, *, facts: Facts, bodies: BodyIndex, document: URIRef) -> list[str]:
    report = document
    title_line = source.require(r"行政首长协调理事会.*年度概览报告", end=40, what="title")
    span = source.span(title_line)
    facts.add(report, RDF.type, UNKG.Report, span)
    facts.text(report, DCTERMS.title, source.line(title_line), span)
    facts.add(report, UNKG.documentType, facts.iri("document-type/ceb-annual-overview-report"), span)
    ceb = bodies.lookup("联合国系统行政首长协调理事会")
    if ceb is None:
        raise ExtractionError("the reference data lacks CEB (联合国系统行政首长协调理事会)")
    facts.add(report, UNKG.issuedBy, ceb, span)
    _date(source, facts, report, end=title_line)
    metadata.original_language(source, facts, report, end=title_line)
    agenda = source.find(r"议程\*?\s*项目\s*\S+", end=title_line)
    if agenda is not None:
        item = re.search(r"项目\s*(\S+)", source.line(agenda))
        assert item is not None
        facts.add(report, UNKG.agendaItem, Literal(item.group(1).rstrip("*")), source.span(agenda))
        title = source.find(r"\S", start=agenda + 1, end=title_line - 1)
        if title is not None:
            facts.text(report, UNKG.agendaItemTitle, source.line(title), source.span(title))
        # The agenda's footnote sits at the foot of the first page.
        metadata.agenda(source, facts, report, item_line=agenda, end=title_line + 40)
    ecosoc = bodies.lookup("经济及社会理事会")
    to_ecosoc = source.find(r"^经济及社会理事会$|提交经济及社会理事会", end=60)
    if ecosoc is not None and to_ecosoc is not None:
        facts.add(report, UNKG.submittedTo, ecosoc, source.span(to_ecosoc))
        narrative.header_session(source, facts, report, ecosoc, end=title_line)
    metadata.requested(source, facts, report, bodies)
    narrative.sections(source, facts, report)
    narrative.actions(source, facts, report, bodies)
    narrative.requests(source, facts, report, bodies)
    narrative.body_requests(source, facts, report, bodies)
    narrative.changes(source, facts, report, bodies)
    narrative.structure(source, facts, bodies)
    establishments(source, facts, bodies)
    signatures(source, facts, report, bodies)
    add_citations(source, facts, report, bodies=bodies)
    add_mentions(source, facts, report, bodies)
    return []


def _date(source: SourceText, facts: Facts, report: URIRef, *, end: int) -> None:
    """The date the header gives, in Chinese or (the ECOSOC cover) English."""
    for number, line in source.numbered(1, end):
        english = _ENGLISH_DATE.match(line)
        if english:
            day, month, year = int(english[1]), _MONTHS.index(english[2]) + 1, int(english[3])
            value = f"{year:04d}-{month:02d}-{day:02d}"
        elif re.fullmatch(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", line):
            value = chinese_date(line) or ""
        else:
            continue
        facts.add(report, DCTERMS.date, Literal(value, datatype=XSD.date), source.span(number))
        return
