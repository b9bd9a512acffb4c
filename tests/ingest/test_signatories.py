"""Issue 17, round 2 (A): who has signed a statement and who has not, as the sources list them.

The rules are read on the sources' sentences and on variants of them (names, statements and
wording changed), for what they must state and for what they must refuse.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.ingest.bodies import BodyIndex
from service.ingest.signatories import read_signings
from service.stores import OxigraphStore
from tests.ingest.conftest import CEB_2019, JIU, ingest_files, ingest_settings, rows, values, variant

BODY = "https://w3id.org/unkg/id/body/"
STATEMENT = "https://w3id.org/unkg/id/document/mutual-recognition-statement"
# The organizations footnote 11 of the JIU report names as not having signed.
NOT_SIGNED = ["iaea", "imo", "un-tourism", "upu", "wipo"]
# Footnote 10 (21 JIU participating organizations, the UN Secretariat among them) and footnote 8
# (23 organizations: the same, with IFAD, IOM and 联合国 itself).
SIGNED_JIU = sorted(
    "fao icao ifad ilo iom itc itu secretariat un un-habitat un-women unaids undp unep unesco unfpa "
    "unhcr unicef unido unops unrwa wfp who wmo".split()
)
# Footnote 14 of the CEB 2019 overview: 17 executive heads.
SIGNED_CEB_2019 = sorted(
    "secretariat fao ilo iom itu un-women unaids undp unep unesco unfpa unhcr unicef unops unrwa wfp who".split()
)


@pytest.fixture(scope="module")
def two() -> Iterator[OxigraphStore]:
    store = OxigraphStore()
    outcomes = ingest_files(store, ingest_settings(), JIU, CEB_2019)
    assert [o.status for o in outcomes] == ["ingested"] * 2, [o.error for o in outcomes]
    yield store
    store.close()


def read(
    text: str, bodies: BodyIndex, *, context: str = "", footnote: bool = False
) -> list[tuple[bool, list[str]]]:
    return [
        (found.signed, sorted(str(b).removeprefix(BODY) for b in found.bodies))
        for found in read_signings(text, bodies, context=context, footnote=footnote)
        if str(found.statement) == STATEMENT
    ]


def signatories(store: OxigraphStore, graph: str, predicate: str) -> list[str]:
    found = values(
        store,
        f"SELECT DISTINCT ?body WHERE {{ GRAPH <https://w3id.org/unkg/graph/source/{graph}> "
        f"{{ <{STATEMENT}> unkg:{predicate} ?body }} }} ORDER BY ?body",
    )
    return [body.removeprefix(BODY) for body in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "本次审查的数据仅从签署了《相互承认声明》的3个联检组参加组织收集，即粮农组织、劳工组织和世卫组织。",
            [(True, ["fao", "ilo", "who"])],
        ),
        (
            "尚未签署《相互承认声明》的联检组参加组织有：国际原子能机构(原子能机构)和万国邮政联盟(万国邮联)。",
            [(False, ["iaea", "upu"])],
        ),
        # 计划 inside 联合国开发计划署 is no plan; a bracket of what a body includes is skipped.
        (
            "迄今为止，联合国开发计划署、联合国秘书处(包括联合国贸易和发展会议(贸发会议))和世界卫生组织"
            "的行政首长签署了《相互承认声明》。",
            [(True, ["secretariat", "undp", "who"])],
        ),
        # A name with 、 in it, and 秘书处 alone in a list of organizations.
        (
            "迄今为止，秘书处和联合国教育、科学及文化组织(教科文组织)的行政首长签署了相互承认声明。",
            [(True, ["secretariat", "unesco"])],
        ),
    ],
)
def test_a_list_of_signatories_is_read_where_the_text_says_who_signed(
    bodies: BodyIndex, text: str, expected: list[tuple[bool, list[str]]]
) -> None:
    assert read(text, bodies) == expected


@pytest.mark.parametrize(
    "text",
    [
        # Asked, urged, to come, or a recommendation: nobody has signed.
        "大会敦促尚未签署《相互承认声明》的联合国发展系统各组织签署该声明。",
        "将签署《相互承认声明》的组织有：粮农组织和劳工组织。",
        "拟签署《相互承认声明》的组织为：粮农组织、劳工组织。",
        "尚未签署《相互承认声明》的联合国系统各组织行政首长应在 2026 年底前签署。",
        "迄今为止，粮农组织和劳工组织的行政首长将签署《相互承认声明》。",
        "粮农组织和劳工组织应签署《相互承认声明》。",
        # A list with an item that is no known body is not read in part.
        "迄今为止，粮农组织、某个不知名的组织和劳工组织的行政首长签署了《相互承认声明》。",
        # A statement the reference data does not know.
        "签署了《采用声明》的组织有：粮农组织和劳工组织。",
        # Organizations that signed, with no list.
        "本次审查的范围仅限于签署《相互承认声明》的联检组参加组织。",
    ],
)
def test_no_signatory_is_read_where_the_text_does_not_list_who_signed(bodies: BodyIndex, text: str) -> None:
    assert read(text, bodies) == []


def test_the_statement_a_footnote_calls_its_own_is_the_one_its_marker_sentence_names(
    bodies: BodyIndex,
) -> None:
    footnote = "迄今为止，粮农组织和劳工组织的行政首长签署了该声明。"
    signed = "到目前为止，已有2位行政首长签署了相互承认声明。"
    assert read(footnote, bodies, context=signed, footnote=True) == [(True, ["fao", "ilo"])]
    # CEB 2019 footnote 16: 该声明 is the adoption statement its marker sentence names, not this one.
    assert read(footnote, bodies, context="并发表了相关的采用声明；", footnote=True) == []


def test_a_footnote_that_only_lists_bodies_is_read_after_a_sentence_saying_the_statement_was_signed(
    bodies: BodyIndex,
) -> None:
    listed = "联合国粮食及农业组织(粮农组织)、联合国和世界气象组织(气象组织)。"
    signed = "2018年，高管会拟定了相互承认声明，该声明业经3个组织的行政首长通过并签署。"
    assert read(listed, bodies, context=signed, footnote=True) == [(True, ["fao", "un", "wmo"])]
    for unsigned in (
        "2018年，高管会拟定了相互承认声明，该声明将由3个组织的行政首长签署。",
        "2018年，高管会拟定了相互承认声明，尚未有组织签署。",
        "2018年，高管会拟定了相互承认声明。",
    ):
        assert read(listed, bodies, context=unsigned, footnote=True) == [], unsigned
    # The same list in running text is no footnote, and no list of signatories.
    assert read(listed, bodies, context=signed) == []


def test_the_jiu_report_states_who_signed_the_statement_and_who_has_not(two: OxigraphStore) -> None:
    graph = "jiu-2024-mutual-recognition"
    assert signatories(two, graph, "signatory") == SIGNED_JIU
    assert signatories(two, graph, "nonSignatory") == NOT_SIGNED
    lines = rows(
        two,
        f"SELECT DISTINCT ?start ?end WHERE {{ <{STATEMENT}> unkg:evidence ?e . ?e unkg:supports unkg:nonSignatory ; "
        "unkg:lineStart ?start ; unkg:lineEnd ?end ; prov:wasQuotedFrom <https://w3id.org/unkg/id/source/"
        "jiu-2024-mutual-recognition> } ORDER BY ?start",
    )
    # Footnote 11, and the sentence of paragraph 8 its marker ends.
    assert lines == [{"start": "292", "end": "292"}, {"start": "302", "end": "302"}]


def test_the_ceb_2019_overview_states_the_17_signatories_of_its_footnote_14_and_none_of_footnote_16(
    two: OxigraphStore,
) -> None:
    graph = "ceb-annual-overview-2019"
    assert signatories(two, graph, "signatory") == SIGNED_CEB_2019
    assert signatories(two, graph, "nonSignatory") == []


def test_a_variant_overview_gets_the_signatories_its_own_footnote_lists_of_the_statement_it_names(
    tmp_path: Path,
) -> None:
    def edit(lines: list[str]) -> list[str]:
        changed = []
        for line in lines:
            if line.startswith("¹⁴ 迄今为止"):
                line = "¹⁴ 迄今为止，国际海事组织和万国邮政联盟的行政首长签署了该声明。"
            changed.append(
                line.replace("已有17位行政首长签署了相互承认声明", "已有2位行政首长签署了相互承认声明")
            )
        return changed

    def another(lines: list[str]) -> list[str]:
        # The footnote's 该声明 is now a statement the reference data does not know.
        return [
            line.replace("已有17位行政首长签署了相互承认声明", "已有17位行政首长签署了采用声明")
            for line in lines
        ]

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = variant(tmp_path / "a", CEB_2019, edit), variant(tmp_path / "b", CEB_2019, another)
    store = OxigraphStore()
    [outcome] = ingest_files(store, ingest_settings(), first)
    assert outcome.status == "ingested", outcome.error
    assert signatories(store, "ceb-annual-overview-2019", "signatory") == ["imo", "upu"]
    [outcome] = ingest_files(store, ingest_settings(), second)
    assert outcome.status == "ingested", outcome.error
    assert signatories(store, "ceb-annual-overview-2019", "signatory") == []
    store.close()
