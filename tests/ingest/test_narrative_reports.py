"""CEB annual overview reports and the Secretary-General's A/75/201: metadata, structure, actions, changes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.stores import OxigraphStore
from tests.ingest.conftest import (
    CEB_2007,
    CEB_2019,
    SG,
    ingest_files,
    ingest_settings,
    rows,
    values,
    variant,
)

DOC_2019 = "https://w3id.org/unkg/id/document/ceb-annual-overview-2019"
DOC_2007 = "https://w3id.org/unkg/id/document/ceb-annual-overview-2006-2007"
DOC_SG = "https://w3id.org/unkg/id/document/a-75-201"


@pytest.fixture(scope="module")
def narrative(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    store = OxigraphStore()
    outcomes = ingest_files(store, ingest_settings(), CEB_2019, CEB_2007, SG)
    assert [o.status for o in outcomes] == ["ingested"] * 3, [o.error for o in outcomes]
    yield store
    store.close()


def test_ceb_reports_give_session_agenda_item_and_date_where_stated(narrative: OxigraphStore) -> None:
    found = rows(
        narrative,
        """SELECT DISTINCT ?doc ?agenda ?session ?start ?end ?date WHERE {
        ?doc unkg:documentType id:document-type\\/ceb-annual-overview-report ; unkg:agendaItem ?agenda ;
             unkg:issuedBy id:body\\/ceb ; unkg:submittedTo id:body\\/ecosoc ; unkg:submittedToSession ?session .
        ?session unkg:sessionOf id:body\\/ecosoc ; unkg:startDate ?start ; unkg:endDate ?end .
        OPTIONAL { ?doc dct:date ?date } } ORDER BY ?doc""",
    )
    assert found == [
        {
            "doc": DOC_2007,
            "agenda": "7(a)",
            "session": "https://w3id.org/unkg/id/session/ecosoc/2007",
            "start": "2007-07-02",
            "end": "2007-07-27",
            "date": "2007-05-24",
        },
        {
            "doc": DOC_2019,
            "agenda": "12(a)",
            "session": "https://w3id.org/unkg/id/session/ecosoc/2020",
            "start": "2019-07-25",
            "end": "2020-07-22",
        },
    ]


def test_ceb_report_sections_are_its_topics(narrative: OxigraphStore) -> None:
    titles = values(
        narrative,
        f"""SELECT ?title WHERE {{ <{DOC_2019}> unkg:hasSection ?s .
        ?s unkg:sectionNumber ?n ; dct:title ?title . FILTER(!CONTAINS(?n, ".")) }} ORDER BY ?s""",
    )
    assert titles[0] == "引言"
    assert "持续遵守国际公共部门会计准则" in titles
    assert "二.A" in values(
        narrative, f"SELECT ?n WHERE {{ <{DOC_2019}> unkg:hasSection/unkg:sectionNumber ?n }}"
    )


def test_what_committees_approved_and_ceb_endorsed(narrative: OxigraphStore) -> None:
    found = rows(
        narrative,
        f"""SELECT DISTINCT ?date ?session WHERE {{ ?a a unkg:BodyAction ;
        unkg:reportedIn <{DOC_2019}> ; unkg:actor id:body\\/hlcp ; unkg:actionType id:action-type\\/approved ;
        dct:date ?date ; unkg:atSession ?s . ?s unkg:sessionNumber ?session }} ORDER BY ?date""",
    )
    # Footnote 2 reports the 2016 approval, paragraph 11 the 2019 one.
    assert found == [{"date": "2016-03", "session": "31"}, {"date": "2019-04", "session": "37"}]
    endorsed = values(
        narrative,
        f"""SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a unkg:reportedIn <{DOC_2019}> ;
        unkg:actor id:body\\/ceb ; unkg:actionType id:action-type\\/endorsed }}""",
    )
    assert int(endorsed[0]) >= 3


def test_the_ceb_structure_is_stated_as_the_report_states_it(narrative: OxigraphStore) -> None:
    found = rows(
        narrative,
        """SELECT DISTINCT ?child ?parent WHERE {
        GRAPH <https://w3id.org/unkg/graph/source/ceb-annual-overview-2019> { ?c org:subOrganizationOf ?p }
        BIND(STRAFTER(STR(?c), "/body/") AS ?child) BIND(STRAFTER(STR(?p), "/body/") AS ?parent) } ORDER BY ?child""",
    )
    assert [(r["child"], r["parent"]) for r in found] == [
        ("ceb-task-force-on-sexual-harassment", "ceb"),
        ("hlcm", "ceb"),
        ("hlcm-digital-and-technology-network", "hlcm"),
        ("hlcm-duty-of-care-task-force", "hlcm"),  # 管理问题高级别委员会应有关照工作队 (issue 17, round 2)
        ("hlcm-finance-and-budget-network", "hlcm"),  # 管理问题高级别委员会财务和预算网 (issue 17)
        ("hlcm-human-resources-network", "hlcm"),  # 高管会人力资源网 (issue 17)
        ("hlcm-procurement-network", "hlcm"),
        ("hlcp", "ceb"),
    ]
    evidence = values(
        narrative,
        """SELECT ?quote WHERE { GRAPH ?g { id:body\\/hlcp unkg:evidence ?e .
        ?e unkg:supports org:subOrganizationOf ; unkg:quote ?quote } }""",
    )
    assert any("附属机制即方案问题高级别委员会" in quote for quote in evidence)


def test_resolutions_are_cited_with_what_they_requested(narrative: OxigraphStore) -> None:
    requested = rows(
        narrative,
        f"""SELECT DISTINCT ?symbol WHERE {{ ?a unkg:reportedIn <{DOC_2019}> ;
        unkg:actor id:body\\/ga ; unkg:actionType id:action-type\\/requested ; unkg:inResolution/unkg:symbol ?symbol }}
        ORDER BY ?symbol""",
    )
    assert {"symbol": "A/RES/67/226"} in requested and {"symbol": "A/RES/71/243"} in requested
    requested_by = values(narrative, f"SELECT ?s WHERE {{ <{DOC_2019}> unkg:requestedBy/unkg:symbol ?s }}")
    # 'At the request of' paragraph 4(b) of A/RES/64/289; 'in accordance with' E/RES/2008(LX) is no request
    # (issue 17, round 2: it is unkg:pursuantTo).
    assert sorted(requested_by) == ["A/RES/64/289"]
    cited = set(values(narrative, f"SELECT ?s WHERE {{ <{DOC_2019}> cito:cites/unkg:symbol ?s }}"))
    assert {"E/2019/10", "A/74/16", "A/72/684-E/2018/7", "CEB/2019/1/Add.2", "A/RES/64/289"} <= cited


def test_the_secretary_general_report_has_its_symbol_and_the_resolution_that_requested_it(
    narrative: OxigraphStore,
) -> None:
    found = rows(
        narrative,
        f"""SELECT DISTINCT ?symbol ?title ?requested WHERE {{ <{DOC_SG}> unkg:symbol ?symbol ;
        dct:title ?title ; unkg:issuedBy id:body\\/secretary-general ; unkg:requestedBy/unkg:symbol ?requested }}""",
    )
    assert found == [
        {
            "symbol": "A/75/201",
            "title": "转变联合国的管理模式：对管理改革实施进展情况的审查",
            "requested": "A/RES/72/266 B",
        }
    ]


def test_the_resolutions_that_endorsed_and_approved_the_reform(narrative: OxigraphStore) -> None:
    found = rows(
        narrative,
        f"""SELECT DISTINCT ?type ?symbol WHERE {{ ?a unkg:reportedIn <{DOC_SG}> ;
        unkg:actor id:body\\/ga ; unkg:actionType ?type ; unkg:inResolution/unkg:symbol ?symbol }} ORDER BY ?symbol ?type""",
    )
    short = {(r["type"].rsplit("/", 1)[-1], r["symbol"]) for r in found}
    assert {("endorsed", "A/RES/72/266 A"), ("approved", "A/RES/72/266 B")} <= short


def test_dmspc_and_dos_replaced_dm_and_dfs_on_1_january_2019(narrative: OxigraphStore) -> None:
    found = rows(
        narrative,
        """SELECT DISTINCT ?date
        (GROUP_CONCAT(DISTINCT STRAFTER(STR(?o), "/body/"); separator=" ") AS ?original)
        (GROUP_CONCAT(DISTINCT STRAFTER(STR(?r), "/body/"); separator=" ") AS ?resulting) WHERE {
        ?e a org:ChangeEvent ; dct:date ?date ; org:originalOrganization ?o ; org:resultingOrganization ?r } GROUP BY ?date""",
    )
    assert len(found) == 1
    assert found[0]["date"] == "2019-01-01"
    assert sorted(found[0]["original"].split()) == ["dfs", "dm"]
    assert sorted(found[0]["resulting"].split()) == ["dmspc", "dos"]


def test_a_new_section_and_action_in_a_variant_ceb_report_are_found(tmp_path: Path) -> None:
    def add(lines: list[str]) -> list[str]:
        at = lines.index("七. 结论")
        return (
            lines[:at]
            + [
                "八. 新增专题",
                "",
                "60. 管理问题高级别委员会在 2020 年 3 月第三十九届会议上核准了新的差旅政策。",
                "",
            ]
            + lines[at:]
        )

    store = OxigraphStore()
    [outcome] = ingest_files(store, ingest_settings(), variant(tmp_path, CEB_2019, add))
    assert outcome.status == "ingested", outcome.error
    found = rows(
        store,
        """SELECT DISTINCT ?date ?n WHERE { ?a unkg:actor id:body\\/hlcm ;
        unkg:actionType id:action-type\\/approved ; dct:date ?date ; unkg:atSession/unkg:sessionNumber ?n }""",
    )
    assert {"date": "2020-03", "n": "39"} in found
    assert "新增专题" in values(store, f"SELECT ?t WHERE {{ <{DOC_2019}> unkg:hasSection/dct:title ?t }}")


def test_a_variant_secretary_general_report_follows_its_structure(tmp_path: Path) -> None:
    def edit(lines: list[str]) -> list[str]:
        # Another footer symbol, a shorter text, and a change of its own: a unit set up to replace another.
        lines = [line.replace("A/75/201", "A/76/999") for line in lines]
        start = next(i for i, line in enumerate(lines) if line.startswith("8. 向两个新部门调派"))
        added = ["9. 秘书长提议设立信息和通信技术厅，取代前管理事务部：该厅于 2021 年 1 月 1 日设立。", ""]
        return lines[:start] + added + lines[start + 40 :]

    store = OxigraphStore()
    [outcome] = ingest_files(store, ingest_settings(), variant(tmp_path, SG, edit))
    assert outcome.status == "ingested", outcome.error
    assert values(
        store,
        "SELECT ?s WHERE { ?d unkg:documentType id:document-type\\/secretary-general-report ; unkg:symbol ?s }",
    ) == ["A/76/999"]
    changes = rows(
        store,
        """SELECT DISTINCT ?date ?o ?r WHERE { ?e a org:ChangeEvent ; dct:date ?date ;
        org:originalOrganization ?o ; org:resultingOrganization ?r } ORDER BY ?date ?r""",
    )
    short = [(c["date"], c["o"].rsplit("/", 1)[-1], c["r"].rsplit("/", 1)[-1]) for c in changes]
    assert ("2021-01-01", "dm", "oict") in short
    assert ("2019-01-01", "dfs", "dos") in short


def test_un_documents_link_to_their_undocs_page(narrative: OxigraphStore) -> None:
    pages = values(
        narrative,
        """SELECT DISTINCT ?page WHERE { ?d unkg:symbol ?s ; foaf:page ?page
        FILTER(?s IN ("A/75/201", "A/RES/72/266 B", "CEB/2019/1/Add.2")) } ORDER BY ?page""",
    )
    assert pages == ["https://undocs.org/A/75/201", "https://undocs.org/A/RES/72/266%20B"]
