"""Issue 17 (B, round 2): an instrument named right after the verb as what was acted on; sessions named
by year and number ('2019 年第一届常会') and where a session was held; 注意到 as 'noted', and no act of a
body asked to act ('请大会注意到本报告'). Variant reports show what each rule refuses. (Who signed the
Mutual Recognition Statement is tests/ingest/test_signatories.py's.)"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from service.stores import OxigraphStore
from tests.ingest.conftest import CEB_2019, JIU, SOURCES, ingest_files, ingest_settings, rows, values, variant

GRAPH = "https://w3id.org/unkg/graph/source/jiu-2024-mutual-recognition"


def _ingest_variant(tmp_path: Path, edit: Callable[[str], str]) -> OxigraphStore:
    store = OxigraphStore()
    path = variant(tmp_path, JIU, lambda lines: [edit(line) for line in lines])
    [outcome] = ingest_files(store, ingest_settings(), path)
    assert outcome.status == "ingested", outcome.error
    return store


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


def test_a_body_an_act_was_done_under_is_not_its_actor(ingested: OxigraphStore) -> None:
    # JIU line 1134: 管理问题高级别委员会在其数字和通信技术网下成立了一个工作分组: HLCM set it up, under its
    # network; the network, the body named last before the verb, did nothing.
    actors = values(
        ingested,
        f"""SELECT ?actor WHERE {{ GRAPH <{GRAPH}> {{ ?a a unkg:BodyAction ; unkg:actor ?actor ;
          unkg:evidence/unkg:lineStart 1134 }} }}""",
    )
    assert actors == ["https://w3id.org/unkg/id/body/hlcm"]
