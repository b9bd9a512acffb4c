"""Issue 17 (B, round 2): who signed and who drafted an instrument a report names by title, and when it
was issued, as the JIU report lists them (lines 284, 296, 300, 535); an instrument named right after the
verb as what was acted on; sessions named by year and number ('2019 年第一届常会') and where a session was
held; 注意到 as 'noted', and no act of a body asked to act ('请大会注意到本报告'). Variant reports show the
lists are read only whole and as counted, and what each rule refuses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from service.stores import OxigraphStore
from tests.ingest.conftest import JIU, SOURCES, ingest_files, ingest_settings, rows, values, variant

CEB_2019 = SOURCES / "ceb-annual-overview-2019.zh.txt"
GRAPH = "https://w3id.org/unkg/graph/source/jiu-2024-mutual-recognition"
FOOTNOTE_8 = (
    "fao icao ifad ilo iom itc itu un un-habitat un-women unaids undp unep unesco unfpa unhcr unicef unido "
    "unops unrwa wfp who wmo"
).split()
FOOTNOTE_10 = (
    "fao icao ilo itc itu secretariat un-habitat un-women unaids undp unep unesco unfpa unhcr unicef unido "
    "unops unrwa wfp who wmo"
).split()


def signed(store: OxigraphStore, *, graph: str = GRAPH) -> dict[int, list[str]]:
    """The bodies the graph says signed 相互承认声明, by the line that lists them."""
    found = rows(
        store,
        f"""SELECT ?line ?actor WHERE {{ GRAPH <{graph}> {{
          ?a a unkg:BodyAction ; unkg:actionType id:action-type\\/signed ; unkg:actionObject ?doc ;
             unkg:actor ?b ; unkg:evidence ?e . ?e unkg:supports unkg:actor ; unkg:lineStart ?line .
          ?doc dct:title "相互承认声明"@zh .
          BIND(STRAFTER(STR(?b), "/body/") AS ?actor) }} }}""",
    )
    by_line: dict[int, list[str]] = {}
    for row in found:
        by_line.setdefault(int(row["line"]), []).append(row["actor"])
    return {line: sorted(actors) for line, actors in by_line.items()}


def statement(store: OxigraphStore, *, graph: str = GRAPH) -> dict[str, list[str]]:
    """What the graph says of the statement itself: its date and who prepared it."""
    found = rows(
        store,
        f"""SELECT ?date ?by WHERE {{ GRAPH <{graph}> {{ ?doc a unkg:Document ; dct:title "相互承认声明"@zh .
          OPTIONAL {{ ?doc dct:date ?date }}
          OPTIONAL {{ ?doc unkg:preparedBy ?b BIND(STRAFTER(STR(?b), "/body/") AS ?by) }} }} }}""",
    )
    return {
        "date": sorted({row["date"] for row in found if row.get("date")}),
        "by": sorted({row["by"] for row in found if row.get("by")}),
    }


def test_the_signatories_are_those_the_report_lists_as_it_counts_them(ingested: OxigraphStore) -> None:
    # Line 284: '…该声明业经23个组织的行政首长通过并签署。<sup>8</sup>', footnote 8 (line 296) lists the 23;
    # footnote 10 (line 300): '签署了《相互承认声明》的21个联检组参加组织…，即粮农组织、…和气象组织。',
    # the Secretariat with UNCTAD and UNODC in brackets as its parts (not signatories of their own).
    assert signed(ingested) == {296: FOOTNOTE_8, 300: FOOTNOTE_10}


def test_who_has_not_signed_is_never_a_signatory(ingested: OxigraphStore) -> None:
    # Footnote 11 (line 302): 尚未签署…的联检组参加组织有：原子能机构、海事组织、旅游组织、万国邮联和知识产权组织;
    # line 1453: 万国邮联和世界旅游组织虽未签署….
    everyone = {actor for actors in signed(ingested).values() for actor in actors}
    assert everyone.isdisjoint({"iaea", "imo", "un-tourism", "upu", "wipo", "unctad", "unodc"})


def test_the_statement_was_drafted_by_the_bodies_before_the_verb_and_issued_in_2018(
    ingested: OxigraphStore,
) -> None:
    # Line 284: 2018年，首协会(首协会)管理问题高级别委员会和联合国可持续发展集团拟定了相互承认声明 (CEB is HLCM's
    # parent, named in its name); line 535: 2018年签署并发布的《相互承认声明》.
    assert statement(ingested) == {"date": ["2018"], "by": ["hlcm", "unsdg"]}


def _ingest_variant(tmp_path: Path, edit: Callable[[str], str]) -> OxigraphStore:
    store = OxigraphStore()
    path = variant(tmp_path, JIU, lambda lines: [edit(line) for line in lines])
    [outcome] = ingest_files(store, ingest_settings(), path)
    assert outcome.status == "ingested", outcome.error
    return store


@pytest.mark.parametrize(
    ("edit", "expected", "why"),
    [
        (
            lambda line: line.replace("的21个联检组参加组织收集", "的20个联检组参加组织收集"),
            {296: FOOTNOTE_8},
            "a list longer than its count is not read",
        ),
        (
            lambda line: line.replace("业经23个组织", "业经24个组织"),
            {300: FOOTNOTE_10},
            "a footnote shorter than the count is not read",
        ),
        (
            lambda line: line.replace("、国贸中心、国际电联、艾滋病", "、某某中心、国际电联、艾滋病"),
            {296: FOOTNOTE_8},
            "a name the reference data does not know leaves the whole list out",
        ),
        (
            lambda line: line.replace("仅从签署了《相互承认声明》", "仅从尚未签署了《相互承认声明》"),
            {296: FOOTNOTE_8},
            "not signed is no signature",
        ),
        (
            lambda line: line.replace("通过并签署。<sup>8</sup>", "通过并签署。<sup>9</sup>"),
            {300: FOOTNOTE_10},
            "a footnote that is no list of names (note 9 lists activities) states no signatory",
        ),
        (
            lambda line: (
                line.replace(
                    "、工发组织、项目署、近东救济工程处和联合国秘书处", "、工发组织、项目署和联合国秘书处"
                )
                .replace("的21个联检组参加组织收集", "的20个联检组参加组织收集")
                .replace("、国际移民组织(移民组织)、", "、")
                .replace("业经23个组织", "业经22个组织")
            ),
            {
                296: [a for a in FOOTNOTE_8 if a != "iom"],
                300: [a for a in FOOTNOTE_10 if a != "unrwa"],
            },
            "another list, counted right, is read as it stands",
        ),
    ],
)
def test_a_variant_report_signatories_follow_the_text(
    tmp_path: Path, edit: Callable[[str], str], expected: dict[int, list[str]], why: str
) -> None:
    store = _ingest_variant(tmp_path, edit)
    assert signed(store) == expected, why


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda line: line.replace(
                "管理问题高级别委员会和联合国可持续发展集团拟定了", "方案问题高级别委员会拟定了"
            ).replace("2018年签署并发布的", "2019年签署并发布的"),
            {"date": ["2019"], "by": ["hlcp"]},
        ),
        (
            lambda line: line.replace("2018年签署并发布的", "预计2018年签署并发布的").replace(
                "可持续发展集团拟定了相互承认声明", "可持续发展集团拟定相互承认声明"
            ),
            {"date": [], "by": []},
        ),
    ],
)
def test_a_variant_report_drafters_and_year_follow_the_text(
    tmp_path: Path, edit: Callable[[str], str], expected: dict[str, list[str]]
) -> None:
    # A year that is expected (预计), or a 拟定 without 了 (to be drafted), states nothing.
    assert statement(_ingest_variant(tmp_path, edit)) == expected


def test_a_regular_session_named_by_year_and_number_is_the_acts_session(tmp_path: Path) -> None:
    # CEB 2019 line 49: 随后首协会在 2019 年第一届常会上核可了这些产品; line 43: 首协会在 2019 年第二届常会上核可了该战略第一阶段.
    store = OxigraphStore()
    path = variant(
        tmp_path,
        CEB_2019,
        lambda lines: [line.replace("2019 年第一届常会上核可", "2021 年第三届常会上核可") for line in lines],
    )
    [real] = ingest_files(store, ingest_settings(), CEB_2019)
    assert real.status == "ingested", real.error
    query = """SELECT ?label WHERE {{ GRAPH <https://w3id.org/unkg/graph/source/{graph}> {{
        ?a unkg:actor id:body\\/ceb ; unkg:actionType id:action-type\\/endorsed ; unkg:atSession ?s .
        ?s unkg:sessionOf id:body\\/ceb ; skos:prefLabel ?label }} }} ORDER BY ?label"""
    assert values(store, query.format(graph="ceb-annual-overview-2019")) == [
        "2019 年第一届常会",
        "2019 年第二届常会",
    ]
    other = OxigraphStore()
    [changed] = ingest_files(other, ingest_settings(), path)
    assert changed.status == "ingested", changed.error
    assert values(other, query.format(graph="ceb-annual-overview-2019")) == [
        "2019 年第二届常会",
        "2021 年第三届常会",
    ]


def _objects_at(store: OxigraphStore, line: int) -> list[tuple[str, str]]:
    """(type, title of the instrument acted on, or '') of CEB 2019's acts at `line`."""
    found = rows(
        store,
        f"""SELECT ?type ?title WHERE {{ GRAPH <https://w3id.org/unkg/graph/source/ceb-annual-overview-2019> {{
          ?a a unkg:BodyAction ; unkg:actionType ?t ; unkg:evidence/unkg:lineStart {line} .
          BIND(STRAFTER(STR(?t), "action-type/") AS ?type)
          OPTIONAL {{ ?a unkg:actionObject/dct:title ?title }} }} }} ORDER BY ?type""",
    )
    return [(row["type"], row.get("title", "")) for row in found]


