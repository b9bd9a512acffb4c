"""Recommendations of other reports cited by number, what a figure concerns, the functional area of an
informal recommendation, and who drew up a statement and when (issue 17): read only where the text
says whose number or list it is, and refused where it does not. (Who signed a statement:
test_signatories.py.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCTERMS

from service.ingest.bodies import BodyIndex
from service.ingest.cited_recommendations import add_cited_recommendations, cited_recommendations
from service.ingest.extract_jiu_report import functional_area
from service.ingest.facts import Facts
from service.ingest.figures import add_figures
from service.ingest.signatories import drafters, signatories
from service.ingest.text import SourceText
from service.rdf import UNKG
from service.stores import OxigraphStore
from tests.conftest import ROOT
from tests.ingest.conftest import JIU, ingest_files, ingest_settings, rows, variant

BODY = "https://w3id.org/unkg/id/body/"
DOCUMENT = URIRef("https://w3id.org/unkg/id/document/test")
COOPERATION = URIRef("https://w3id.org/unkg/id/document/cooperation-statement")
PARTNERS = URIRef("https://w3id.org/unkg/id/document/partner-statement")


@pytest.fixture(scope="module")
def bodies() -> BodyIndex:
    reference = Graph()
    for name in ("bodies.ttl", "documents.ttl"):
        reference.parse(ROOT / "data" / "reference" / name)
    # Statements of the synthetic texts below, known by title as the reference data knows its own.
    reference.parse(
        data=f"""
        <{COOPERATION}> a <{UNKG.Document}> ; <{DCTERMS.title}> "合作声明"@zh .
        <{PARTNERS}> a <{UNKG.Document}> ; <{DCTERMS.title}> "伙伴声明"@zh .""",
        format="turtle",
    )
    return BodyIndex(reference)


def facts() -> Facts:
    return Facts(
        base_iri="https://w3id.org/unkg/", source=URIRef("https://w3id.org/unkg/id/source/t"), source_slug="t"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("JIU/REP/2019/8 中关于工作人员交流和机构间流动的建议 9 仍然具有相关性", [("JIU/REP/2019/8", 9)]),
        ("JIU/REP/2018/5，第 108 段和建议 4。", [("JIU/REP/2018/5", 4)]),
        ("JIU/REP/2021/3 中的建议 2 已落实。", []),  # '的' before 建议: whose is not read
        ("JIU/REP/2018/5 强调了相互承认的作用。建议 7 呼吁秘书长", []),
        ("JIU/REP/2019/8 中关于流动的建议 9 和 10", []),
        ("JIU/REP/2019/8 中的非正式建议 9", []),
        ("A/75/201 中关于改革的建议 3", []),  # not a JIU report
    ],
)
def test_recommendations_of_other_reports_cited_by_number(text: str, expected: list[tuple[str, int]]) -> None:
    assert [(symbol, number) for symbol, number, _ in cited_recommendations(text)] == expected


def concerned(text: str, bodies: BodyIndex) -> dict[str, str]:
    """figure as written -> what it concerns, for `text` read as a JIU report's extractor and figures do."""
    found = facts()
    source = SourceText(text.encode(), name="t.zh.txt")
    found.add(URIRef("https://w3id.org/unkg/id/document/jiu-rep-2019-8"), RDF.type, UNKG.Report)
    add_cited_recommendations(source, found, DOCUMENT)
    signatories(source, found, bodies)
    add_figures(source, found, DOCUMENT, titled=bodies.document_titles())
    graph = found.graph
    return {
        str(graph.value(figure, UNKG.figureText)): str(graph.value(figure, UNKG.concerns) or "").rsplit(
            "/id/", 1
        )[-1]
        for figure in graph.subjects(RDF.type, UNKG.Figure)
    }


def test_a_figure_concerns_what_its_sentence_names(bodies: BodyIndex) -> None:
    statement = "document/cooperation-statement"
    text = (
        "13. 本审查报告载有五项正式建议。审查报告还载有 19 项非正式建议，这些建议是补充。\n\n"
        "14. 本次审查的数据仅从签署了《合作声明》的 3 个联检组参加组织收集，即粮农组织、开发署和世卫组织。\n\n"
        "15. JIU/REP/2019/8 中关于工作人员流动的建议 9 仍然具有相关性，特别是考虑到只有 26% 的联检组参加组织实施了该建议。\n\n"
        "16. 截至 2024 年 9 月，已有 12 个组织向联检组报告该建议已落实。\n\n"
        "17. 该报告载有 7 项建议。共有 21 个联检组参加组织答复了问卷。\n"
    )
    assert concerned(text, bodies) == {
        "五项正式建议": "document/test",
        "19 项非正式建议": "document/test",
        "3 个联检组参加组织": statement,
        "26% 的联检组参加组织": "recommendation/jiu-rep-2019-8/formal/9",
        "12 个组织": "",  # 该建议 with no report and number in its sentence
        "7 项建议": "",  # 该报告 may be any report
        "21 个联检组参加组织": "",  # no 签署, no statement
    }


