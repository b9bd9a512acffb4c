"""What any document cites (symbols, resolutions) and which bodies it names: the same in every kind."""

from __future__ import annotations

import re

from rdflib import RDF, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS

from service.ingest.bodies import BodyIndex
from service.ingest.facts import Facts
from service.ingest.symbols import (
    Cited,
    document_type,
    find_decisions,
    find_resolutions,
    find_symbols,
    part_of,
    slug,
)
from service.ingest.text import Paragraph, SourceText, Span
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
    r"(?:^|[。；;，,])\s*(?:见\s*)?([^，,。；;()（）“”《》<>\s见][^，,。；;()（）“”<>]{3,80}?)[，,]\s*(\d{4})\s*年"
    r"(?:\s*(\d{1,2})\s*月)?\s*[（(]\s*$"
)
# A resolution cited with the date it was adopted, the organ's name before: '大会 1977 年 12 月 19 日第
# 32/197 号决议', '大会 2007 年 12 月第 62/208 号决议'. A date after anything else ('2020年，大会在第…') is
# another event's.
_DATED_RESOLUTION = re.compile(
    r"(?:大会|经济及社会理事会|经社理事会|安全理事会|安理会)\s*(\d{4})\s*年"
    r"(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)?\s*第\s*$"
)
# The paragraphs of a cited document right after its symbol: '(见 E/2019/10，第 8-23 段)',
# '(UNICEF/2024/EB/6)，第184-185段', '[JIU/REP/2018/5](#)，第 108 段和建议 4'; of a resolution right after
# '号决议': '第 73/17 号决议第 6 段', '第71/243号决议，第52段'. Anything between (附件, 第三章, 执行摘要)
# makes them another part's, and they are not read.
_NUMBER = r"\d{1,4}(?:\s*\([a-z]\))?"
_PARAGRAPHS = rf"第\s*({_NUMBER}(?:\s*[-–—至]\s*{_NUMBER})?(?:\s*(?:和|、|,|，)\s*{_NUMBER})*)\s*段"
_AFTER_SYMBOL = re.compile(rf"\s*(?:\]\(#\))?\s*[)）]?\s*[，,]\s*{_PARAGRAPHS}")
_AFTER_RESOLUTION = re.compile(rf"号\s*决议\s*[，,]?\s*{_PARAGRAPHS}")
# What the citing text says a document is about, right before it: '大会关于全系统一致性问题的第 64/289 号
# 决议', '关于妇女、和平与安全的安全理事会第 1325 (2000) 号决议', '我在关于实施新的管理架构的报告
# (A/72/492/Add.2)', '关于共同房地的报告 JIU/REP/2020/3'. Only the last 关于, and no punctuation or quotation
# between but a bracketed short name ((人居署)); a quoted title is read above as a title.
_ORGANS = r"(?:大会|经济及社会理事会|经社理事会|安全理事会|安理会)"
_ABOUT = re.compile(
    r"关于((?:(?!关于)[^，,。；;：:“”\"()（）\[\]《》]|[（(][^，,。；;()（）]{1,8}[)）]){2,80}?)的\s*"
    rf"(?:{_ORGANS}?\s*第\s*|(?:初次)?(?:报告|行政指示|文件|说明)\s*[（(\[]?\s*(?:见\s*)?)$"
)
# A report the text calls one right before its symbol: '…的报告(A/72/492)', '年度概览报告(E/2019/10)'.
_CALLED_REPORT = re.compile(r"报告\s*[（(\[]?\s*(?:见\s*)?$")
_RELATIONS = {
    "addendum": UNKG.addendumTo,
    "revision": UNKG.revisionOf,
    "corrigendum": UNKG.corrigendumTo,
    "amendment": UNKG.amendmentTo,
}
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
    # The symbol's last part says whose addendum, revision, corrigendum or amendment the document is.
    whole = part_of(symbol)
    if whole is not None:
        relation, other = whole
        facts.add(node, _RELATIONS[relation], document(facts, other, line, source), span)
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
    dates: dict[URIRef, list[tuple[str, Span]]] = {}
    for paragraph in source.paragraphs():
        text = paragraph.text
        resolutions = find_resolutions(text)
        for citation in find_symbols(text) + resolutions + find_decisions(text):
            if citation.symbol in own_symbols:
                continue
            line = source.line_at(paragraph, citation.start)
            node = document(facts, citation.symbol, line, source)
            facts.add(citing, CITO.cites, node, source.span(line))
            dated = _title(source, facts, paragraph, citation, node, citing=citing, bodies=bodies)
            if dated is not None:
                dates.setdefault(node, []).append(dated)
            _paragraphs(source, facts, paragraph, citation, node, citing=citing, resolutions=resolutions)
            cited.add(node)
    for node, given in dates.items():
        _date(facts, node, given)
    return len(cited)


