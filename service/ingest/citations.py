"""What any document cites (symbols, resolutions) and which bodies it names: the same in every kind."""

from __future__ import annotations

import re

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS

from service.ingest.bodies import BodyIndex
from service.ingest.facts import Facts
from service.ingest.symbols import Cited, document_type, find_decisions, find_resolutions, find_symbols, slug
from service.ingest.text import Paragraph, SourceText
from service.rdf import CITO, UNKG

_CLASSES = {"decision": UNKG.Decision, "jiu-report": UNKG.Report, "jiu-note": UNKG.Report}
# The title a text gives a document it cites, in quotation marks just before it: 题为“…”的报告(A/72/492),
# 秘书长关于“…”的报告(A/72/684-E/2018/7), 题为“…”的文件 CWS/12/27, 题为“…”的第 73/254 号决议.
_TITLED_SYMBOL = re.compile(r"(?:题为|关于)“([^“”]{4,200})”的(?:报告|文件|说明)\s*[（(]?\s*$")
_TITLED_RESOLUTION = re.compile(r"题为“([^“”]{4,200})”的第\s*$")


def document(facts: Facts, symbol: str, line: int, source: SourceText) -> URIRef:
    """The node of the document `symbol`, with what the symbol alone makes certain."""
    node = facts.iri(f"document/{slug(symbol)}")
    span = source.span(line)
    facts.add(node, UNKG.symbol, Literal(symbol), span)
    notation = document_type(symbol)
    if notation is not None:
        cls = UNKG.Resolution if notation.endswith("resolution") else _CLASSES.get(notation, UNKG.Document)
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
        text = paragraph.text
        for citation in find_symbols(text) + find_resolutions(text) + find_decisions(text):
            if citation.symbol in own_symbols:
                continue
            line = source.line_at(paragraph, citation.start)
            node = document(facts, citation.symbol, line, source)
            facts.add(citing, CITO.cites, node, source.span(line))
            _title(source, facts, paragraph, citation, node)
            cited.add(node)
    return len(cited)


def _title(source: SourceText, facts: Facts, paragraph: Paragraph, citation: Cited, node: URIRef) -> None:
    """The title the text gives the cited document in quotation marks just before it, as another title."""
    before = paragraph.text[: citation.start]
    pattern = _TITLED_RESOLUTION if "/RES/" in citation.symbol else _TITLED_SYMBOL
    found = pattern.search(before)
    if found is None:
        return
    span = source.span(source.line_at(paragraph, found.start()), source.line_at(paragraph, citation.start))
    facts.text(node, DCTERMS.alternative, found.group(1).strip(), span)


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
