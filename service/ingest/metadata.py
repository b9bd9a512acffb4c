"""What a document says about itself, in any kind: the original language, who prepared it, the agenda
its header's agenda item points to, the resolution (and paragraph) that requested it, to whom it is
submitted and by whom it is considered. Each from the document's own words, never from its kind.
"""

from __future__ import annotations

import re

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS

from service.ingest.bodies import BodyIndex
from service.ingest.citations import document
from service.ingest.facts import Facts
from service.ingest.symbols import SYMBOL, find_resolutions, normalise, slug
from service.ingest.text import SourceText
from service.rdf import UNKG

# 'Original: English' on an ECOSOC cover, '原文：英文' on a WIPO one.
_LANGUAGES = {
    "english": "en",
    "french": "fr",
    "spanish": "es",
    "russian": "ru",
    "arabic": "ar",
    "chinese": "zh",
    "英文": "en",
    "法文": "fr",
    "西班牙文": "es",
    "俄文": "ru",
    "阿拉伯文": "ar",
    "中文": "zh",
}
_ORIGINAL = re.compile(r"^(?:Original\s*:\s*([A-Za-z]+)|原文\s*[：:]\s*(\S+?))\s*$")
_SENTENCE = re.compile(r"[^。；]+[。；]?")
# The report speaking of itself: '本报告应大会第 72/266 B 号决议第 28 段要求提交', or '报告应大会…
# 第 64/289 号决议第 4(b)段的要求，…' after a sentence of the same paragraph that opened with 本报告 (a bare
# 报告 elsewhere may be any report). 应 … 要求 is 'at the request of'; 按照/根据 alone ('in accordance
# with') is not read here.
_SELF_REQUESTED = re.compile(r"^\s*(?:\d+\.\s*)?(本)?报告应(?=.*要求)")
_SELF = re.compile(r"^\s*(?:\d+\.\s*)?本报告")
_PARAGRAPH = re.compile(r"\s*号\s*决议第\s*(\d+(?:\s*\([a-z]\))?)\s*段")
# '在提交经济及社会理事会并由方案和协调委员会审议的年度概览报告中': submitted to one body, considered by
# another.
# The report saying what it is made in accordance with: '本报告按照经济及社会理事会第 2008(LX)号决议，概述…'.
_SELF_PURSUANT = re.compile(r"^\s*(?:\d+\.\s*)?本报告(?:按照|根据|依照)(?=[^，。；]*号\s*决议)")
# The previous report of its series, as the report names it: '提交上一份报告（WO/PBC/37/6 Rev.）'.
_PREVIOUS = re.compile(r"上一份报告\s*[（(]\s*([^（）()]+?)\s*[）)]")
_SUBMITTED_CONSIDERED = re.compile(r"提交(?:给|至)?(\S+?)并由(\S+?)审议的[^，。；]{0,10}报告")


def original_language(source: SourceText, facts: Facts, report: URIRef, *, end: int) -> str | None:
    """The language the header says the document was written in, as a BCP 47 tag."""
    for number, line in source.numbered(1, end):
        found = _ORIGINAL.match(line)
        if found is None:
            continue
        tag = _LANGUAGES.get((found.group(1) or found.group(2)).lower())
        if tag is not None:
            facts.add(report, DCTERMS.language, Literal(tag), source.span(number))
        return tag
    return None


def prepared_by(
    source: SourceText,
    facts: Facts,
    report: URIRef,
    bodies: BodyIndex,
    *,
    organization: URIRef | None,
    end: int,
) -> URIRef | None:
    """'秘书处编拟' in the header: the body that prepared the document. A bare 秘书处 is the secretariat of
    the organization the document is of, when the reference data has it; else nothing is asserted."""
    line = source.find(r"^\S{2,20}(?:编拟|编写)$", end=end)
    if line is None:
        return None
    name = re.sub(r"(?:编拟|编写)$", "", source.line(line))
    body = None
    if name == "秘书处" and organization is not None:
        body = bodies.secretariat_of(organization)
    elif name != "秘书处":
        body = bodies.lookup(name)
    if body is not None:
        facts.add(report, UNKG.preparedBy, body, source.span(line))
    return body


def agenda(source: SourceText, facts: Facts, report: URIRef, *, item_line: int, end: int) -> URIRef | None:
    """The agenda a starred agenda item ('临时议程* 项目 7(a)') names in its footnote ('* E/2007/100')."""
    if "*" not in source.raw[item_line - 1] and "*" not in source.line(item_line):
        return None
    for number, line in source.numbered(item_line + 1, end):
        found = re.fullmatch(r"\*\s*(\S+?)[。.]?", line)
        if found is None or not SYMBOL.fullmatch(found.group(1)):
            continue
        node = document(facts, normalise(found.group(1)), number, source)
        span = source.span(number)
        facts.add(node, UNKG.documentType, facts.iri("document-type/agenda"), span)
        facts.add(report, UNKG.agenda, node, source.span(item_line))
        facts.add(report, UNKG.agenda, node, span)
        return node
    return None


