"""An organization's progress report on JIU recommendations (Chinese), such as WIPO's WO/PBC/38/2.

Yields the document's own metadata, one status assessment per recommendation record of its annexes
(report symbol and title, number and text, addressee, acceptance, implementation, responsible
official, management assessment), the JIU reviews under way, and the recommendations the draft
decision asks the committee to endorse. Driven by the record structure ("JIU/REP/…", "建议 N：",
"接受情况：", "落实情况：", "负责人：", "管理层/联络点评估："), not by line numbers.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from rdflib import RDF, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS

from service.ingest import metadata, narrative
from service.ingest.addressees import add_actors
from service.ingest.bodies import BodyIndex
from service.ingest.citations import add_citations, add_mentions, document
from service.ingest.dates import chinese_date, date_range, deadline
from service.ingest.facts import Facts
from service.ingest.symbols import slug
from service.ingest.text import ExtractionError, SourceText, Span, chinese_number
from service.rdf import UNKG

logger = logging.getLogger(__name__)

KIND = "jiu_progress_report"
ACCEPTANCE = {
    "已接受": "accepted",
    "接受": "accepted",
    "未接受": "not-accepted",
    "不接受": "not-accepted",
    "正在审议": "under-consideration",
    "不相关": "not-relevant",
}
IMPLEMENTATION = {
    "已落实": "implemented",
    "正在落实": "in-progress",
    "未开始": "not-started",
    "尚未开始": "not-started",
}
# Each annex opens with its cut-off: '——截至 2025 年 2 月 28 日的情况'.
_AS_OF = re.compile(r"截至\s*\d{4}\s*年\s*\d+\s*月\s*\d+\s*日的情况")
_REPORT = re.compile(r"^(JIU/(?:REP|NOTE)/\d{4}/\d+(?: Rev\.\d+)?)$")
_RECOMMENDATION = re.compile(r"^建议\s*(\d+)\s*[：:]$")
_FIELD = re.compile(r"^(接受情况|接受|落实情况|负责人|管理层/联络点评估)\s*[：:]\s*(.*)$")
# Lines that close a record's management assessment: page furniture and section structure.
_STOP = re.compile(
    r"^(https?://|之前为|与之前状态相比|评估已更新|\[后接|\[附件|[A-Z]\.\s|本(?:报告|说明)由联检组于|联检组向|——截至|附件[一二三四五六七八九十])"
)


@dataclass
class Record:
    report: str
    report_line: int
    title: str = ""
    title_lines: tuple[int, int] | None = None
    number: int = 0
    number_line: int = 0
    text: list[str] = field(default_factory=list)
    text_end: int = 0
    fields: dict[str, tuple[str, int]] = field(default_factory=dict)
    comment: list[str] = field(default_factory=list)
    comment_end: int = 0
    role: str = "executive"
    as_of: tuple[str, int] | None = None
    is_note: bool = False
    is_new: bool = False
    issued: tuple[str, int] | None = None


def is_progress_report(source: SourceText) -> bool:
    return source.find(r"^接受(?:情况)?[：:]") is not None and source.find(_REPORT) is not None


def extract(source: SourceText, *, facts: Facts, bodies: BodyIndex, document_node: URIRef) -> list[str]:
    """State what the progress report says; return warnings (counts it states that do not add up)."""
    report = document_node
    own_symbol = _metadata(source, facts, report, bodies)
    organization = _organization(source, bodies)
    source.require(_AS_OF.pattern, what="'截至 … 的情况' (cut-off date)")
    end = source.find(r"文件完")
    if end is None:
        raise ExtractionError(
            f"{source.name} ends before its closing line '[…文件完]': truncated?", line=len(source)
        )
    records = _records(source, end=end)
    warnings = []
    for record in records:
        _assessment(source, facts, report, record, organization=organization, bodies=bodies)
    warnings += _check_counts(source, records)
    _reviews_under_way(source, facts, report)
    _draft_decision(source, facts, report, bodies)
    metadata.previous_report(source, facts, report)
    _ceb_comments(source, facts, len(source))
    add_citations(source, facts, report, own_symbols=frozenset({own_symbol}), bodies=bodies)
    add_mentions(source, facts, report, bodies)
    narrative.structure(source, facts, bodies)
    return warnings


def _metadata(source: SourceText, facts: Facts, report: URIRef, bodies: BodyIndex) -> str:
    symbol_line = source.require(r"^[A-Z]+/[A-Z]+/\d+/\d+", end=10, what="document symbol at the top")
    symbol = source.line(symbol_line).split()[0]
    span = source.span(symbol_line)
    facts.add(report, RDF.type, UNKG.Report, span)
    facts.add(report, UNKG.symbol, Literal(symbol), span)
    date_line = source.require(r"^日期[：:]", end=20, what="'日期：' line")
    date = chinese_date(source.line(date_line))
    if date is not None:
        facts.add(report, DCTERMS.date, Literal(date, datatype=XSD.date), source.span(date_line))
    metadata.original_language(source, facts, report, end=20)
    title_line = source.require(r"建议的落实进展报告|建议.*进展报告", end=40, what="title")
    facts.text(report, DCTERMS.title, source.line(title_line), source.span(title_line))
    facts.add(
        report, UNKG.documentType, facts.iri("document-type/jiu-progress-report"), source.span(title_line)
    )
    committee_line = source.find(r"委员会$", start=date_line, end=title_line)
    committee = bodies.lookup(source.line(committee_line)) if committee_line else None
    if committee is not None and committee_line is not None:
        facts.add(report, UNKG.submittedTo, committee, source.span(committee_line))
        _session(source, facts, report, committee, start=committee_line, end=title_line)
    metadata.prepared_by(
        source, facts, report, bodies, organization=_organization(source, bodies), end=title_line + 5
    )
    return symbol


def _session(
    source: SourceText, facts: Facts, report: URIRef, committee: URIRef, *, start: int, end: int
) -> None:
    line = source.find(r"^第([一二三四五六七八九十]+)届会议$", start=start, end=end)
    if line is None:
        return
    found = re.match(r"^第([一二三四五六七八九十]+)届会议$", source.line(line))
    assert found is not None
    number = chinese_number(found.group(1))
    session = facts.iri(f"session/{committee.rsplit('/', 1)[-1]}/{number}")
    span = source.span(line)
    facts.add(session, RDF.type, UNKG.Session, span)
    facts.add(session, UNKG.sessionOf, committee, span)
    facts.add(session, UNKG.sessionNumber, Literal(number, datatype=XSD.integer), span)
    facts.add(report, UNKG.submittedToSession, session, span)
    dates_line = source.find(r"\d{4}\s*年.*日至.*日", start=line, end=end)
    if dates_line is not None:
        found_range = date_range(source.line(dates_line))
        if found_range is not None:
            first, last, venue = found_range
            dates_span = source.span(dates_line)
            facts.add(session, UNKG.startDate, Literal(first, datatype=XSD.date), dates_span)
            facts.add(session, UNKG.endDate, Literal(last, datatype=XSD.date), dates_span)
            if venue:
                facts.text(session, UNKG.venue, venue, dates_span)


def _organization(source: SourceText, bodies: BodyIndex) -> URIRef:
    """The reporting organization: the first UN system organization the overview names."""
    for _, line in source.numbered():
        for mention in bodies.find(line):
            if bodies.kind(mention.body) == "organization":
                return mention.body
    raise ExtractionError(f"{source.name}: no reporting organization named")


def _records(source: SourceText, *, end: int) -> list[Record]:
    records: list[Record] = []
    role, is_note = "legislative", False
    issued: tuple[str, int] | None = None
    is_new = False
    # '本报告由联检组于…发布' speaks of the report whose records follow it, not of the next reports.
    issued_report: str | None = None
    as_of: tuple[str, int] | None = None
    current: Record | None = None
    state = "none"
    for number, line in source.numbered(1, end):
        if not line:
            continue
        if re.search(r"有效报告清单", line) or line == "附件四":
            break
        if line.startswith("联检组向") and line.endswith("提出的建议"):
            role = "legislative" if ("立法" in line or "理事机构" in line) else "executive"
            is_note, state, current = False, "none", None
            continue
        if "作为说明发布" in line:
            is_note = True
        if _AS_OF.search(line):
            as_of = (chinese_date(line) or "", number)
        statement = re.match(r"^本(?:报告|说明)由联检组于\s*(.+?)发布", line)
        if statement:
            issued = (chinese_date(statement.group(1)) or "", number)
            is_new, issued_report = "新建议" in line, None
            state = "none"
            continue
        if re.match(r"^[A-Z]\.\s", line):
            issued, is_new, state = None, False, "none"
            continue
        report = _REPORT.match(line)
        if report:
            current = Record(
                report=report.group(1), report_line=number, role=role, as_of=as_of, is_note=is_note
            )
            if issued is not None and issued_report in (None, current.report):
                issued_report = current.report
                current.issued, current.is_new = issued, is_new
            else:
                issued, is_new = None, False
            records.append(current)
            state = "title"
            continue
        if current is None:
            continue
        recommendation = _RECOMMENDATION.match(line)
        field_match = _FIELD.match(line)
        if state == "title" and recommendation is None:
            title = re.sub(r"\s*第[一二三四]部分", "", line).strip()
            current.title = (current.title + title) if current.title else title
            current.title_lines = (current.title_lines[0] if current.title_lines else number, number)
        elif recommendation is not None and state in ("title", "text"):
            current.number, current.number_line, state = int(recommendation.group(1)), number, "text"
        elif field_match is not None and state in ("text", "fields", "comment"):
            name = "接受情况" if field_match.group(1) == "接受" else field_match.group(1)
            current.fields[name] = (field_match.group(2).strip(), number)
            state = "comment" if name == "管理层/联络点评估" else "fields"
            if state == "comment" and field_match.group(2).strip():
                current.comment.append(field_match.group(2).strip())
                current.comment_end = number
        elif state == "text":
            current.text.append(line)
            current.text_end = number
        elif state == "comment":
            if _STOP.match(line):
                state = "none"
            else:
                current.comment.append(line)
                current.comment_end = number
    for record in records:
        if not record.number:
            raise ExtractionError(
                f"the record of {record.report} has no '建议 N：' line", line=record.report_line
            )
        missing = [name for name in ("落实情况", "负责人") if name not in record.fields]
        if record.as_of is None:
            raise ExtractionError(
                f"the record of {record.report} follows no '截至 … 的情况' (cut-off date)",
                line=record.report_line,
            )
        if missing or not record.text:
            what = "its text" if not record.text else "、".join(missing)
            raise ExtractionError(
                f"the record of {record.report} 建议 {record.number} lacks {what}: truncated?",
                line=record.number_line,
            )
    return records


def _assessment(
    source: SourceText,
    facts: Facts,
    report: URIRef,
    record: Record,
    *,
    organization: URIRef,
    bodies: BodyIndex,
) -> None:
    jiu_report = document(facts, record.report, record.report_line, source)
    if record.title and record.title_lines:
        facts.text(jiu_report, DCTERMS.alternative, record.title, source.span(*record.title_lines))
    if record.issued and record.issued[0]:
        facts.add(
            jiu_report,
            DCTERMS.issued,
            Literal(record.issued[0], datatype=XSD.date),
            source.span(record.issued[1]),
        )
    text = "".join(record.text)
    record_span = source.span(record.number_line, record.text_end)
    recommendation = facts.iri(f"recommendation/{slug(record.report)}/formal/{record.number}")
    facts.add(recommendation, RDF.type, UNKG.FormalRecommendation, record_span)
    facts.add(recommendation, UNKG.inReport, jiu_report, record_span)
    facts.add(jiu_report, UNKG.hasRecommendation, recommendation, record_span)
    facts.add(
        recommendation,
        UNKG.recommendationNumber,
        Literal(record.number, datatype=XSD.integer),
        record_span,
    )
    facts.text(recommendation, UNKG.quotedText, text, record_span)
    add_actors(facts, recommendation, text, record_span, bodies, with_role=True)
    due = deadline(text)
    if due is not None:
        facts.add(recommendation, UNKG.deadline, Literal(due[0], datatype=due[1]), record_span)

    assessment = facts.iri(f"assessment/{facts.source_slug}/{slug(record.report)}/{record.number}")
    span = source.span(record.report_line, max(record.comment_end, record.fields["负责人"][1]))
    facts.add(assessment, RDF.type, UNKG.StatusAssessment, span)
    facts.add(assessment, UNKG.recommendation, recommendation, span)
    facts.add(assessment, UNKG.organization, organization, span)
    facts.add(assessment, UNKG.reportedIn, report, span)
    assert record.as_of is not None
    as_of, as_of_line = record.as_of
    facts.add(assessment, UNKG.asOf, Literal(as_of, datatype=XSD.date), source.span(as_of_line))
    facts.add(assessment, UNKG.addresseeRole, facts.iri(f"addressee-role/{record.role}"), span)
    if record.is_new:
        facts.add(assessment, UNKG.isNew, Literal(True), span)
    _status(source, facts, assessment, record, "接受情况", ACCEPTANCE, UNKG.acceptance, "acceptance-status")
    _status(
        source,
        facts,
        assessment,
        record,
        "落实情况",
        IMPLEMENTATION,
        UNKG.implementation,
        "implementation-status",
    )
    official, official_line = record.fields["负责人"]
    facts.text(assessment, UNKG.responsibleOfficial, official, source.span(official_line))
    if record.comment:
        comment_line = record.fields["管理层/联络点评估"][1]
        facts.text(
            assessment,
            UNKG.managementComment,
            "".join(record.comment),
            source.span(comment_line, max(record.comment_end, comment_line)),
        )


def _status(
    source: SourceText,
    facts: Facts,
    assessment: URIRef,
    record: Record,
    name: str,
    words: dict[str, str],
    predicate: URIRef,
    scheme: str,
) -> None:
    """A status word onto its concept; a blank status asserts nothing; a remark in brackets is kept."""
    if name not in record.fields:
        return
    value, line = record.fields[name]
    remark = re.search(r"[（(](.+?)[)）]", value)
    word = re.sub(r"[（(].*?[)）]", "", value).strip()
    if not word:
        return
    if word not in words:
        raise ExtractionError(f"unknown {name} '{word}' (expected one of {'、'.join(words)})", line=line)
    span: Span = source.span(line)
    facts.add(assessment, predicate, facts.iri(f"{scheme}/{words[word]}"), span)
    if remark:
        facts.text(assessment, UNKG.statusRemark, remark.group(1).strip(), span)


def _check_counts(source: SourceText, records: list[Record]) -> list[str]:
    """Compare the counts the overview states with the records found; disagreements are warnings."""
    stated = {
        "legislative": r"附件一载有.*?(\d+)\s*项建议",
        "executive": r"附件二载有.*?(\d+)\s*项建议",
        "note": r"附件三载有.*?([一二三四五六七八九十\d]+)项建议",
    }
    found = {
        "legislative": sum(1 for r in records if r.role == "legislative"),
        "executive": sum(1 for r in records if r.role == "executive" and not r.is_note),
        "note": sum(1 for r in records if r.is_note),
    }
    warnings = []
    for key, pattern in stated.items():
        line = source.find(pattern)
        if line is None:
            continue
        match = re.search(pattern, source.line(line))
        assert match is not None
        if chinese_number(match.group(1)) != found[key]:
            warnings.append(
                f"line {line}: the report states {match.group(1)} {key} recommendations; "
                f"{found[key]} records were found"
            )
    for warning in warnings:
        logger.warning("%s: %s", source.name, warning)
    return warnings


# A row of the table of reports with outstanding recommendations opens with the report's symbol; the
# note that carries CEB's comments on it, in the column headed 首协会评论意见, is an addendum of a General
# Assembly document (A/79/694/Add.1), the only symbol a row holds besides the report's own.
_ROW_REPORT = re.compile(r"^(JIU/(?:REP|NOTE)/\d{4}/\d+(?: Rev\.\d+)?)(?:\s|$)")
_CEB_COMMENTS = re.compile(r"(?<![A-Za-z0-9/])(A/\d+/\d+/Add\.\d+)(?![A-Za-z0-9/.])")


def _ceb_comments(source: SourceText, facts: Facts, end: int) -> int:
    """The CEB comments column of the table of reports with outstanding recommendations: each report
    symbol's row, up to the next row, the table's end or the document's, gives at most one note. A row
    with an empty column gives nothing, and a table without the column heading is not read."""
    heading = source.find(r"首协会评论意见", end=end)
    if heading is None or source.find(r"报告文号", start=max(1, heading - 15), end=heading) is None:
        return 0
    found, current, given = 0, None, False
    for number, line in source.numbered(heading + 1, end):
        row = _ROW_REPORT.match(line)
        if row is not None:
            current, given = (row.group(1), number), False
        if line.startswith("[") or line.startswith("https://"):
            break
        comments = _CEB_COMMENTS.findall(line)
        if current is None or not comments:
            continue
        if given or len(comments) > 1:
            current = None
            continue
        span = source.span(current[1], number)
        note = document(facts, comments[0], number, source)
        facts.add(document(facts, current[0], current[1], source), UNKG.cebComments, note, span)
        given, found = True, found + 1
    return found


def _reviews_under_way(source: SourceText, facts: Facts, report: URIRef) -> None:
    """Table 1: JIU reviews whose recommendations are not yet in the annexes (code, title, year)."""
    for number, line in source.numbered():
        row = re.match(r"^([A-Z]\d{3})\s+(.+?)\s+(\d{4})\s*年$", line)
        if row is None:
            continue
        code, title, year = row.groups()
        review = facts.iri(f"document/jiu-review-{code.lower()}")
        span = source.span(number)
        facts.add(review, RDF.type, UNKG.Report, span)
        facts.add(review, UNKG.documentType, facts.iri("document-type/jiu-report"), span)
        facts.add(review, UNKG.projectCode, Literal(code), span)
        facts.text(review, DCTERMS.alternative, title, span)
        facts.add(review, UNKG.programmeYear, Literal(year, datatype=XSD.gYear), span)
        facts.add(report, DCTERMS.references, review, span)


def _draft_decision(source: SourceText, facts: Facts, report: URIRef, bodies: BodyIndex) -> None:
    """The draft decision: which recommendations' assessments the committee is asked to endorse."""
    start = source.find(r"欢迎并核可")
    if start is None:
        return
    stop = source.find(r"请秘书处|\[后接附件", start=start) or start + 60
    committee = None
    heading = source.find(r"^\d+\.\s*(.+?)[（(][A-Z]+[)）][：:]", start=max(1, start - 10), end=start)
    if heading is not None:
        committee = bodies.lookup(re.sub(r"^\d+\.\s*|[（(].*$", "", source.line(heading)))
    if committee is None:
        logger.warning(
            "%s: the draft decision at line %d names no known committee; left out", source.name, start
        )
        return
    text = "".join(line for _, line in source.numbered(start, stop))
    index = 0
    for match in re.finditer(
        r"(JIU/(?:REP|NOTE)/\d{4}/\d+(?: Rev\.\d+)?)[^；;]*?建议([\d、和及,， ]+)", text
    ):
        symbol = match.group(1)
        line = next((n for n, text_line in source.numbered(start, stop) if symbol in text_line), start)
        for number in re.findall(r"\d+", match.group(2)):
            index += 1
            action = facts.iri(f"action/{facts.source_slug}/endorse/{index}")
            span = source.span(line, min(line + 2, stop))
            # What the committee is to endorse is the Secretariat's assessment of the recommendation
            # ('核可秘书处对…建议落实情况的评估'), not the recommendation, which WIPO may not even accept.
            assessment = facts.iri(f"assessment/{facts.source_slug}/{slug(symbol)}/{number}")
            if (assessment, RDF.type, UNKG.StatusAssessment) not in facts.graph:
                continue
            facts.add(action, RDF.type, UNKG.BodyAction, span)
            facts.add(action, UNKG.actor, committee, span)
            facts.add(action, UNKG.actionType, facts.iri("action-type/endorsed"), span)
            facts.add(action, UNKG.actionObject, assessment, span)
            facts.add(action, UNKG.proposed, Literal(True), span)
            facts.add(action, UNKG.reportedIn, report, span)
