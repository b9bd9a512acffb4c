"""Figures the sources state (issue 17): counts, shares and amounts, each with what it counts, its
qualifier ("超过 65" is not 65), the sentence that states it and its evidence; and no number whose
meaning the rule cannot state (ordinals, ranges, dates, symbols, paragraph numbers, tables, words).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef

from service.ingest.facts import Facts
from service.ingest.figures import add_figures
from service.ingest.text import SourceText
from service.rdf import UNKG
from service.stores import OxigraphStore
from tests.ingest.conftest import CEB_2019, SG, ingest_files, ingest_settings, rows, variant

DOCUMENT = URIRef("https://w3id.org/unkg/id/document/test")


def graph_of(text: str) -> Graph:
    facts = Facts(
        base_iri="https://w3id.org/unkg/", source=URIRef("https://w3id.org/unkg/id/source/t"), source_slug="t"
    )
    add_figures(SourceText(text.encode(), name="t.zh.txt"), facts, DOCUMENT)
    return facts.graph


def figures(text: str) -> list[tuple[object, ...]]:
    """(value, count of, unit, qualifier, as written, line) of each figure `text` states."""
    graph = graph_of(text)
    found = []
    for figure in sorted(
        graph.subjects(RDF.type, UNKG.Figure), key=lambda node: int(str(node).rsplit("/", 1)[1])
    ):
        value = graph.value(figure, RDF.value)
        assert value is not None and graph.value(figure, UNKG.statedIn) == DOCUMENT
        evidence = graph.value(figure, UNKG.evidence)
        found.append(
            (
                value.toPython(),
                str(graph.value(figure, UNKG.countOf) or ""),
                str(graph.value(figure, UNKG.unitText) or ""),
                str(graph.value(figure, UNKG.valueQualifier) or ""),
                str(graph.value(figure, UNKG.figureText)),
                int(graph.value(evidence, UNKG.lineStart)),  # type: ignore[arg-type]
            )
        )
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "已有来自 100 多个国家的超过 65 个实体的代表加入了该网络。",
            [
                (100, "国家", "", "more-than", "100 多个国家", 1),
                (65, "实体", "", "more-than", "超过 65 个实体", 1),
            ],
        ),
        ("该声明业经23个组织的行政首长通过并签署。", [(23, "组织", "", "", "23个组织", 1)]),
        (
            "例如，95%的答复者表示，他们已经在采购领域实行相互承认。",
            [(Decimal(95), "答复者", "%", "", "95%的答复者", 1)],
        ),
        (
            "到 2022 年每年节省约 3.10 亿美元。",
            [(Decimal(310000000), "", "美元", "about", "约 3.10 亿美元", 1)],
        ),
        (
            "注册供应商已有 3 500 多名工作人员参与。",
            [(3500, "工作人员", "", "more-than", "3 500 多名工作人员", 1)],
        ),
        (
            "至少有 47% 的组织没有主要业绩指标。",
            [(Decimal(47), "组织", "%", "at-least", "至少有 47% 的组织", 1)],
        ),
        ("本报告载有五项正式建议。", [(5, "正式建议", "", "", "五项正式建议", 1)]),
        # a pair the rule knows as one counted thing
        (
            "联合国系统 20 个实体和机构的理事机构都已经通过决定。",
            [(20, "实体和机构", "", "", "20 个实体和机构", 1)],
        ),
        ("为报告财务信息制定了6项联合国数据标准。", [(6, "联合国数据标准", "", "", "6项联合国数据标准", 1)]),
        (
            "仍有 3 项针对立法机构的建议和 5 项针对行政首长的建议尚未落实。",
            [
                (3, "针对立法机构的建议", "", "", "3 项针对立法机构的建议", 1),
                (5, "针对行政首长的建议", "", "", "5 项针对行政首长的建议", 1),
            ],
        ),
        # a variant: other numbers and nouns, the figure on the line that holds it
        (
            "第一段没有数字，但句子很长很长很长很长\n向 12 个联检组参加组织发出了问卷；近 240 名驻地协调员答复。",
            [
                (12, "联检组参加组织", "", "", "12 个联检组参加组织", 2),
                (240, "驻地协调员", "", "nearly", "近 240 名驻地协调员", 2),
            ],
        ),
    ],
)
def test_figures_the_text_states(text: str, expected: list[tuple[object, ...]]) -> None:
    assert figures(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "第 3 项建议已经落实。",  # an ordinal
        "高管网的成员最初将包括约 600 名至 1 000 名工作人员。",  # a range
        "合并至 6 个或 7 个共享服务中心。",  # an alternative
        "联合国系统 20 个实体和基金的理事机构都已经通过决定。",  # a classifier shared by two nouns
        "这 9 项建议已经落实。",  # a figure the text repeats
        "工作人员为 3 名代表提供了支助。",  # the noun first, but the classifier counts another noun
        "相互承认允许一个组织使用另一个组织的政策。",  # a word, not a figure
        "本报告于 2024 年 7 月 17 日发布（第 12 段），见 JIU/REP/2023/4。",  # dates, paragraphs, symbols
        "虽然这 7 个步骤是在 4 年多前发布的。",  # a noun the rule does not know
        "见 https://undocs.org/page=%5B10%5D。",  # a link
        "建议 1\t3 个组织\t5 项建议",  # a table
        "A. 执行情况 ........ 21 个组织",  # a table of contents
        "每 10 个组织中只有一个。",  # a rate
        "23 个组织左右签署了声明。",  # a bound the rule does not read
    ],
)
def test_numbers_that_are_not_asserted(text: str) -> None:
    assert figures(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("这 9 项建议中有 3 项是新建议。", [(3, "新建议", "", "", "3 项是新建议", 1)]),
        (
            "附件二载有 20 项建议（其中 9 项是新的）。",
            [(20, "建议", "", "", "20 项建议", 1), (9, "新建议", "", "", "9 项是新的", 1)],
        ),
        (
            "截至 2020 年 1 月，注册供应商近 24 万家。",
            [(240000, "注册供应商", "", "nearly", "注册供应商近 24 万家", 1)],
        ),
        (
            "在该模型下获得认证的工作人员总数达到 263 人。",
            [(263, "工作人员", "", "", "工作人员总数达到 263 人", 1)],
        ),
        ("其次是人力资源，执行率为74%；", [(Decimal(74), "", "%", "", "执行率为74%", 1)]),
    ],
)
def test_counts_of_new_items_noun_first_tallies_and_rates(
    text: str, expected: list[tuple[object, ...]]
) -> None:
    assert figures(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("截至 2020 年 6 月 30 日，经政策审查，发布了 170 项新的或经修订的政策。", ["2020-06-30"]),
        ("职责分工使客户受益，截至 2020 年 6 月，该司为 3 000 项问询提供了专项意见。", ["2020-06"]),
        ("截至 2019 年，已有 12 个组织报告该建议已落实。", ["2019"]),
        # a variant: the cut-off after the figure, or in another sentence, dates nothing
        ("该司为 3 000 项问询提供了专项意见，截至 2020 年 6 月仍在进行。", []),
        ("截至 2020 年 6 月，工作仍在进行。该司为 3 000 项问询提供了专项意见。", []),
    ],
)
def test_a_cut_off_dates_the_figures_after_it_in_its_sentence(text: str, expected: list[str]) -> None:
    assert [str(date) for date in graph_of(text).objects(None, UNKG.statedAsOf)] == expected


def test_a_rate_says_what_it_measures() -> None:
    graph = graph_of("财务和设施服务领域的执行率为53%，后勤领域的执行率最低，为42%。")
    assert [str(measure) for measure in graph.objects(None, UNKG.measure)] == ["执行率"]
    assert [value.toPython() for value in graph.objects(None, RDF.value)] == [Decimal(53)]


def test_a_sentence_cut_by_page_furniture_is_not_read() -> None:
    """A/75/201 breaks a sentence around a link line: neither half says what its share is of."""
    text = (
        "满意度调查显示，接受支助的客户实体中 76%的工作人员和管理人员对新的一站式服务提供\n"
        "\n"
        "https://undocs.org/ch/A/73/366\n"
        " 的咨询和支持的质量感到满意，86%的客户对发布的全面指导材料感到满意。\n"
    )
    assert figures(text) == []


@pytest.fixture(scope="module")
def ceb_2019() -> OxigraphStore:
    """CEB 2019 and the Secretary-General's report: the two narrative kinds of source."""
    store = OxigraphStore()
    outcomes = ingest_files(store, ingest_settings(), CEB_2019, SG)
    assert [o.status for o in outcomes] == ["ingested"] * 2, [o.error for o in outcomes]
    return store