def session_agenda(
    source: SourceText, facts: Facts, report: URIRef, *, symbol: str, end: int
) -> URIRef | None:
    """The agenda a first-page footnote '* A/75/150。' names when the header's starred agenda item is lost
    in conversion: only a footnote that is a symbol alone, of the same Assembly or Council session as the
    document's own symbol (A/75/150 for A/75/201), since that is what such a footnote is on a session
    document; a footnote of other words, or another session's document, names no agenda."""
    own = re.fullmatch(r"([AE])/(\d+)/\d+(?:/.*)?", symbol)
    if own is None:
        return None
    for number, line in source.numbered(1, end):
        found = re.fullmatch(r"\*\s*(\S+?)[。.]?", line)
        if found is None or not SYMBOL.fullmatch(found.group(1)):
            continue
        cited = normalise(found.group(1))
        if not re.fullmatch(rf"{own.group(1)}/{own.group(2)}/\d+", cited):
            return None
        node = document(facts, cited, number, source)
        span = source.span(number)
        facts.add(node, UNKG.documentType, facts.iri("document-type/agenda"), span)
        facts.add(report, UNKG.agenda, node, span)
        return node
    return None


def previous_report(source: SourceText, facts: Facts, report: URIRef) -> URIRef | None:
    """The report before this one in its series, where the report names it by symbol ('上一份报告（…）')."""
    for paragraph in source.paragraphs():
        found = _PREVIOUS.search(paragraph.text)
        if found is None or not SYMBOL.fullmatch(found.group(1)):
            continue
        line = source.line_at(paragraph, found.start(1))
        node = document(facts, normalise(found.group(1)), line, source)
        facts.add(report, UNKG.previousReport, node, source.span(line))
        return node
    return None


def requested(source: SourceText, facts: Facts, report: URIRef, bodies: BodyIndex) -> int:
    """Sentences where the report says at whose request it is made: the resolutions, the paragraph where
    it names one resolution, and, where the same sentence says, the bodies it is submitted to and
    considered by. Returns how many requesting resolutions were found."""
    count = 0
    for paragraph in source.paragraphs():
        about_itself = False
        for sentence in _SENTENCE.finditer(paragraph.text):
            text = sentence.group(0)
            pursuant = _SELF_PURSUANT.match(text)
            if pursuant is not None:
                clause = text[: text.find("号", pursuant.end()) + 1]
                for resolution in find_resolutions(clause + "决议"):
                    line = source.line_at(paragraph, sentence.start() + resolution.start)
                    node = document(facts, resolution.symbol, line, source)
                    facts.add(report, UNKG.pursuantTo, node, source.span(line))
            own = _SELF_REQUESTED.match(text)
            follows_itself = about_itself
            about_itself = about_itself or _SELF.match(text) is not None
            if own is None or not (own.group(1) or follows_itself):
                continue
            cited = find_resolutions(text)
            for resolution in cited:
                line = source.line_at(paragraph, sentence.start() + resolution.start)
                span = source.span(line)
                node = document(facts, resolution.symbol, line, source)
                facts.add(report, UNKG.requestedBy, node, span)
                count += 1
                # A paragraph number after '号决议' belongs to the resolution only when it is the one cited.
                mark = text.find("号", resolution.start)
                after = _PARAGRAPH.match(text, mark) if mark >= 0 else None
                if len(cited) == 1 and after is not None:
                    number = re.sub(r"\s+", "", after.group(1))
                    part = facts.iri(f"paragraph/{slug(resolution.symbol)}/{slug(number)}")
                    facts.add(part, RDF.type, UNKG.Paragraph, span)
                    facts.add(part, UNKG.paragraphNumber, Literal(number), span)
                    facts.add(part, DCTERMS.isPartOf, node, span)
                    facts.add(report, UNKG.requestedByParagraph, part, span)
            roles = _SUBMITTED_CONSIDERED.search(text)
            if roles is not None:
                submitted, considered = bodies.lookup(roles.group(1)), bodies.lookup(roles.group(2))
                line = source.line_at(paragraph, sentence.start() + roles.start())
                if submitted is not None:
                    facts.add(report, UNKG.submittedTo, submitted, source.span(line))
                if considered is not None:
                    facts.add(report, UNKG.consideredBy, considered, source.span(line))
    return count
