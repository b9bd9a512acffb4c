"""What any document cites (symbols, resolutions) and which bodies it names: the same in every kind."""

from __future__ import annotations

from rdflib import RDF, Literal, URIRef

from service.ingest.bodies import BodyIndex
from service.ingest.facts import Facts
from service.ingest.symbols import document_type, find_resolutions, find_symbols, slug
from service.ingest.text import SourceText
from service.rdf import CITO, UNKG


def document(facts: Facts, symbol: str, line: int, source: SourceText) -> URIRef:
    """The node of the document `symbol`, with what the symbol alone makes certain."""
    node = facts.iri(f"document/{slug(symbol)}")
    span = source.span(line)
    facts.add(node, UNKG.symbol, Literal(symbol), span)
    notation = document_type(symbol)
    if notation is not None:
        cls = UNKG.Resolution if "/RES/" in symbol else UNKG.Report
        facts.add(node, RDF.type, cls, span)
        facts.add(node, UNKG.documentType, facts.iri(f"document-type/{notation}"), span)
    else:
        facts.add(node, RDF.type, UNKG.Document, span)
    return node


def add_citations(
    source: SourceText, facts: Facts, citing: URIRef, *, own_symbols: frozenset[str] = frozenset()
) -> int:
    """Link `citing` to every document and resolution its text cites; return how many."""
    cited: set[URIRef] = set()
    for paragraph in source.paragraphs():
        for citation in find_symbols(paragraph.text) + find_resolutions(paragraph.text):
            if citation.symbol in own_symbols:
                continue
            line = source.line_at(paragraph, citation.start)
            node = document(facts, citation.symbol, line, source)
            facts.add(citing, CITO.cites, node, source.span(line))
            cited.add(node)
    return len(cited)


def add_mentions(source: SourceText, facts: Facts, document_node: URIRef, bodies: BodyIndex) -> int:
    """Link `document_node` to every body its text names, with the first line that names it."""
    seen: set[URIRef] = set()
    for paragraph in source.paragraphs():
        for mention in bodies.find(paragraph.text):
            if mention.body not in seen:
                seen.add(mention.body)
                line = source.line_at(paragraph, mention.start)
                facts.add(document_node, UNKG.mentions, mention.body, source.span(line))
    return len(seen)
