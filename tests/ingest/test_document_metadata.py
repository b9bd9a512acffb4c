"""Issue 17, part C: what a librarian cataloguing each source records about it, each from its own text.

The symbols it cites, the titles it gives them, who prepared it, to whom it goes and who considers it,
the resolution paragraph that requested it, its agenda and original language; and, on variant
documents, that each rule follows the text and refuses what the text does not say.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from service.ingest.bodies import BodyIndex
from service.ingest.citations import add_citations
from service.ingest.facts import Facts
from service.ingest.metadata import original_language, requested
from service.ingest.symbols import find_decisions, find_symbols
from service.ingest.text import SourceText
from service.rdf import CITO, UNKG
from service.stores import OxigraphStore
from tests.ingest.conftest import (
    CEB_2007,
    JIU,
    SG,
    WIPO,
    ingest_files,
    ingest_settings,
    rows,
    values,
    variant,
)

ID = "https://w3id.org/unkg/id/"
DOC_2019 = f"{ID}document/ceb-annual-overview-2019"
DOC_2007 = f"{ID}document/ceb-annual-overview-2006-2007"
DOC_SG = f"{ID}document/a-75-201"
DOC_WIPO = f"{ID}document/wo-pbc-38-2"
DOC_JIU = f"{ID}document/jiu-rep-2024-4"


def roles(store: OxigraphStore, document: str) -> dict[str, list[str]]:
    """Each metadata property of `document` with its values (IRIs shortened after /id/)."""
    found: dict[str, list[str]] = {}
    for row in rows(
        store,
        f"""SELECT ?p ?o WHERE {{ <{document}> ?p ?o
        FILTER(?p IN (unkg:submittedTo, unkg:consideredBy, unkg:preparedBy, unkg:requestedBy, unkg:agenda,
                      unkg:submittedToSession, dct:language)) }}""",
    ):
        name = row["p"].rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        found.setdefault(name, []).append(row["o"].removeprefix(ID))
    return {name: sorted(items) for name, items in found.items()}


def evidence_lines(store: OxigraphStore, subject: str, predicate: str) -> list[str]:
    return values(
        store,
        f"""SELECT DISTINCT ?l WHERE {{ <{subject}> unkg:evidence ?e . ?e unkg:supports {predicate} ;
        unkg:lineStart ?l }} ORDER BY ?l""",
    )


def requesting_paragraphs(store: OxigraphStore, document: str) -> list[dict[str, str]]:
    return rows(
        store,
        f"""SELECT ?symbol ?number WHERE {{ <{document}> unkg:requestedByParagraph ?p .
        ?p a unkg:Paragraph ; unkg:paragraphNumber ?number ; dct:isPartOf/unkg:symbol ?symbol }}""",
    )


# The five sources ------------------------------------------------------------------------------


def test_ceb_2019_overview_is_requested_by_paragraph_4b_of_64_289_and_considered_by_cpc(
    five: OxigraphStore,
) -> None:
    assert roles(five, DOC_2019) == {
        "consideredBy": ["body/cpc"],
        "requestedBy": ["document/a-res-64-289"],
        "submittedTo": ["body/ecosoc"],
        "submittedToSession": ["session/ecosoc/2020"],
    }
    assert requesting_paragraphs(five, DOC_2019) == [{"symbol": "A/RES/64/289", "number": "4(b)"}]
    assert evidence_lines(five, DOC_2019, "unkg:consideredBy") == ["27"]


def test_a_75_201_is_requested_by_paragraph_28_of_72_266_b_for_the_assembly_s_75th_session(
    five: OxigraphStore,
) -> None:
    assert roles(five, DOC_SG) == {
        # The first page's footnote '* A/75/150。' (issue 17, round 2).
        "agenda": ["document/a-75-150"],
        "requestedBy": ["document/a-res-72-266-b"],
        "submittedTo": ["body/ga"],
        "submittedToSession": ["session/ga/75"],
    }
    assert requesting_paragraphs(five, DOC_SG) == [{"symbol": "A/RES/72/266 B", "number": "28"}]
    assert rows(
        five, f"SELECT ?n ?of WHERE {{ <{ID}session/ga/75> unkg:sessionNumber ?n ; unkg:sessionOf ?of }}"
    ) == [{"n": "75", "of": f"{ID}body/ga"}]
    assert evidence_lines(five, DOC_SG, "unkg:requestedByParagraph") == ["52"]


def test_ceb_2006_07_overview_gives_its_original_language_and_its_agenda(five: OxigraphStore) -> None:
    assert roles(five, DOC_2007) == {
        "agenda": ["document/e-2007-100"],
        "language": ["en"],
        "submittedTo": ["body/ecosoc"],
        "submittedToSession": ["session/ecosoc/2007"],
    }
    assert values(five, f"SELECT ?t WHERE {{ <{ID}document/e-2007-100> unkg:documentType ?t }}") == [
        f"{ID}document-type/agenda"
    ]
    assert evidence_lines(five, DOC_2007, "unkg:agenda") == ["16", "30"]


def test_wo_pbc_38_2_is_prepared_by_wipo_s_secretariat_and_the_jiu_report_by_its_inspectors(
    five: OxigraphStore,
) -> None:
    assert roles(five, DOC_WIPO)["preparedBy"] == ["body/wipo-secretariat"]
    assert roles(five, DOC_WIPO)["language"] == ["en"]
    assert evidence_lines(five, DOC_WIPO, "unkg:preparedBy") == ["17"]
    assert sorted(values(five, f"SELECT ?n WHERE {{ <{DOC_JIU}> unkg:preparedBy/foaf:name ?n }}")) == [
        "哈埃伊迈尔韦·霍伊采曼",
        "星野俊也",
    ]
    # The secretariat in the header is WIPO's, never the United Nations Secretariat.
    assert f"{ID}body/secretariat" not in values(five, f"SELECT ?b WHERE {{ <{DOC_WIPO}> ?p ?b }}")


@pytest.mark.parametrize(
    ("symbol", "title"),
    [
        ("A/72/492", "转变联合国的管理模式：确保人人都有更美好的未来"),
        ("A/72/492/Add.2", "转变联合国的管理模式：采用新管理架构以提高效力、加强问责"),
        ("A/RES/73/254", "建立全球伙伴关系：以基于原则的办法加强联合国与所有相关伙伴的合作"),
        (
            "A/72/684-E/2018/7",
            "重新定位联合国发展系统以实现《2030年议程》：我们对实现健康地球上的尊严、繁荣与和平的承诺",
        ),
        ("CWS/12/27", "联合检查组关于区块链在联合国系统的应用的建议"),
        # Footnote references of the JIU report: 'title, month (symbol)'.
        ("CEB/2022/5", "管理问题高级别委员会第四十四届会议的报告"),
        ("CEB/2024/HLCM/9", "相互承认协调小组的进度报告"),
        ("UNICEF/2024/EB/6", "关于联合国系统发展方面业务活动四年度全面政策审查执行情况的报告"),
    ],
)
def test_cited_documents_get_the_title_the_citing_text_gives_them(
    five: OxigraphStore, symbol: str, title: str
) -> None:
    assert values(five, f'SELECT ?t WHERE {{ ?d unkg:symbol "{symbol}" ; dct:alternative ?t }}') == [title]


def test_the_secretary_general_s_reports_cited_by_title_are_his(five: OxigraphStore) -> None:
    # '我在题为“…”的报告(A/72/492)' in A/75/201, '秘书长关于“…”的报告(A/72/684-E/2018/7)' in the 2019 overview.
    issued = rows(
        five,
        """SELECT ?s ?by WHERE { ?d unkg:symbol ?s ; unkg:issuedBy ?by
        FILTER(STRSTARTS(?s, "A/72/")) } ORDER BY ?s""",
    )
    assert issued == [
        {"s": symbol, "by": f"{ID}body/secretary-general"}
        for symbol in ("A/72/492", "A/72/492/Add.2", "A/72/684-E/2018/7")
    ]


def test_only_quoted_titles_are_taken(five: OxigraphStore) -> None:
    titled = set(values(five, "SELECT ?s WHERE { ?d unkg:symbol ?s ; dct:alternative ?t } "))
    # '关于转变管理模式的初次报告(A/72/492)' describes the report; 关于…的第 64/289 号决议 names its subject.
    assert "A/RES/64/289" not in titled and "A/73/366" not in titled
    assert "A/72/492" in titled


@pytest.mark.parametrize(
    ("source", "symbol", "document_type"),
    [
        (SG, "ST/SGB/2019/2", "sg-bulletin"),
        (SG, "ST/SGB/2013/4/Amend.1", "sg-bulletin"),
        (SG, "ST/SGB/2019/8", "sg-bulletin"),
        (JIU, "ST/SGB/2015/3", "sg-bulletin"),
        (JIU, "CEB/2012/HLCM_PN/12", None),
        (JIU, "UNICEF/2024/EB/6", None),
        (JIU, "UNHCR/HCP/2021/01", None),
        (WIPO, "CWS/12/27", None),
    ],
)
def test_symbols_of_every_series_the_sources_cite_are_cited(
    five: OxigraphStore, source: Path, symbol: str, document_type: str | None
) -> None:
    graph = f"https://w3id.org/unkg/graph/source/{source.name.removesuffix('.zh.txt').lower()}"
    found = rows(
        five,
        f"""SELECT ?type WHERE {{ GRAPH <{graph}> {{ ?citing cito:cites ?d . ?d unkg:symbol "{symbol}"
        OPTIONAL {{ ?d unkg:documentType ?type }} }} }}""",
    )
    assert found == [{"type": f"{ID}document-type/{document_type}"} if document_type else {}]


def test_a_misprinted_series_is_not_read_as_a_symbol(five: OxigraphStore) -> None:
    # JIU report line 661 prints 'UHCR/…' for UNHCR's documents: no series, so no document.
    assert values(five, 'SELECT ?s WHERE { ?d unkg:symbol ?s FILTER(STRSTARTS(?s, "UHCR")) }') == []


# Rules on small texts --------------------------------------------------------------------------


def _extract(text: str, bodies: BodyIndex) -> tuple[Graph, URIRef]:
    source = SourceText(text.encode(), name="variant.zh.txt")
    facts = Facts(base_iri="https://w3id.org/unkg/", source=URIRef(f"{ID}source/v"), source_slug="v")
    report = facts.iri("document/v")
    requested(source, facts, report, bodies)
    add_citations(source, facts, report, bodies=bodies)
    original_language(source, facts, report, end=10)
    return facts.graph, report


def test_a_request_without_a_paragraph_or_naming_two_resolutions_gets_no_paragraph(bodies: BodyIndex) -> None:
    graph, report = _extract(
        "1. 本报告应大会第 66/100 号决议和第 67/200 号决议第 3 段的要求提交。\n"
        "2. 本报告概述进展。报告应大会第 68/300 号决议的要求，说明进展。\n",
        bodies,
    )
    requested_by = {str(o).rsplit("/", 1)[-1] for o in graph.objects(report, UNKG.requestedBy)}
    assert requested_by == {"a-res-66-100", "a-res-67-200", "a-res-68-300"}
    assert list(graph.objects(report, UNKG.requestedByParagraph)) == []


def test_a_resolution_the_report_only_follows_or_describes_requests_nothing(bodies: BodyIndex) -> None:
    graph, report = _extract(
        "1. 本报告按照大会第 66/100 号决议第 3 段编写。\n"
        "2. 大会第 68/300 号决议第 5 段要求秘书长提交报告，并由第五委员会审议。\n"
        "3. 秘书长的报告提交大会并由方案和协调委员会审议的年度报告中列入信息。\n",
        bodies,
    )
    assert list(graph.objects(report, UNKG.requestedBy)) == []
    assert list(graph.objects(report, UNKG.requestedByParagraph)) == []
    assert list(graph.objects(report, UNKG.consideredBy)) == []


def test_a_bare_report_is_this_one_only_after_a_sentence_on_this_report(bodies: BodyIndex) -> None:
    graph, report = _extract(
        "1. 报告应大会第 66/100 号决议第 3 段的要求，说明申诉数量。\n"
        "2. 各组织的报告应大会第 67/200 号决议的要求提交。\n",
        bodies,
    )
    assert list(graph.objects(report, UNKG.requestedBy)) == []


def test_a_variant_request_names_its_own_resolution_paragraph_and_bodies(bodies: BodyIndex) -> None:
    graph, report = _extract(
        "本报告概述某机构的工作。报告应大会关于某事项的第 71/999 号决议第 7 (c) 段的要求，在提交大会并由方案和协调委员会审议的年度报告中，"
        "列入适当信息。\n",
        bodies,
    )
    [paragraph] = graph.objects(report, UNKG.requestedByParagraph)
    assert graph.value(paragraph, UNKG.paragraphNumber) == Literal("7(c)")
    assert str(graph.value(paragraph, DCTERMS.isPartOf)).endswith("/document/a-res-71-999")
    assert [str(b).rsplit("/", 1)[-1] for b in graph.objects(report, UNKG.submittedTo)] == ["ga"]
    assert [str(b).rsplit("/", 1)[-1] for b in graph.objects(report, UNKG.consideredBy)] == ["cpc"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [("Original: French", "fr"), ("原文：西班牙文", "es"), ("Original: Klingon", None), ("Chinese", None)],
)
def test_the_original_language_is_read_from_the_header(
    bodies: BodyIndex, header: str, expected: str | None
) -> None:
    graph, report = _extract(f"经济及社会理事会\n{header}\n", bodies)
    assert [str(o) for o in graph.objects(report, DCTERMS.language)] == ([expected] if expected else [])


def test_titles_are_taken_only_in_quotes_right_before_the_symbol(bodies: BodyIndex) -> None:
    graph, report = _extract(
        "1. 我在题为“新的管理架构”的报告(A/80/100)中提出建议。\n"
        "2. 我在关于管理改革的报告(A/80/101)和题为“相互承认要点”的信息图(A/80/102)中说明。\n"
        "3. 这符合题为“全球伙伴关系”的第 80/5 号决议；另见 A/80/103。\n",
        bodies,
    )
    titles = {
        str(graph.value(d, UNKG.symbol)): str(t)
        for d in graph.objects(report, CITO.cites)
        for t in graph.objects(d, DCTERMS.alternative)
    }
    assert titles == {"A/80/100": "新的管理架构", "A/RES/80/5": "全球伙伴关系"}
    # '我在' names no one when the citing document's issuer is not known.
    assert list(graph.subject_objects(UNKG.issuedBy)) == []


def test_a_report_cited_after_a_body_s_name_is_that_body_s(bodies: BodyIndex) -> None:
    graph, report = _extract(
        "1. 秘书长关于“新的架构”的报告(A/80/104)和依据题为“区块链”的文件 CWS/13/2。\n", bodies
    )
    issued = {
        str(graph.value(d, UNKG.symbol)): str(b).rsplit("/", 1)[-1]
        for d, b in graph.subject_objects(UNKG.issuedBy)
    }
    assert issued == {"A/80/104": "secretary-general"}


def test_a_footnote_reference_gives_its_title_and_a_sentence_does_not(bodies: BodyIndex) -> None:
    graph, report = _extract(
        "1. 采购网继续开展工作，2021 年 6 月(CEB/2021/HLCM/3)通过了指南。\n"
        "<sup>7</sup> 见财务和预算网的报告，2021年6月(CEB/2021/HLCM/4)。\n"
        "<sup>8</sup> 人力资源网，关于工作人员流动的说明，2022 年(CEB/2022/HLCM/5)，第 3 段。\n",
        bodies,
    )
    titles = {
        str(graph.value(d, UNKG.symbol)): str(t)
        for d in graph.objects(report, CITO.cites)
        for t in graph.objects(d, DCTERMS.alternative)
    }
    assert titles == {"CEB/2021/HLCM/4": "财务和预算网的报告", "CEB/2022/HLCM/5": "关于工作人员流动的说明"}


def test_decisions_are_cited_as_decisions(bodies: BodyIndex) -> None:
    graph, report = _extract("1. 大会第 72/555 号决定和各项决定的执行。\n", bodies)
    [cited] = graph.objects(report, CITO.cites)
    assert graph.value(cited, UNKG.symbol) == Literal("A/DEC/72/555")
    assert (cited, None, UNKG.Decision) in graph
    assert [c.symbol for c in find_decisions("执行决定；第 72/266 B 号决议")] == []


def test_symbols_of_other_series_and_their_refusals() -> None:
    line = "(ST/AI/2017/1)、A/75/L.1、A/C.5/72/18、(UHCR/AI/2021/05)、WO/PBC/38/2、(CEB/2019/1/Add.2)"
    assert [c.symbol for c in find_symbols(line)] == [
        "ST/AI/2017/1",
        "A/75/L.1",
        "A/C.5/72/18",
        "WO/PBC/38/2",
        "CEB/2019/1/Add.2",
    ]


# Variant documents through the pipeline ---------------------------------------------------------


def test_a_variant_secretary_general_report_takes_its_session_from_its_own_symbol(tmp_path: Path) -> None:
    def edit(lines: list[str]) -> list[str]:
        lines = [line.replace("A/75/201", "A/76/333") for line in lines]
        return [line.replace("第 28 段", "第 31 段") for line in lines]

    store = OxigraphStore()
    [outcome] = ingest_files(store, ingest_settings(), variant(tmp_path, SG, edit))
    assert outcome.status == "ingested", outcome.error
    document = f"{ID}document/a-76-333"
    assert roles(store, document)["submittedToSession"] == ["session/ga/76"]
    assert requesting_paragraphs(store, document) == [{"symbol": "A/RES/72/266 B", "number": "31"}]


def test_a_report_of_another_series_gets_no_assembly_session(tmp_path: Path) -> None:
    def edit(lines: list[str]) -> list[str]:
        return [line.replace("A/75/201", "E/2021/55") for line in lines]

    store = OxigraphStore()
    [outcome] = ingest_files(store, ingest_settings(), variant(tmp_path, SG, edit))
    assert outcome.status == "ingested", outcome.error
    assert "submittedToSession" not in roles(store, f"{ID}document/e-2021-55")
    assert "submittedTo" not in roles(store, f"{ID}document/e-2021-55")


def test_a_variant_ceb_report_without_a_starred_agenda_item_or_original_names_neither(tmp_path: Path) -> None:
    def edit(lines: list[str]) -> list[str]:
        lines = [line.replace("临时议程* 项目 7(a)", "临时议程项目 7(b)") for line in lines]
        return [line for line in lines if not line.startswith("Original:")]

    store = OxigraphStore()
    [outcome] = ingest_files(store, ingest_settings(), variant(tmp_path, CEB_2007, edit))
    assert outcome.status == "ingested", outcome.error
    found = roles(store, DOC_2007)
    assert "agenda" not in found and "language" not in found
    assert values(store, f"SELECT ?i WHERE {{ <{DOC_2007}> unkg:agendaItem ?i }}") == ["7(b)"]


def test_a_variant_progress_report_prepared_by_another_hand_names_no_secretariat(tmp_path: Path) -> None:
    def edit(lines: list[str]) -> list[str]:
        return [line.replace("秘书处编拟", "总干事编拟") for line in lines]

    store = OxigraphStore()
    [outcome] = ingest_files(store, ingest_settings(), variant(tmp_path, WIPO, edit))
    assert outcome.status == "ingested", outcome.error
    assert "preparedBy" not in roles(store, DOC_WIPO)


def test_a_secretariat_is_found_only_for_an_organization_the_reference_data_gives_one(
    bodies: BodyIndex,
) -> None:
    assert str(bodies.secretariat_of(URIRef(f"{ID}body/wipo"))) == f"{ID}body/wipo-secretariat"
    assert bodies.secretariat_of(URIRef(f"{ID}body/wmo")) is None
