"""The JIU report on mutual recognition: what it says it contains, and what its variants yield."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.stores import OxigraphStore
from tests.ingest.conftest import JIU, ingest_files, ingest_settings, rows, values, variant

REPORT = "https://w3id.org/unkg/id/document/jiu-rep-2024-4"


def test_the_report_has_the_5_formal_and_19_informal_recommendations_it_states(
    ingested: OxigraphStore,
) -> None:
    # Oxigraph's union default graph is a bag: a triple two sources state matches twice, hence DISTINCT.
    counts = rows(
        ingested,
        f"""SELECT ?kind (COUNT(DISTINCT ?r) AS ?n) WHERE {{
        ?r unkg:inReport <{REPORT}> ; a ?kind . FILTER(?kind IN (unkg:FormalRecommendation, unkg:InformalRecommendation))
    }} GROUP BY ?kind ORDER BY ?kind""",
    )
    assert counts == [
        {"kind": "https://w3id.org/unkg/ontology#FormalRecommendation", "n": "5"},
        {"kind": "https://w3id.org/unkg/ontology#InformalRecommendation", "n": "19"},
    ]


def test_formal_recommendations_have_role_deadline_and_expected_impact(ingested: OxigraphStore) -> None:
    found = rows(
        ingested,
        f"""SELECT DISTINCT ?n ?role ?deadline ?impact WHERE {{
        ?r a unkg:FormalRecommendation ; unkg:inReport <{REPORT}> ; unkg:recommendationNumber ?n ;
           unkg:addresseeRole ?role ; unkg:deadline ?deadline ; unkg:expectedImpact ?impact .
    }} ORDER BY ?n""",
    )
    short = [
        (r["n"], r["role"].rsplit("/", 1)[-1], r["deadline"], r["impact"].rsplit("/", 1)[-1]) for r in found
    ]
    assert short == [
        ("1", "executive", "2026", "h"),
        ("2", "executive", "2025", "d"),
        ("3", "executive", "2029", "d"),
        ("4", "secretary-general", "2026", "c"),
        ("5", "legislative", "2026", "a"),
    ]


def test_recommendation_text_is_the_report_own_with_its_lines(ingested: OxigraphStore) -> None:
    found = rows(
        ingested,
        """SELECT ?text ?start ?end ?quote WHERE {
        id:recommendation\\/jiu-rep-2024-4\\/formal\\/1 unkg:text ?text ; unkg:evidence ?e .
        ?e unkg:supports unkg:text ; unkg:lineStart ?start ; unkg:lineEnd ?end ; unkg:quote ?quote ;
           prov:wasQuotedFrom id:source\\/jiu-2024-mutual-recognition .
    }""",
    )
    assert found == [
        {
            "text": "尚未签署《相互承认声明》的联合国系统各组织行政首长应在 2026 年底前签署，以提高业务效率并促进联合国系统内的协作。",
            "start": "125",
            "end": "127",
            "quote": "建议 1 尚未签署《相互承认声明》的联合国系统各组织行政首长应在 2026 年底前签署，以提高业务效率并促进联合国系统内的协作。",
        }
    ]
    lines = JIU.read_text(encoding="utf-8").splitlines()
    assert lines[124] == "#### 建议 1" and lines[126].startswith("尚未签署")


def test_informal_recommendations_cite_their_paragraphs(ingested: OxigraphStore) -> None:
    cited = values(
        ingested,
        f"""SELECT ?p WHERE {{
        ?r a unkg:InformalRecommendation ; unkg:inReport <{REPORT}> ; unkg:recommendationNumber ?n ;
           unkg:citedParagraph ?p }} ORDER BY ?n""",
    )
    assert cited == [
        "36",
        "54",
        "73",
        "78",
        "84",
        "111",
        "128",
        "129",
        "138",
        "143",
        "163",
        "170",
        "178",
        "182",
        "191",
        "203",
        "210",
        "211",
        "221",
    ]


def test_annex_vi_gives_addressees_per_organization(ingested: OxigraphStore) -> None:
    found = rows(
        ingested,
        f"""SELECT ?n (GROUP_CONCAT(DISTINCT ?org; separator=" ") AS ?orgs) ?role WHERE {{
        ?r unkg:inReport <{REPORT}> ; unkg:recommendationNumber ?n ; unkg:addressing ?a .
        ?a unkg:organization ?o ; unkg:addresseeRole ?role .
        BIND(STRAFTER(STR(?o), "/body/") AS ?org)
    }} GROUP BY ?n ?role ORDER BY ?n""",
    )
    by_number = {r["n"]: (sorted(r["orgs"].split()), r["role"].rsplit("/", 1)[-1]) for r in found}
    assert by_number["4"] == (["un"], "executive")
    assert by_number["5"][1] == "legislative"
    # Annex VI also marks IAEA, which has not signed the statement recommendation 5 concerns (issue 17).
    assert by_number["5"][0] == sorted(
        ["un", "unaids", "unctad", "undp", "unfpa", "un-habitat", "unicef", "unodc", "unops", "wfp"]
    )
    information = values(ingested, f"SELECT DISTINCT ?o WHERE {{ <{REPORT}> unkg:forInformationOf ?o }}")
    assert information == ["https://w3id.org/unkg/id/body/itc"]
    assert len(values(ingested, f"SELECT DISTINCT ?o WHERE {{ <{REPORT}> unkg:forActionBy ?o }}")) == 27


def test_the_report_metadata_inspectors_and_team(ingested: OxigraphStore) -> None:
    meta = rows(
        ingested,
        f"""SELECT DISTINCT ?title ?year ?date ?venue WHERE {{
        <{REPORT}> dct:title ?title ; unkg:programmeYear ?year ; dct:date ?date ; unkg:venue ?venue ;
                   unkg:issuedBy id:body\\/jiu }}""",
    )
    assert meta == [
        {"title": "审查联合国系统内相互承认原则的执行情况", "year": "2024", "date": "2024", "venue": "日内瓦"}
    ]
    inspectors = values(
        ingested, f"SELECT DISTINCT ?name WHERE {{ <{REPORT}> dct:creator/foaf:name ?name }} ORDER BY ?name"
    )
    assert sorted(inspectors) == sorted(["哈埃伊迈尔韦·霍伊采曼", "星野俊也"])
    team = rows(
        ingested,
        f"""SELECT DISTINCT ?name ?role WHERE {{
        <{REPORT}> prov:qualifiedAttribution ?a . ?a prov:agent/foaf:name ?name ; unkg:roleLabel ?role }}""",
    )
    assert {"name": "亚历山德拉·卡佩罗", "role": "评价和检查干事"} in team
    assert len(team) == 7


def test_cited_documents_and_resolutions_are_normalised_symbols(ingested: OxigraphStore) -> None:
    cited = set(values(ingested, f"SELECT ?s WHERE {{ <{REPORT}> cito:cites/unkg:symbol ?s }}"))
    assert {
        "A/RES/71/243",
        "A/RES/75/233",
        "A/RES/72/279",
        "JIU/REP/2018/5",
        "JIU/REP/2019/8",
        "JIU/REP/2021/3",
        "A/72/684-E/2018/7",
    } <= cited
    kinds = rows(
        ingested,
        """SELECT DISTINCT ?type WHERE { ?d unkg:symbol "A/RES/71/243" ; unkg:documentType ?type }""",
    )
    assert kinds == [{"type": "https://w3id.org/unkg/id/document-type/ga-resolution"}]


def test_the_bodies_and_networks_it_names_are_linked(ingested: OxigraphStore) -> None:
    named = {
        v.rsplit("/", 1)[-1] for v in values(ingested, f"SELECT ?b WHERE {{ <{REPORT}> unkg:mentions ?b }}")
    }
    assert {
        "hlcm",
        "hlcm-procurement-network",
        "hlcm-digital-and-technology-network",
        "unsdg",
        "unsdg-business-innovations-group",
        "mutual-recognition-community-of-practice",
        "mutual-recognition-champions-network",
        "dco",
        "onehr",
    } <= named


def insert_after(lines: list[str], marker: str, new: list[str]) -> list[str]:
    index = lines.index(marker)
    return lines[: index + 1] + new + lines[index + 1 :]


def test_a_shifted_document_cites_the_new_line_numbers(tmp_path: Path) -> None:
    shifted = variant(tmp_path, JIU, lambda lines: lines[:3] + ["前言"] * 40 + lines[3:])
    store = OxigraphStore()
    [outcome] = ingest_files(store, ingest_settings(), shifted)
    assert outcome.status == "ingested", outcome.error
    starts = values(
        store,
        """SELECT ?start WHERE { ?r unkg:recommendationNumber 1 ; a unkg:FormalRecommendation ;
        unkg:evidence ?e . ?e unkg:supports unkg:text ; unkg:lineStart ?start }""",
    )
    assert starts == ["165"]


def test_a_report_with_a_recommendation_added_yields_it(tmp_path: Path) -> None:
    def add(lines: list[str]) -> list[str]:
        lines = [line.replace("载有五项正式建议", "载有六项正式建议") for line in lines]
        at = lines.index("#### 非正式建议")
        return (
            lines[:at]
            + ["#### 建议 6", "", "联合国系统各组织立法机关和理事机构应在 2027 年底前审查本报告。", ""]
            + lines[at:]
        )

    store = OxigraphStore()
    [outcome] = ingest_files(store, ingest_settings(), variant(tmp_path, JIU, add))
    assert outcome.status == "ingested", outcome.error
    found = rows(
        store,
        """SELECT ?role ?deadline WHERE { ?r a unkg:FormalRecommendation ;
        unkg:recommendationNumber 6 ; unkg:addresseeRole ?role ; unkg:deadline ?deadline }""",
    )
    assert found == [{"role": "https://w3id.org/unkg/id/addressee-role/legislative", "deadline": "2027"}]


def test_a_shortened_report_yields_fewer_informal_recommendations(tmp_path: Path) -> None:
    def shorten(lines: list[str]) -> list[str]:
        start = next(i for i, line in enumerate(lines) if line.startswith("17. 检查专员建议"))
        end = lines.index("## 目录")
        return [line.replace("19 项非正式建议", "16 项非正式建议") for line in lines[:start]] + lines[end:]

    store = OxigraphStore()
    [outcome] = ingest_files(store, ingest_settings(), variant(tmp_path, JIU, shorten))
    assert outcome.status == "ingested", outcome.error
    assert values(store, "SELECT (COUNT(*) AS ?n) WHERE { ?r a unkg:InformalRecommendation }") == ["16"]


def test_a_truncated_report_fails_naming_file_and_line(tmp_path: Path) -> None:
    truncated = variant(tmp_path, JIU, lambda lines: lines[: lines.index("#### 建议 4")])
    store = OxigraphStore()
    [outcome] = ingest_files(store, ingest_settings(), truncated)
    assert outcome.status == "failed"
    assert outcome.error == f"{truncated}:123: the report states 5 formal recommendations but lists 3"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe garbled", "jiu.zh.txt:1: jiu.zh.txt is not UTF-8 text"),
        ("一份会议记录\n没有结构".encode(), "cannot tell what kind of document jiu.zh.txt is"),
    ],
)
def test_a_garbled_or_unknown_source_fails_with_its_name(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "jiu.zh.txt"
    path.write_bytes(content)
    [outcome] = ingest_files(OxigraphStore(), ingest_settings(), path)
    assert outcome.status == "failed"
    assert message in (outcome.error or "")