@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        (None, [("adopted", "联合国残疾人包容战略")]),
        (("《联合国残疾人包容战略》，", "《联合国残疾人包容战略》的修订版，"), [("adopted", "")]),
        (("《联合国残疾人包容战略》，", "《联合国残疾人包容战略》题为“总则”的第一章，"), [("adopted", "")]),
        (("管理问题高级别委员会通过了《", "管理问题高级别委员会拟通过了《"), []),
    ],
)
def test_an_instrument_named_right_after_the_verb_is_what_was_acted_on(
    tmp_path: Path, replace: tuple[str, str] | None, expected: list[tuple[str, str]]
) -> None:
    # CEB 2019 line 137: 管理问题高级别委员会通过了《联合国残疾人包容战略》，¹² 其中包括…: HLCM adopted the strategy;
    # something of it (的修订版, 题为…的第一章) is not the strategy, and a proposed act (拟) is none.
    old, new = replace or ("", "")
    path = variant(
        tmp_path, CEB_2019, lambda lines: [line.replace(old, new) if old else line for line in lines]
    )
    store = OxigraphStore()
    [outcome] = ingest_files(store, ingest_settings(), path)
    assert outcome.status == "ingested", outcome.error
    assert _objects_at(store, 137) == expected
    if replace is None:
        # Line 87: 执行首协会核可的《联合国系统平等和不歧视共同行动框架》: CEB endorsed the framework.
        assert _objects_at(store, 87) == [("endorsed", "联合国系统平等和不歧视共同行动框架")]


