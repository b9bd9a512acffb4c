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
# A footnote's reference, 'title, month (symbol)': '管理问题高级别委员会第四十四届会议的报告，
# 2022年10月(CEB/2022/5)', '见相互承认协调小组的进度报告，2024 年 3 月(CEB/2024/HLCM/9)',
# '儿基会，关于…的报告，2024年5月(UNICEF/…)'.
_REFERENCE = re.compile(
    r"(?:^|[。；;，,])\s*(?:见\s*)?([^，,。；;()（）“”《》<>\s见][^，,。；;()（）“”<>]{3,80}?)[，,]\s*\d{4}\s*年"
    r"(?:\s*\d{1,2}\s*月)?\s*[（(]\s*$"
)
_FOOTNOTE = re.compile(r"^\s*(?:<sup>\w+</sup>|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)")


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
    source: SourceText,
    facts: Facts,
    citing: URIRef,
    *,
    own_symbols: frozenset[str] = frozenset(),
    bodies: BodyIndex | None = None,
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
            _title(source, facts, paragraph, citation, node, citing=citing, bodies=bodies)
            cited.add(node)
    return len(cited)


def _title(
    source: SourceText,
    facts: Facts,
    paragraph: Paragraph,
    citation: Cited,
    node: URIRef,
    *,
    citing: URIRef,
    bodies: BodyIndex | None,
) -> None:
    """The title the text gives the cited document just before it, as another title; and whose report
    it is where the text says so: '秘书长关于“…”的报告', or '我在题为“…”的报告' in a report the
    citing document's issuer writes in the first person."""
    before = paragraph.text[: citation.start]
    pattern = _TITLED_RESOLUTION if "/RES/" in citation.symbol else _TITLED_SYMBOL
    found = pattern.search(before)
    if found is None and "/RES/" not in citation.symbol:
        # Only in a footnote is 'words, a month (symbol)' a reference rather than a clause of a sentence.
        found = _REFERENCE.search(before)
        line = source.line_at(paragraph, found.start(1)) if found is not None else 0
        if found is not None and not _FOOTNOTE.match(source.raw[line - 1]):
            found = None
    if found is None:
        return
    span = source.span(source.line_at(paragraph, found.start()), source.line_at(paragraph, citation.start))
    facts.text(node, DCTERMS.alternative, found.group(1).strip(), span)
    if found.re is not _TITLED_SYMBOL:
        return
    author = _author(before[: found.start()], facts, citing, bodies)
    if author is not None:
        facts.add(node, UNKG.issuedBy, author, span)


def _author(text: str, facts: Facts, citing: URIRef, bodies: BodyIndex | None) -> URIRef | None:
    """The body named right before '关于“…”的报告' or, for '我在', the citing document's own issuer."""
    if text.endswith("我在"):
        issuer = facts.graph.value(citing, UNKG.issuedBy)
        return issuer if isinstance(issuer, URIRef) else None
    if bodies is None:
        return None
    named = [m for m in bodies.find(text) if m.start + len(m.name) == len(text)]
    return named[-1].body if named else None


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
