"""A report of the Secretary-General (Chinese), such as A/75/201: its symbol (page footers), title,
the resolution that requested it, the departments, boards and offices it describes with their changes
and dates, what bodies approved or established, and the documents and resolutions it cites."""

from __future__ import annotations

import re
from collections import Counter

from rdflib import RDF, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS

from service.ingest import metadata, narrative
from service.ingest.bodies import BodyIndex
from service.ingest.citations import add_citations, add_mentions
from service.ingest.establishment import establishments
from service.ingest.facts import Facts
from service.ingest.signatures import signatures
from service.ingest.symbols import SYMBOL
from service.ingest.text import SourceText, Span
from service.rdf import UNKG

KIND = "secretary_general_report"


def is_sg_report(source: SourceText) -> bool:
    return source.find(r"^秘书长的报告$", end=30) is not None


def own_symbol(source: SourceText) -> str | None:
    """The symbol printed alone on a line (the page footer), the most frequent if several."""
    alone = Counter(line for _, line in source.numbered() if SYMBOL.fullmatch(line))
    return alone.most_common(1)[0][0] if alone else None


def extract(source: SourceText, *, facts: Facts, bodies: BodyIndex, document: URIRef) -> list[str]:
    report = document
    kind_line = source.require(r"^秘书长的报告$", end=30, what="'秘书长的报告'")
    span = source.span(kind_line)
    facts.add(report, RDF.type, UNKG.Report, span)
    facts.add(report, UNKG.documentType, facts.iri("document-type/secretary-general-report"), span)
    secretary_general = bodies.lookup("秘书长")
    if secretary_general is not None:
        facts.add(report, UNKG.issuedBy, secretary_general, span)
    # The title is the last non-blank line above '秘书长的报告'.
    title_line = next((n for n in range(kind_line - 1, 0, -1) if source.line(n)), None)
    if title_line is not None:
        facts.text(report, DCTERMS.title, source.line(title_line), source.span(title_line))
    symbol = own_symbol(source)
    if symbol is not None:
        line = next(n for n, text in source.numbered() if text == symbol)
        facts.add(report, UNKG.symbol, Literal(symbol), source.span(line))
        _assembly_session(facts, report, symbol, bodies, source.span(line))
    metadata.requested(source, facts, report, bodies)
    narrative.sections(source, facts, report)
    narrative.actions(source, facts, report, bodies)
    narrative.requests(source, facts, report, bodies)
    narrative.body_requests(source, facts, report, bodies)
    narrative.changes(source, facts, report, bodies)
    narrative.structure(source, facts, bodies)
    establishments(source, facts, bodies)
    signatures(source, facts, report, bodies)
    add_citations(source, facts, report, own_symbols=frozenset({symbol} if symbol else set()), bodies=bodies)
    add_mentions(source, facts, report, bodies)
    return []


def _assembly_session(facts: Facts, report: URIRef, symbol: str, bodies: BodyIndex, span: Span) -> None:
    """A/75/201 is, by its symbol, a document of the General Assembly's 75th session: the session's
    number is the symbol's second part (A/RES/… and A/AC.… documents are not reports to a session)."""
    found = re.fullmatch(r"A/(\d+)/\d+(?:/.*)?", symbol)
    assembly = bodies.lookup("大会")
    if found is None or assembly is None:
        return
    number = int(found.group(1))
    session = facts.iri(f"session/{str(assembly).rsplit('/', 1)[-1]}/{number}")
    facts.add(session, RDF.type, UNKG.Session, span)
    facts.add(session, UNKG.sessionOf, assembly, span)
    facts.add(session, UNKG.sessionNumber, Literal(number, datatype=XSD.integer), span)
    facts.add(report, UNKG.submittedTo, assembly, span)
    facts.add(report, UNKG.submittedToSession, session, span)