def test_how_the_recommendations_split_by_addressee(bodies: BodyIndex) -> None:
    text = (
        "本次审查报告载有五项正式建议，其中一项是向联合国系统各组织立法机关提出的，"
        "一项是向联合国秘书长提出的，三项是向联合国系统各组织行政首长提出的。\n\n"
        "这些组织中，一项是向秘书长提出的。\n"
    )
    graph_facts = facts()
    add_figures(SourceText(text.encode(), name="t.zh.txt"), graph_facts, DOCUMENT)
    graph = graph_facts.graph
    found = {
        (graph.value(f, RDF.value).toPython(), str(graph.value(f, UNKG.countOf)))  # type: ignore[union-attr]
        for f in graph.subjects(RDF.type, UNKG.Figure)
    }
    assert found == {
        (5, "正式建议"),
        (1, "向联合国系统各组织立法机关提出的正式建议"),
        (1, "向联合国秘书长提出的正式建议"),
        (3, "向联合国系统各组织行政首长提出的正式建议"),
    }  # the last paragraph says of no recommendations it contains: not read


def test_the_ingested_report_names_who_signed_the_statement(ingested: OxigraphStore) -> None:
    signatories = rows(
        ingested,
        """SELECT ?b WHERE { VALUES ?s { <https://w3id.org/unkg/id/document/mutual-recognition-statement> } ?s unkg:signatory ?b }""",
    )
    names = {r["b"].removeprefix(BODY) for r in signatories}
    # Footnote 8 (the 23 whose heads signed) and footnote 10 (the 21 JIU participating signatories).
    assert len(names) == 24 and {"un", "secretariat", "ifad", "iom", "icao"} <= names
    assert not {"unctad", "unodc", "jiu"} & names  # in the brackets of 联合国秘书处, and the reviewer
    absent = rows(
        ingested,
        """SELECT ?b WHERE { VALUES ?s { <https://w3id.org/unkg/id/document/mutual-recognition-statement> } ?s unkg:nonSignatory ?b }""",
    )
    assert {r["b"].removeprefix(BODY) for r in absent} == {"iaea", "imo", "un-tourism", "upu", "wipo"}
    figures = rows(
        ingested,
        """SELECT ?t ?line WHERE { ?f unkg:concerns ?s ; unkg:figureText ?t ; unkg:evidence/unkg:lineStart ?line .
           FILTER(?s = <https://w3id.org/unkg/id/document/mutual-recognition-statement>) }""",
    )
    assert {(r["t"], r["line"]) for r in figures} == {
        ("23个组织", "284"),
        ("21个联检组参加组织", "300"),
        ("21 个联检组参加组织", "317"),
    }
    cited = rows(
        ingested,
        """SELECT ?n ?t WHERE { ?r unkg:inReport <https://w3id.org/unkg/id/document/jiu-rep-2019-8> ; unkg:recommendationNumber ?n .
           ?f unkg:concerns ?r ; unkg:figureText ?t }""",
    )
    assert cited == [{"n": "9", "t": "26% 的联检组参加组织"}]


def test_a_variant_report_follows_its_own_lists(tmp_path: Path) -> None:
    """The JIU report with WIPO moved from the non-signatories to the 21 (now 22), and rec 9 cited as 11."""

    def edit(lines: list[str]) -> list[str]:
        changed = []
        for line in lines:
            line = line.replace(
                "、万国邮政联盟(万国邮联)和世界知识产权组织(知识产权组织)。", "和万国邮政联盟(万国邮联)。"
            )
            line = line.replace(
                "21个联检组参加组织收集，即粮农组织", "22个联检组参加组织收集，即知识产权组织、粮农组织"
            )
            line = line.replace("流动的建议 9<sup>", "流动的建议 11<sup>")
            changed.append(line)
        return changed

    store = OxigraphStore()
    [outcome] = ingest_files(store, ingest_settings(), variant(tmp_path, JIU, edit))
    assert outcome.status == "ingested", outcome.error
    absent = rows(
        store,
        """SELECT ?b WHERE { VALUES ?s { <https://w3id.org/unkg/id/document/mutual-recognition-statement> } ?s unkg:nonSignatory ?b }""",
    )
    assert {r["b"].removeprefix(BODY) for r in absent} == {"iaea", "imo", "un-tourism", "upu"}
    signed_300 = rows(
        store,
        """SELECT ?b WHERE { VALUES ?s { <https://w3id.org/unkg/id/document/mutual-recognition-statement> } ?s unkg:signatory ?b ;
           unkg:evidence ?e . ?e unkg:lineStart 300 ; unkg:supports unkg:signatory }""",
    )
    assert "wipo" in {r["b"].removeprefix(BODY) for r in signed_300}
    cited = rows(
        store,
        """SELECT ?n WHERE { ?r unkg:inReport <https://w3id.org/unkg/id/document/jiu-rep-2019-8> ; unkg:recommendationNumber ?n }""",
    )
    assert cited == [{"n": "11"}]
    store.close()