def test_the_ingested_graph_holds_the_figures(ceb_2019: OxigraphStore, ingested: OxigraphStore) -> None:
    query = """SELECT ?v ?c ?q ?line WHERE {
      ?f a unkg:Figure ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> ?v ; unkg:countOf ?c ;
         unkg:statedIn ?doc ; unkg:evidence/unkg:lineStart ?line . OPTIONAL { ?f unkg:valueQualifier ?q } }"""
    found = {(r["v"], r["c"], r.get("q", ""), r["line"]) for r in rows(ceb_2019, query)}
    assert ("65", "实体", "more-than", "67") in found
    assert ("100", "国家", "more-than", "67") in found
    found = {(r["v"], r["c"], r.get("q", ""), r["line"]) for r in rows(ingested, query)}
    assert ("23", "组织", "", "284") in found  # organizations whose heads signed the statement
    assert ("21", "联检组参加组织", "", "300") in found
    assert ("5", "针对行政首长的建议", "", "56") in found  # WIPO: not yet implemented
    dated = rows(
        ceb_2019,
        """SELECT ?v ?unit ?date WHERE { ?f a unkg:Figure ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> ?v ;
          unkg:unitText ?unit ; unkg:statedAsOf ?date ; unkg:evidence/unkg:lineStart 703 }""",
    )
    assert dated == [{"v": "2000000000", "unit": "美元", "date": "2020-05"}]  # A/75/201: 约 20 亿美元


def test_a_variant_source_states_its_own_figures(tmp_path: Path) -> None:
    """CEB 2019 with the network's figures changed: the graph follows the text, qualifier and all."""

    def edit(lines: list[str]) -> list[str]:
        return [
            line.replace("来自 100 多个国家的超过 65 个实体", "来自 90 个国家的约 70 个实体")
            for line in lines
        ]

    store = OxigraphStore()
    [outcome] = ingest_files(store, ingest_settings(), variant(tmp_path, CEB_2019, edit))
    assert outcome.status == "ingested", outcome.error
    found = {
        (r["v"], r["c"], r.get("q", ""))
        for r in rows(
            store,
            """SELECT ?v ?c ?q WHERE { ?f a unkg:Figure ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> ?v ;
              unkg:countOf ?c ; unkg:evidence/unkg:lineStart 67 . OPTIONAL { ?f unkg:valueQualifier ?q } }""",
        )
    }
    assert found == {("90", "国家", ""), ("70", "实体", "about")}
    store.close()