def _typed(store: OxigraphStore, graph: str, line: int) -> list[tuple[str, str]]:
    """(type, actor) of the acts the graph `graph` states from `line`."""
    found = rows(
        store,
        f"""SELECT ?type ?actor WHERE {{ GRAPH <https://w3id.org/unkg/graph/source/{graph}> {{
          ?a a unkg:BodyAction ; unkg:actionType ?t ; unkg:actor ?b ; unkg:evidence/unkg:lineStart {line} .
          BIND(STRAFTER(STR(?t), "action-type/") AS ?type) BIND(STRAFTER(STR(?b), "/body/") AS ?actor) }} }}
          ORDER BY ?type ?actor""",
    )
    return [(row["type"], row["actor"]) for row in found]


def test_a_body_taking_note_is_noted(tmp_path: Path) -> None:
    # CEB 2006/07 line 184: 协调会在其 2006 年秋季会议上注意到安全和保障部…的进展; line 156: 行政首长协调会注意到
    # 有人提议…; line 130: 行政首长协调会支持…，并且注意到，…; CEB 2019 line 91: 首协会表示注意到该报告.
    store = OxigraphStore()
    outcomes = ingest_files(
        store, ingest_settings(), SOURCES / "ceb-annual-overview-2006-2007.zh.txt", CEB_2019
    )
    assert [o.status for o in outcomes] == ["ingested", "ingested"], [o.error for o in outcomes]
    for line in (130, 156, 184, 210):
        assert ("noted", "ceb") in _typed(store, "ceb-annual-overview-2006-2007", line), line
    assert _typed(store, "ceb-annual-overview-2019", 91) == [("noted", "ceb")]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("", "", []),  # 64. 请大会注意到本报告。: the SG asks the GA to take note; it has not yet.
        ("请大会注意到本报告", "大会注意到本报告", [("noted", "ga")]),
        ("请大会注意到本报告", "秘书长敦促大会核准本报告", []),
        ("请大会注意到本报告", "大会将注意到本报告", []),
    ],
)
def test_a_body_asked_to_act_has_not_acted(
    tmp_path: Path, old: str, new: str, expected: list[tuple[str, str]]
) -> None:
    sg = SOURCES / "A-75-201-management-reform.zh.txt"
    path = variant(tmp_path, sg, lambda lines: [line.replace(old, new) if old else line for line in lines])
    store = OxigraphStore()
    [outcome] = ingest_files(store, ingest_settings(), path)
    assert outcome.status == "ingested", outcome.error
    line = next(
        n for n, text in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if "本报告。" in text
    )
    assert _typed(store, "a-75-201-management-reform", line) == expected


