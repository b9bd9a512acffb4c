"""WIPO's WO/PBC/38/2: the status of every JIU recommendation addressed to WIPO, and its variants."""

from __future__ import annotations

from pathlib import Path

from service.stores import OxigraphStore
from tests.ingest.conftest import WIPO, ingest_files, ingest_settings, rows, values, variant

DOC = "https://w3id.org/unkg/id/document/wo-pbc-38-2"
# Open in the JIU's sense: accepted or under consideration, and not implemented.
OPEN = """?a a unkg:StatusAssessment ; unkg:reportedIn ?doc ; unkg:recommendation ?r ; unkg:acceptance ?acc .
    FILTER(?acc IN (id:acceptance-status\\/accepted, id:acceptance-status\\/under-consideration))
    FILTER NOT EXISTS { ?a unkg:implementation id:implementation-status\\/implemented }"""


def test_the_annexes_hold_9_legislative_20_executive_and_6_note_recommendations(
    ingested: OxigraphStore,
) -> None:
    counts = rows(
        ingested,
        f"""SELECT ?role ?note (COUNT(DISTINCT ?a) AS ?n) WHERE {{
        ?a a unkg:StatusAssessment ; unkg:reportedIn <{DOC}> ; unkg:addresseeRole ?role ; unkg:recommendation ?r .
        BIND(CONTAINS(STR(?r), "jiu-note") AS ?note)
    }} GROUP BY ?role ?note ORDER BY ?role ?note""",
    )
    assert [(r["role"].rsplit("/", 1)[-1], r["note"], r["n"]) for r in counts] == [
        ("executive", "false", "20"),
        ("executive", "true", "6"),
        ("legislative", "false", "9"),
    ]


def test_the_open_recommendations_are_the_3_legislative_and_5_executive_the_report_names(
    ingested: OxigraphStore,
) -> None:
    found = rows(
        ingested,
        f"""SELECT DISTINCT ?role ?r WHERE {{ {OPEN} ?a unkg:addresseeRole ?role .
        FILTER(?doc = <{DOC}>) }} ORDER BY ?role ?r""",
    )
    short = [(r["role"].rsplit("/", 1)[-1], r["r"].split("/recommendation/")[1]) for r in found]
    assert short == [
        ("executive", "jiu-rep-2019-5/formal/1"),
        ("executive", "jiu-rep-2023-8/formal/1"),
        ("executive", "jiu-rep-2024-4/formal/1"),
        ("executive", "jiu-rep-2024-4/formal/2"),
        ("executive", "jiu-rep-2024-4/formal/3"),
        ("legislative", "jiu-rep-2023-2/formal/5"),
        ("legislative", "jiu-rep-2023-3/formal/1"),
        ("legislative", "jiu-rep-2023-3/formal/2"),
    ]


def test_a_record_has_its_statuses_official_and_assessment(ingested: OxigraphStore) -> None:
    found = rows(
        ingested,
        """SELECT DISTINCT ?asOf ?acc ?imp ?official ?comment ?new WHERE {
        ?a unkg:recommendation id:recommendation\\/jiu-rep-2024-3\\/formal\\/2 ; unkg:asOf ?asOf ;
           unkg:acceptance ?acc ; unkg:implementation ?imp ; unkg:responsibleOfficial ?official ;
           unkg:managementComment ?comment ; unkg:isNew ?new }""",
    )
    assert found == [
        {
            "asOf": "2025-02-28",
            "acc": "https://w3id.org/unkg/id/acceptance-status/accepted",
            "imp": "https://w3id.org/unkg/id/implementation-status/implemented",
            "official": "计划编制、预算和风险管理司司长兼助理财务主任",
            "comment": "产权组织采用的支出用途定义见本组织工作计划和预算附录 B。",
            "new": "true",
        }
    ]


def test_a_blank_status_is_left_out_and_a_remark_kept(ingested: OxigraphStore) -> None:
    found = rows(
        ingested,
        """SELECT DISTINCT ?acc ?remark (COUNT(?imp) AS ?implementations) WHERE {
        ?a unkg:recommendation id:recommendation\\/jiu-rep-2024-3\\/formal\\/1 ; unkg:acceptance ?acc ;
           unkg:statusRemark ?remark . OPTIONAL { ?a unkg:implementation ?imp } } GROUP BY ?acc ?remark""",
    )
    assert found == [
        {
            "acc": "https://w3id.org/unkg/id/acceptance-status/not-relevant",
            "remark": "不单是产权组织的职权范围",
            "implementations": "0",
        }
    ]


def test_the_document_metadata_committee_and_session(ingested: OxigraphStore) -> None:
    found = rows(
        ingested,
        f"""SELECT DISTINCT ?symbol ?date ?committee ?number ?start ?end ?venue WHERE {{
        <{DOC}> unkg:symbol ?symbol ; dct:date ?date ; unkg:submittedTo ?committee ;
                unkg:submittedToSession ?s . ?s unkg:sessionNumber ?number ; unkg:startDate ?start ;
                unkg:endDate ?end ; unkg:venue ?venue }}""",
    )
    assert found == [
        {
            "symbol": "WO/PBC/38/2",
            "date": "2025-03-31",
            "committee": "https://w3id.org/unkg/id/body/wipo-pbc",
            "number": "38",
            "start": "2025-05-19",
            "end": "2025-05-23",
            "venue": "日内瓦",
        }
    ]