SECTIONS = """#### 非正式建议

1. 检查专员建议采购网络协调(第 40 段)。

### C. 各职能领域的实施情况

#### 1. 采购

##### a. 采购领域的实施情况

40. 在采购领域，检查专员建议采购网络协调。

## 2. 信息和通信技术(信通技术)

41. 检查专员建议采用网络安全标准。

## 3. 共用后台办公室

42. 检查专员建议共用后台办公室。

## 六. 监测和报告

43. 检查专员建议监测。

### 建议 2

44. 检查专员建议报告。
"""


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (40, ("procurement", 7)),  # past the lettered 'a.' to '1. 采购'
        (41, ("ict", 13)),  # brackets aside
        (42, None),  # a numbered section that is no functional area
        (43, None),  # a chapter heading ends the area before it
        (44, None),  # so does a recommendation's heading
        (45, None),  # a paragraph the text does not have
        (1, None),  # the summary's list item is not paragraph 1
    ],
)
def test_the_functional_area_of_a_paragraph_is_the_section_it_stands_in(
    paragraph: int, expected: tuple[str, int] | None
) -> None:
    source = SourceText(SECTIONS.encode(), name="t.zh.txt")
    assert functional_area(source, paragraph, after=3) == expected


def test_informal_recommendations_of_the_report_carry_the_area_of_their_paragraph(
    ingested: OxigraphStore,
) -> None:
    found = rows(
        ingested,
        """SELECT ?n ?area WHERE { ?r a unkg:InformalRecommendation ; unkg:recommendationNumber ?n ;
           unkg:functionalArea ?area }""",
    )
    by_number = {int(r["n"]): r["area"].rsplit("/", 1)[-1] for r in found}
    assert by_number == {
        7: "procurement",
        8: "procurement",
        9: "procurement",
        10: "human-resources",
        11: "logistics",
        12: "finance",
        13: "ict",
        14: "ict",
        15: "administration",
    }  # 1-6 and 16-19 cite paragraphs outside the six areas' sections


def drafted(text: str, bodies: BodyIndex) -> set[str]:
    found = facts()
    source = SourceText(text.encode(), name="t.zh.txt")
    signatories(source, found, bodies)
    drafters(source, found, bodies)
    graph = found.graph
    return {
        str(o).rsplit("/", 1)[-1] for p in (UNKG.preparedBy, DCTERMS.created) for o in graph.objects(None, p)
    }


FOOTNOTED = (
    "5. 因此，2018年，联合国系统行政首长协调理事会(首协会)管理问题高级别委员会和联合国可持续发展集团"
    "拟定了伙伴声明，该声明业经3个组织的行政首长通过并签署。<sup>8</sup>\n\n"
    "<sup>8</sup> 粮农组织、联合国和世卫组织。\n"
)


def test_who_drew_up_a_statement_and_when(bodies: BodyIndex) -> None:
    # A body named right after its parent is that body: 首协会管理问题高级别委员会 is HLCM, not CEB.
    assert drafted(FOOTNOTED, bodies) == {"hlcm", "unsdg", "2018"}


@pytest.mark.parametrize(
    "text",
    [
        FOOTNOTED.replace("拟定了", "将拟定"),  # not done
        FOOTNOTED.replace("联合国可持续发展集团", "某某小组"),  # a drafter that is no known body
        "2018年，管理问题高级别委员会拟定了友好声明。\n",  # a statement the reference data does not name
    ],
)
def test_no_drafters_where_the_text_does_not_name_them_plainly(bodies: BodyIndex, text: str) -> None:
    assert drafted(text, bodies) == set()


def test_the_ingested_statement_was_drawn_up_by_hlcm_and_unsdg_in_2018(ingested: OxigraphStore) -> None:
    found = rows(
        ingested,
        """SELECT ?b ?year WHERE { VALUES ?s { <https://w3id.org/unkg/id/document/mutual-recognition-statement> } ?s unkg:preparedBy ?b ; dct:created ?year }""",
    )
    assert {(r["b"].removeprefix(BODY), r["year"]) for r in found} == {("hlcm", "2018"), ("unsdg", "2018")}