def _venues(store: OxigraphStore) -> list[str]:
    return values(
        store,
        f"""SELECT ?venue WHERE {{ GRAPH <{GRAPH}> {{
          ?s a unkg:Session ; unkg:sessionOf id:body\\/hlcm ; unkg:sessionNumber 47 ; unkg:venue ?venue }} }}""",
    )


def test_where_a_session_was_held_is_its_venue(ingested: OxigraphStore, tmp_path: Path) -> None:
    # JIU line 559: 在2024年4月于内罗毕举行的管理问题高级别委员会第四十七届会议上，委员会决定….
    assert _venues(ingested) == ["内罗毕"]
    moved = _ingest_variant(tmp_path, lambda line: line.replace("于内罗毕举行的", "于日内瓦举行的"))
    assert _venues(moved) == ["日内瓦"]
    (tmp_path / "b").mkdir()
    # A time where the place stood ('于当月举行的') is no venue.
    unnamed = _ingest_variant(tmp_path / "b", lambda line: line.replace("于内罗毕举行的", "于当月举行的"))
    assert _venues(unnamed) == []


def _dated(store: OxigraphStore, line: int) -> list[tuple[str, str]]:
    """(type, date or '') of the JIU report's acts at `line`."""
    found = rows(
        store,
        f"""SELECT ?type ?date WHERE {{ GRAPH <{GRAPH}> {{
          ?a a unkg:BodyAction ; unkg:actionType ?t ; unkg:evidence/unkg:lineStart {line} .
          BIND(STRAFTER(STR(?t), "action-type/") AS ?type) OPTIONAL {{ ?a dct:date ?date }} }} }}""",
    )
    return [(row["type"], row.get("date", "")) for row in found]


def test_a_year_that_is_a_clause_of_its_own_dates_the_act(ingested: OxigraphStore, tmp_path: Path) -> None:
    # JIU line 1134: 2023年，管理问题高级别委员会在其数字和通信技术网下成立了一个工作分组.
    assert _dated(ingested, 1134) == [("established", "2023")]
    # 'by the end of 2023' or 'since 2023' is no date of the act.
    for n, words in enumerate(("2023年底，管理问题", "2023年以来，管理问题")):
        (tmp_path / str(n)).mkdir()
        store = _ingest_variant(tmp_path / str(n), lambda line, w=words: line.replace("2023年，管理问题", w))
        assert _dated(store, 1134) == [("established", "")], words
