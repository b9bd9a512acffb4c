"""Issue 17, round 2, part C: how the documents the sources cite relate to one another, as the text says.

What a symbol's last part makes a document (an addendum, revision or amendment of another), the
paragraphs a text cites right after a symbol or a resolution number, the date a footnote reference or
a dated resolution gives, what the citing text says a document is about (关于…的), that the text calls
it a report, the resolution a report says it follows (本报告按照) and the previous report of its series;
on the five sources and on variant documents, with what each rule must refuse.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from service.ingest.bodies import BodyIndex
from service.ingest.citations import add_citations
from service.ingest.facts import Facts
from service.ingest.metadata import previous_report, requested
from service.ingest.text import SourceText
from service.rdf import UNKG
from service.stores import OxigraphStore
from tests.ingest.conftest import (
    SG,
    WIPO,
    ingest_files,
    ingest_settings,
    rows,
    variant,
)

ID = "https://w3id.org/unkg/id/"


def pairs(store: OxigraphStore, predicate: str) -> set[tuple[str, str]]:
    """(symbol, symbol) for every `predicate` between two documents with symbols."""
    found = rows(
        store,
        f"SELECT ?a ?b WHERE {{ ?x {predicate} ?y . ?x unkg:symbol ?a . ?y unkg:symbol ?b }}",
    )
    return {(row["a"], row["b"]) for row in found}


def cited_paragraphs(store: OxigraphStore, document: str) -> set[tuple[str, str]]:
    found = rows(
        store,
        f"""SELECT ?symbol ?number WHERE {{ <{document}> unkg:citesParagraph ?p .
            ?p a unkg:Paragraph ; unkg:paragraphNumber ?number ; dct:isPartOf/unkg:symbol ?symbol }}""",
    )
    return {(row["symbol"], row["number"]) for row in found}


def test_a_symbol_s_last_part_relates_the_document_to_the_one_it_adds_to_revises_or_amends(
    five: OxigraphStore,
) -> None:
    assert pairs(five, "unkg:addendumTo") == {
        ("A/72/492/Add.1", "A/72/492"),
        ("A/72/492/Add.2", "A/72/492"),
        ("A/72/7/Add.49", "A/72/7"),
        ("A/72/801/Add.1", "A/72/801"),
        ("CEB/2019/1/Add.2", "CEB/2019/1"),
        ("CEB/2019/1/Add.3", "CEB/2019/1"),
        ("CEB/2019/1/Add.4", "CEB/2019/1"),
        ("CEB/2019/1/Add.5", "CEB/2019/1"),
        ("A/74/691/Add.1", "A/74/691"),
        ("A/78/595/Add.1", "A/78/595"),
        ("A/79/301/Add.1", "A/79/301"),
        ("A/79/694/Add.1", "A/79/694"),
    }
    assert pairs(five, "unkg:revisionOf") == {
        ("A/72/801/Add.1/Rev.1", "A/72/801/Add.1"),
        ("JIU/NOTE/2022/1 Rev.1", "JIU/NOTE/2022/1"),
        ("WO/PBC/37/6 Rev.", "WO/PBC/37/6"),
    }
    assert pairs(five, "unkg:amendmentTo") == {("ST/SGB/2013/4/Amend.1", "ST/SGB/2013/4")}
    assert pairs(five, "unkg:corrigendumTo") == set()


def test_paragraphs_cited_right_after_a_symbol_or_a_resolution_number_belong_to_it(
    five: OxigraphStore,
) -> None:
    assert cited_paragraphs(five, f"{ID}document/ceb-annual-overview-2019") == {
        ("E/2019/10", "8-23"),
        ("A/RES/64/289", "4(b)"),
        ("A/RES/73/17", "6"),
        ("A/RES/70/294", "69"),
        ("A/RES/74/232", "22"),
    }
    assert cited_paragraphs(five, f"{ID}document/a-75-201") == {
        ("A/72/7/Add.49", "26"),
        ("A/RES/72/266 B", "28"),
    }
    # '大会第 32/197 号决议，附件，第 32 和 28 (d)段' cites the annex's paragraphs, and 'JIU/REP/2023/9，
    # 执行摘要；另见第 63 段' a paragraph after another part: neither is read.
    assert cited_paragraphs(five, f"{ID}document/jiu-rep-2024-4") == {
        ("A/72/684-E/2018/7", "44"),
        ("A/72/684-E/2018/7", "47"),
        ("A/RES/71/243", "52"),
        ("A/RES/72/279", "9"),
        ("E/2024/5", "45"),
        ("E/2024/5", "46"),
        ("A/51/950", "51"),
        ("JIU/REP/2018/5", "105"),
        ("JIU/REP/2018/5", "108"),
        ("JIU/REP/2020/3", "1"),
        ("UNICEF/2024/EB/6", "184-185"),
    }


def test_dates_come_from_a_footnote_reference_or_a_dated_resolution_as_precise_as_the_text(
    five: OxigraphStore,
) -> None:
    found = rows(
        five, "SELECT ?s ?d WHERE { ?x unkg:symbol ?s ; dct:date ?d . FILTER(!STRSTARTS(?s, 'WO/')) }"
    )
    dated = {row["s"]: row["d"] for row in found}
    # The sources' own dates (the JIU report's year, the CEB cover's) are their extractors'.
    assert {s: d for s, d in dated.items() if s not in {"E/2007/100", "JIU/REP/2024/4"}} == {
        "A/RES/32/197": "1977-12-19",
        "A/RES/62/208": "2007-12",
        "CEB/2022/5": "2022-10",
        "CEB/2024/HLCM/9": "2024-03",
        # '2024年(UNICEF/2024/EB/6)' in one footnote and '2024年5月(…)' in another agree: the finer is kept.
        "UNICEF/2024/EB/6": "2024-05",
    }


def test_what_the_citing_text_says_a_document_is_about_is_its_subject(five: OxigraphStore) -> None:
    found = rows(five, "SELECT ?s ?about WHERE { ?x unkg:symbol ?s ; dct:subject ?about }")
    assert {(row["s"], row["about"]) for row in found} == {
        ("A/RES/64/289", "全系统一致性问题"),
        ("A/RES/73/17", "快速技术变革对实现可持续发展目标和具体目标的影响"),
        (
            "A/RES/72/226",
            "落实联合国人类住区会议和联合国住房与城市可持续发展大会成果以及加强联合国人类住区规划署(人居署)",
        ),
        ("S/RES/1325(2000)", "妇女、和平与安全"),
        ("A/72/492", "转变管理模式"),
        ("A/72/492", "转变联合国管理模式"),
        ("A/72/492/Add.2", "实施新的管理架构"),
        ("JIU/REP/2018/5", "行政支助事务"),
        ("JIU/REP/2020/3", "共同房地"),
    }


def test_a_report_says_what_it_follows_and_which_report_came_before_it(five: OxigraphStore) -> None:
    found = rows(
        five,
        """SELECT ?report ?resolution WHERE { ?report unkg:pursuantTo/unkg:symbol ?resolution }""",
    )
    assert {(row["report"], row["resolution"]) for row in found} == {
        (f"{ID}document/ceb-annual-overview-2019", "E/RES/2008(LX)")
    }
    assert pairs(five, "unkg:previousReport") == {("WO/PBC/38/2", "WO/PBC/37/6 Rev.")}


def _extract(text: str, bodies: BodyIndex) -> tuple[Graph, URIRef]:
    source = SourceText(text.encode(), name="variant.zh.txt")
    facts = Facts(base_iri="https://w3id.org/unkg/", source=URIRef(f"{ID}source/v"), source_slug="v")
    report = facts.iri("document/v")
    requested(source, facts, report, bodies)
    previous_report(source, facts, report)
    add_citations(source, facts, report, bodies=bodies)
    return facts.graph, report


def _node(symbol: str) -> URIRef:
    return URIRef(f"{ID}document/{symbol}")


def test_a_variant_text_s_paragraphs_follow_the_text_and_shared_or_other_parts_are_refused(
    bodies: BodyIndex,
) -> None:
    graph, report = _extract(
        "1. 见 A/80/12，第 3 至 5 段；另见 E/2030/7，第 9 和 11(c)段。\n\n"
        "2. 大会第 81/5 号决议第 2 段和第 81/6 号决议，第 4 段。\n\n"
        # Two resolutions under one 号决议, and A and B of one: the paragraph could be either's.
        "3. 大会第 81/7 号和第 81/8 号决议第 1 段；第 81/9 A 和 B 号决议第 3 段。\n\n"
        # An annex, a chapter and a summary stand between: another part's paragraphs.
        "4. 大会第 81/10 号决议，附件，第 6 段；A/80/13，第二章，第 7 段；A/80/14，执行摘要，第 8 段。\n",
        bodies,
    )
    cited = {
        (
            str(graph.value(graph.value(p, DCTERMS.isPartOf), UNKG.symbol)),
            str(graph.value(p, UNKG.paragraphNumber)),
        )
        for p in graph.objects(report, UNKG.citesParagraph)
    }
    assert cited == {
        ("A/80/12", "3-5"),
        ("E/2030/7", "9"),
        ("E/2030/7", "11(c)"),
        ("A/RES/81/5", "2"),
        ("A/RES/81/6", "4"),
    }


def test_a_variant_s_symbols_relate_by_their_last_part_only(bodies: BodyIndex) -> None:
    graph, _ = _extract(
        "1. 见 A/80/20/Corr.2、E/2030/4/Add.3/Rev.2、ST/AI/2030/1/Amend.1、A/80/21(Vol.II) 和 A/80/22-E/2030/9。\n",
        bodies,
    )
    assert (_node("a-80-20-corr2"), UNKG.corrigendumTo, _node("a-80-20")) in graph
    assert (_node("e-2030-4-add3-rev2"), UNKG.revisionOf, _node("e-2030-4-add3")) in graph
    assert (_node("e-2030-4-add3"), UNKG.addendumTo, _node("e-2030-4")) in graph
    assert (_node("st-ai-2030-1-amend1"), UNKG.amendmentTo, _node("st-ai-2030-1")) in graph
    assert graph.value(_node("st-ai-2030-1"), UNKG.symbol) == Literal("ST/AI/2030/1")
    related = {
        s
        for p in (UNKG.addendumTo, UNKG.revisionOf, UNKG.corrigendumTo, UNKG.amendmentTo)
        for s in graph.subjects(p)
    }
    assert _node("a-80-21-volii") not in related and _node("a-80-22-e-2030-9") not in related


def test_a_variant_s_dates_follow_the_text_and_disagreeing_or_other_events_dates_are_refused(
    bodies: BodyIndex,
) -> None:
    graph, _ = _extract(
        "1. 大会 1999 年 3 月 4 日第 53/10 号决议和经济及社会理事会 2001 年 7 月第 2001/3 号决议。\n\n"
        # A date before a comma is another event's; a resolution of the same session date not given.
        "2. 2020 年，大会在第 75/1 号决议中重申；大会第 75/2 号决议于 2020 年通过。\n\n"
        "³ 某委员会第十届会议的报告，2030年2月(CEB/2030/2)。\n\n"
        "⁴ 某网络的报告，2030年3月(CEB/2030/3)。\n\n"
        "⁵ 同一报告，2030年4月(CEB/2030/3)。\n\n"
        "6. 在正文中，某报告，2030年5月(CEB/2030/5)，不是脚注。\n",
        bodies,
    )
    assert graph.value(_node("a-res-53-10"), DCTERMS.date) == Literal("1999-03-04", datatype=XSD.date)
    assert graph.value(_node("e-res-2001-3"), DCTERMS.date) == Literal("2001-07", datatype=XSD.gYearMonth)
    assert graph.value(_node("ceb-2030-2"), DCTERMS.date) == Literal("2030-02", datatype=XSD.gYearMonth)
    for refused in ("a-res-75-1", "a-res-75-2", "ceb-2030-3", "ceb-2030-5"):
        assert graph.value(_node(refused), DCTERMS.date) is None, refused


def test_a_variant_s_subjects_and_reports_are_what_the_text_says_right_before_the_citation(
    bodies: BodyIndex,
) -> None:
    graph, _ = _extract(
        "1. 大会关于海洋和海洋法的第 80/1 号决议；关于“某个标题”的第 80/2 号决议；"
        "关于预算问题，大会第 80/3 号决议；我在关于秘书处改革的报告(A/80/4)中；见 A/80/5。\n",
        bodies,
    )
    assert list(graph.objects(_node("a-res-80-1"), DCTERMS.subject)) == [Literal("海洋和海洋法", lang="zh")]
    for refused in ("a-res-80-2", "a-res-80-3", "a-80-5"):
        assert graph.value(_node(refused), DCTERMS.subject) is None, refused
    assert list(graph.objects(_node("a-80-4"), DCTERMS.subject)) == [Literal("秘书处改革", lang="zh")]
    assert (_node("a-80-4"), RDF.type, UNKG.Report) in graph
    assert (_node("a-80-5"), RDF.type, UNKG.Report) not in graph


def test_a_variant_report_s_pursuant_to_and_previous_report_are_its_own_words(bodies: BodyIndex) -> None:
    graph, report = _extract(
        "1. 本报告根据大会第 80/9 号决议编写。上一份报告（A/79/88）载有详细情况。\n\n"
        # Another report's 'in accordance with' is not this report's; a previous report without a
        # symbol names nothing.
        "2. 该报告按照第 80/10 号决议编写。上一份报告（见附件）。\n",
        bodies,
    )
    assert list(graph.objects(report, UNKG.pursuantTo)) == [_node("a-res-80-9")]
    assert list(graph.objects(report, UNKG.previousReport)) == [_node("a-79-88")]
    assert list(graph.objects(report, UNKG.requestedBy)) == []


def test_a_variant_progress_report_names_the_previous_report_it_gives(tmp_path: Path) -> None:
    def edit(lines: list[str]) -> list[str]:
        return [line.replace("WO/PBC/37/6 Rev.", "WO/PBC/36/9") for line in lines]

    store = OxigraphStore()
    [outcome] = ingest_files(store, ingest_settings(), variant(tmp_path, WIPO, edit))
    assert outcome.status == "ingested", outcome.error
    assert pairs(store, "unkg:previousReport") == {("WO/PBC/38/2", "WO/PBC/36/9")}
    assert pairs(store, "unkg:revisionOf") == {("JIU/NOTE/2022/1 Rev.1", "JIU/NOTE/2022/1")}


def test_a_75_201_s_agenda_is_the_first_page_footnote_of_its_own_session(five: OxigraphStore) -> None:
    assert pairs(five, "unkg:agenda") == {("A/75/201", "A/75/150")}


@pytest.mark.parametrize(
    ("footnote", "agenda"),
    [
        ("* A/76/150。", {("A/76/333", "A/76/150")}),
        # Another session's document, or a footnote of words, is no agenda of this one.
        ("* A/74/150。", set()),
        ("* 因技术原因重发。", set()),
    ],
)
def test_a_variant_secretary_general_report_s_agenda_follows_its_footnote_and_session(
    tmp_path: Path, footnote: str, agenda: set[tuple[str, str]]
) -> None:
    def edit(lines: list[str]) -> list[str]:
        lines = [line.replace("A/75/201", "A/76/333") for line in lines]
        return [footnote if line.strip() == "* A/75/150。" else line for line in lines]

    store = OxigraphStore()
    [outcome] = ingest_files(store, ingest_settings(), variant(tmp_path, SG, edit))
    assert outcome.status == "ingested", outcome.error
    assert pairs(store, "unkg:agenda") == agenda


def test_a_symbol_opening_a_line_after_a_chinese_one_is_on_its_own_line() -> None:
    # The table rows of WO/PBC/38/2's annex IV: a row ends in Chinese, the next opens with a symbol.
    text = (
        "审查联合国系统各组织的问责制框架 2 立法机构 A/1/1 审查要点\n\n"
        "JIU/REP/2023/2 审查联合国系统各组织工作人员诉诸法\n\n"
        "JIU/REP/2023/3 review of something long\nE/2/2 x。\n"
    )
    source = SourceText(text.encode(), name="v")
    [paragraph] = list(source.paragraphs())
    lines = {
        c: source.line_at(paragraph, paragraph.text.find(c)) for c in ("A/1/1", "JIU/REP/2023/2", "E/2/2")
    }
    assert lines == {"A/1/1": 1, "JIU/REP/2023/2": 3, "E/2/2": 6}


def test_the_table_of_outstanding_reports_gives_the_notes_with_ceb_s_comments(five: OxigraphStore) -> None:
    assert pairs(five, "unkg:cebComments") == {
        ("JIU/REP/2023/8", "A/79/694/Add.1"),
        ("JIU/REP/2023/3", "A/78/595/Add.1"),
        ("JIU/REP/2023/2", "A/79/301/Add.1"),
        ("JIU/REP/2019/5", "A/74/691/Add.1"),
    }


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # A row whose comments column is empty gives nothing, and the next row keeps its own.
        (
            "2 立法机构 A/78/595/Add.1 审查要点",
            "2 立法机构 审查要点",
            {
                ("JIU/REP/2023/8", "A/79/694/Add.1"),
                ("JIU/REP/2023/2", "A/79/301/Add.1"),
                ("JIU/REP/2019/5", "A/74/691/Add.1"),
            },
        ),
        # Without the column heading the table is not read.
        ("首协会评论意见 其他文件", "其他文件", set()),
    ],
)
def test_a_variant_table_s_ceb_comments_follow_its_rows_and_heading(
    tmp_path: Path, old: str, new: str, expected: set[tuple[str, str]]
) -> None:
    def edit(lines: list[str]) -> list[str]:
        return [line.replace(old, new) for line in lines]

    store = OxigraphStore()
    [outcome] = ingest_files(store, ingest_settings(), variant(tmp_path, WIPO, edit))
    assert outcome.status == "ingested", outcome.error
    assert pairs(store, "unkg:cebComments") == expected