def test_cited_reports_keep_the_titles_and_issue_dates_the_document_gives(ingested: OxigraphStore) -> None:
    found = rows(
        ingested,
        """SELECT DISTINCT ?title ?issued WHERE {
        ?d unkg:symbol "JIU/REP/2024/3" ; dct:alternative ?title ; dct:issued ?issued }""",
    )
    assert found == [{"title": "联合国系统各组织的预算编制", "issued": "2025-01-06"}]


def test_the_reviews_under_way_and_the_draft_decision(ingested: OxigraphStore) -> None:
    codes = values(
        ingested,
        f"""SELECT DISTINCT ?code WHERE {{ <{DOC}> dct:references ?r .
        ?r unkg:projectCode ?code }} ORDER BY ?code""",
    )
    assert codes == ["A474", "A476", "A479", "A480", "A481", "A483", "A484", "A485"]
    endorse = values(
        ingested,
        f"""SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE {{ ?x a unkg:BodyAction ;
        unkg:reportedIn <{DOC}> ; unkg:proposed true ; unkg:actor id:body\\/wipo-pbc ;
        unkg:actionType id:action-type\\/endorsed ; unkg:actionObject ?o }}""",
    )
    assert endorse == ["21"]
    # What the committee is to endorse is the Secretariat's assessment of each ('核可秘书处对…建议落实情况
    # 的评估', lines 105-109), not the recommendation: WIPO did not accept some of them (line 887).
    objects = values(
        ingested,
        f"""SELECT DISTINCT ?kind WHERE {{ ?x unkg:reportedIn <{DOC}> ; unkg:actor id:body\\/wipo-pbc ;
        unkg:actionObject ?o . ?o a ?kind }}""",
    )
    assert objects == ["https://w3id.org/unkg/ontology#StatusAssessment"]


def test_the_jiu_report_it_cites_is_the_one_ingested_in_full(ingested: OxigraphStore) -> None:
    found = rows(
        ingested,
        """SELECT DISTINCT ?title ?other ?score ?matched WHERE {
        ?d unkg:symbol "JIU/REP/2024/4" ; dct:title ?title ; dct:alternative ?other ; unkg:evidence ?e .
        ?e a unkg:IdentityEvidence ; unkg:matchScore ?score ; unkg:matchedSource ?matched }""",
    )
    assert len(found) == 1
    assert found[0]["title"] == "审查联合国系统内相互承认原则的执行情况"
    assert found[0]["other"] == "审查联合国系统内部实施相互承认原则的情况"
    assert float(found[0]["score"]) > 0.8
    assert found[0]["matched"] == "https://w3id.org/unkg/id/source/wo-pbc-38-2-jiu-recommendations-progress"
    texts = values(
        ingested,
        """SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE {
        id:recommendation\\/jiu-rep-2024-4\\/formal\\/1 unkg:text|unkg:quotedText ?t }""",
    )
    assert texts == ["2"]


def _record(lines: list[str], symbol: str, number: int) -> tuple[int, int]:
    """The first and last index of the record of `symbol` 建议 `number`."""
    start = next(
        i
        for i, line in enumerate(lines)
        if line.strip() == symbol and any(f"建议 {number}：" in later for later in lines[i : i + 8])
    )
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("管理层/联络点评估"))
    return start, end + 2


def test_a_record_added_is_ingested_and_the_stated_counts_warn(tmp_path: Path) -> None:
    def add(lines: list[str]) -> list[str]:
        start, end = _record(lines, "JIU/REP/2023/6", 4)
        copy = [line.replace("建议 4：", "建议 8：") for line in lines[start:end]]
        return lines[:end] + copy + lines[end:]

    store = OxigraphStore()
    [outcome] = ingest_files(store, ingest_settings(), variant(tmp_path, WIPO, add))
    assert outcome.status == "ingested", outcome.error
    assert values(store, "SELECT (COUNT(*) AS ?n) WHERE { ?a a unkg:StatusAssessment }") == ["36"]
    assert outcome.warnings == [
        "line 27: the report states 9 legislative recommendations; 10 records were found"
    ]


def test_a_shortened_and_reordered_report_yields_what_it_holds(tmp_path: Path) -> None:
    def edit(lines: list[str]) -> list[str]:
        start, end = _record(lines, "JIU/REP/2023/4", 3)
        lines = lines[:start] + lines[end:]
        first, first_end = _record(lines, "JIU/REP/2024/3", 2)
        second, second_end = _record(lines, "JIU/REP/2024/3", 3)
        return lines[:first] + lines[second:second_end] + lines[first:first_end] + lines[second_end:]

    store = OxigraphStore()
    [outcome] = ingest_files(store, ingest_settings(), variant(tmp_path, WIPO, edit))
    assert outcome.status == "ingested", outcome.error
    assert values(store, "SELECT (COUNT(*) AS ?n) WHERE { ?a a unkg:StatusAssessment }") == ["34"]
    assert values(
        store,
        """SELECT ?o WHERE { ?a unkg:recommendation id:recommendation\\/jiu-rep-2024-3\\/formal\\/3 ;
        unkg:responsibleOfficial ?o }""",
    ) == ["计划编制、预算和风险管理司司长兼助理财务主任"]


def test_a_truncated_report_fails_naming_file_and_line(tmp_path: Path) -> None:
    truncated = variant(tmp_path, WIPO, lambda lines: lines[:900])
    [outcome] = ingest_files(OxigraphStore(), ingest_settings(), truncated)
    assert outcome.status == "failed"
    last = len(truncated.read_text(encoding="utf-8").splitlines())
    assert (
        outcome.error
        == f"{truncated}:{last}: {truncated.name} ends before its closing line '[…文件完]': truncated?"
    )