def _paragraphs(
    source: SourceText,
    facts: Facts,
    paragraph: Paragraph,
    citation: Cited,
    node: URIRef,
    *,
    citing: URIRef,
    resolutions: list[Cited],
) -> None:
    """The paragraphs of `node` the text cites right after it, each a unkg:Paragraph the citing document
    unkg:citesParagraph. A paragraph number after '第 A 号和第 B 号决议' or '第 72/266 A 和 B 号决议'
    could be either's, so it is read only after a resolution that has its own '决议'."""
    text = paragraph.text
    if citation.end >= 0:
        found = _AFTER_SYMBOL.match(text, citation.end)
    else:
        mark = text.find("号", citation.start)
        # Resolutions with no 决议 between them share it ('第 A 号和第 B 号决议', '第 72/266 A 和 B 号决议').
        sharing = [
            c
            for c in resolutions
            if "决议" not in text[min(c.start, citation.start) : max(c.start, citation.start)]
        ]
        if mark < 0 or len(sharing) != 1 or "/RES/" not in citation.symbol:
            return
        found = _AFTER_RESOLUTION.match(text, mark)
    if found is None:
        return
    span = source.span(source.line_at(paragraph, citation.start), source.line_at(paragraph, found.end() - 1))
    for number in re.split(r"\s*(?:和|、|,|，)\s*", found.group(1)):
        printed = re.sub(r"\s+", "", re.sub(r"[–—至]", "-", number))
        part = facts.iri(f"paragraph/{slug(citation.symbol)}/{slug(printed)}")
        facts.add(part, RDF.type, UNKG.Paragraph, span)
        facts.add(part, UNKG.paragraphNumber, Literal(printed), span)
        facts.add(part, DCTERMS.isPartOf, node, span)
        facts.add(citing, UNKG.citesParagraph, part, span)


def _date(facts: Facts, node: URIRef, given: list[tuple[str, Span]]) -> None:
    """The most precise of the dates the text gives a cited document, when each of them agrees with it
    ('2024年' and '2024年5月' give 2024-05; '2024年3月' and '2024年5月' give nothing)."""
    value, span = max(given, key=lambda item: len(item[0]))
    if any(not value.startswith(other) for other, _ in given):
        return
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(value), XSD.date)
    facts.add(node, DCTERMS.date, Literal(value, datatype=datatype), span)


def _title(
    source: SourceText,
    facts: Facts,
    paragraph: Paragraph,
    citation: Cited,
    node: URIRef,
    *,
    citing: URIRef,
    bodies: BodyIndex | None,
) -> tuple[str, Span] | None:
    """The title the text gives the cited document just before it, as another title; and whose report
    it is where the text says so: '秘书长关于“…”的报告', or '我在题为“…”的报告' in a report the
    citing document's issuer writes in the first person. Returns the date the text gives the document
    there (a footnote's 'title, 2022年10月(symbol)', a resolution's '大会 1977 年 12 月 19 日第'), if any."""
    before = paragraph.text[: citation.start]
    here = source.line_at(paragraph, citation.start)
    about = _ABOUT.search(before)
    if about is not None:
        span = source.span(source.line_at(paragraph, about.start()), here)
        facts.text(node, DCTERMS.subject, about.group(1).strip(), span)
    if citation.end >= 0 and _CALLED_REPORT.search(before):
        facts.add(node, RDF.type, UNKG.Report, source.span(source.line_at(paragraph, len(before) - 1), here))
    adopted = _DATED_RESOLUTION.search(before) if "/RES/" in citation.symbol else None
    dated = None
    if adopted is not None:
        line = source.line_at(paragraph, adopted.start())
        dated = (_iso(*adopted.groups()), source.span(line, source.line_at(paragraph, citation.start)))
    pattern = _TITLED_RESOLUTION if "/RES/" in citation.symbol else _TITLED_SYMBOL
    found = pattern.search(before)
    if found is None and "/RES/" not in citation.symbol:
        # Only in a footnote is 'words, a month (symbol)' a reference rather than a clause of a sentence.
        found = _REFERENCE.search(before)
        line = source.line_at(paragraph, found.start(1)) if found is not None else 0
        if found is not None and not _FOOTNOTE.match(source.raw[line - 1]):
            found = None
    if found is None:
        return dated
    span = source.span(source.line_at(paragraph, found.start()), source.line_at(paragraph, citation.start))
    facts.text(node, DCTERMS.alternative, found.group(1).strip(), span)
    if found.re is _REFERENCE:
        return _iso(found.group(2), found.group(3), None), span
    if found.re is not _TITLED_SYMBOL:
        return dated
    author = _author(before[: found.start()], facts, citing, bodies)
    if author is not None:
        facts.add(node, UNKG.issuedBy, author, span)
    return dated


def _iso(year: str, month: str | None, day: str | None) -> str:
    """'1977', '12', '19' → '1977-12-19'; as precise as the text."""
    parts = [year]
    if month:
        parts.append(f"{int(month):02d}")
        if day:
            parts.append(f"{int(day):02d}")
    return "-".join(parts)


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
