"""Recommendations of other reports a text cites by number, as nodes of their own.

Read only where the symbol and the number stand together in one clause:
- 'JIU/REP/2019/8 中关于工作人员交流和机构间流动的建议 9' (the report, then what the recommendation is about);
- 'JIU/REP/2018/5，第 108 段和建议 4' (a footnote citing a paragraph and a recommendation of it).
A number in a later sentence ('…JIU/REP/2018/5 强调了…。建议 7 呼吁…') is not read: the text does not
say there whose it is. '非正式建议' and a range or list of numbers are not read either. A numbered
recommendation of a JIU report is a formal one: its node is the one a progress report on the same
report names (recommendation/<report>/formal/<n>).
"""

from __future__ import annotations

import re

from rdflib import RDF, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS

from service.ingest.facts import Facts
from service.ingest.symbols import find_symbols, slug
from service.ingest.text import SourceText
from service.rdf import UNKG

_AFTER_SYMBOL = re.compile(
    r"^\s*(?:中)?(?:[，,]\s*第\s*\d+\s*段和|关于[^，,。；;“”()（）]{1,30}的)?\s*建议\s*(?P<number>\d+)(?!\s*[\d.\-–至和、])"
)


def recommendation_iri(facts: Facts, symbol: str, number: int) -> URIRef:
    return facts.iri(f"recommendation/{slug(symbol)}/formal/{number}")


def cited_recommendations(text: str) -> list[tuple[str, int, int]]:
    """(symbol, number, offset) of each recommendation of a JIU report that `text` cites by number.

    >>> cited_recommendations("JIU/REP/2019/8 中关于工作人员交流和机构间流动的建议 9 仍然具有相关性")
    [('JIU/REP/2019/8', 9, 0)]
    >>> cited_recommendations("JIU/REP/2018/5，第 108 段和建议 4。")
    [('JIU/REP/2018/5', 4, 0)]
    >>> cited_recommendations("JIU/REP/2018/5 强调了相互承认的作用。建议 7 呼吁秘书长")
    []
    """
    found = []
    for citation in find_symbols(text):
        if not citation.symbol.startswith("JIU/"):
            continue
        after = text[citation.start + len(citation.symbol) :]
        match = _AFTER_SYMBOL.match(after)
        if match is not None:
            found.append((citation.symbol, int(match.group("number")), citation.start))
    return found


def add_cited_recommendations(source: SourceText, facts: Facts, citing: URIRef) -> int:
    """State the recommendations `source` cites by report and number; return how many."""
    stated: set[URIRef] = set()
    for paragraph in source.paragraphs():
        for symbol, number, offset in cited_recommendations(paragraph.text):
            line = source.line_at(paragraph, offset)
            span = source.span(line)
            recommendation = recommendation_iri(facts, symbol, number)
            report = facts.iri(f"document/{slug(symbol)}")
            facts.add(recommendation, RDF.type, UNKG.FormalRecommendation, span)
            facts.add(recommendation, UNKG.inReport, report, span)
            facts.add(recommendation, UNKG.recommendationNumber, Literal(number, datatype=XSD.integer), span)
            facts.add(citing, DCTERMS.references, recommendation, span)
            stated.add(recommendation)
    return len(stated)
