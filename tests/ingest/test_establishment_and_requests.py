"""Issue 17 (B): who set up which body and when, what bodies became, what one body asked another to
do, and documents as what was acted on. Each test names the source line it reads; the variant tests
run the same rules on text the sources lack, with what they must refuse."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.stores import OxigraphStore
from tests.ingest.conftest import (
    CEB_2007,
    CEB_2019,
    JIU,
    SG,
    ingest_files,
    ingest_settings,
    rows,
    variant,
)

GRAPH = "https://w3id.org/unkg/graph/source/"


@pytest.fixture(scope="module")
def sources() -> Iterator[OxigraphStore]:
    store = OxigraphStore()
    outcomes = ingest_files(store, ingest_settings(), CEB_2019, CEB_2007, SG, JIU)
    assert [o.status for o in outcomes] == ["ingested"] * 4, [o.error for o in outcomes]
    yield store
    store.close()


def _graph(source: Path) -> str:
    return f"<{GRAPH}{source.name.removesuffix('.zh.txt').lower()}>"


def acts(store: OxigraphStore, source: Path, line: int) -> list[dict[str, str]]:
    """The acts the graph of `source` states from `line`: actor, type, date, session, objects, and
    for a request whom it asked (their heads or not) and what."""
    found = rows(
        store,
        f"""SELECT ?actor ?type ?date ?session ?role ?what
        (GROUP_CONCAT(DISTINCT STRAFTER(STR(?o), "/id/"); separator=" ") AS ?objects)
        (GROUP_CONCAT(DISTINCT STRAFTER(STR(?q), "/body/"); separator=" ") AS ?asked) WHERE {{
        GRAPH {_graph(source)} {{
          ?a a unkg:BodyAction ; unkg:actor ?b ; unkg:actionType ?t ; unkg:evidence/unkg:lineStart {line} .
          BIND(STRAFTER(STR(?b), "/body/") AS ?actor) BIND(STRAFTER(STR(?t), "action-type/") AS ?type)
          OPTIONAL {{ ?a dct:date ?date }} OPTIONAL {{ ?a unkg:atSession ?s . BIND(STRAFTER(STR(?s), "/id/") AS ?session) }}
          OPTIONAL {{ ?a unkg:addresseeRole ?r . BIND(STRAFTER(STR(?r), "addressee-role/") AS ?role) }}
          OPTIONAL {{ ?a unkg:requestedAction ?what }}
          OPTIONAL {{ ?a unkg:actionObject ?o }} OPTIONAL {{ ?a unkg:requestedOf ?q }} }} }}
        GROUP BY ?a ?actor ?type ?date ?session ?role ?what ORDER BY ?type ?actor ?objects ?date ?session""",
    )
    return [
        {**{key: value for key, value in row.items() if value}, **_listed(row, "objects", "asked")}
        for row in found
    ]


def _listed(row: dict[str, str], *keys: str) -> dict[str, str]:
    """The GROUP_CONCAT values of `keys` in a set order (an empty 'objects' kept)."""
    listed = {key: " ".join(sorted(row.get(key, "").split())) for key in keys}
    return {key: value for key, value in listed.items() if value or key == "objects"}


def founded(store: OxigraphStore, source: Path) -> dict[str, tuple[str, str]]:
    """Body → (when it was established, the line that says so), in the graph of `source`."""
    found = rows(
        store,
        f"""SELECT ?body ?when ?line WHERE {{ GRAPH {_graph(source)} {{ ?b unkg:established ?when ;
        unkg:evidence ?e . ?e unkg:supports unkg:established ; unkg:lineStart ?line .
        BIND(STRAFTER(STR(?b), "/body/") AS ?body) }} }}""",
    )
    return {row["body"]: (row["when"], row["line"]) for row in found}


def became(store: OxigraphStore, source: Path) -> list[dict[str, str]]:
    found = rows(
        store,
        f"""SELECT ?line ?date (GROUP_CONCAT(DISTINCT STRAFTER(STR(?o), "/body/"); separator=" ") AS ?from)
        (GROUP_CONCAT(DISTINCT STRAFTER(STR(?r), "/body/"); separator=" ") AS ?to) WHERE {{
        GRAPH {_graph(source)} {{ ?c a org:ChangeEvent ; org:originalOrganization ?o ; org:resultingOrganization ?r ;
        unkg:evidence/unkg:lineStart ?line OPTIONAL {{ ?c dct:date ?date }} }} }}
        GROUP BY ?line ?date ORDER BY ?line""",
    )
    return [{**row, **_listed(row, "from", "to")} for row in found]


def test_who_set_up_a_body_and_when_as_the_text_says(sources: OxigraphStore) -> None:
    # JIU line 535: 2023年4月，管理问题高级别委员会与业务创新小组一道创立了相互承认协调小组.
    together = {
        "type": "established",
        "date": "2023-04",
        "objects": "body/mutual-recognition-coordination-group",
    }
    assert acts(sources, JIU, 535) == [
        {"actor": "hlcm", **together},
        {"actor": "unsdg-business-innovations-group", **together},
    ]
    assert founded(sources, JIU) == {
        "mutual-recognition-coordination-group": ("2023-04", "535"),
        # Footnote 71 (line 923): 共同采购活动组于 1952 年 5 月在日内瓦成立.
        "common-procurement-activities-group": ("1952-05", "923"),
    }
    assert founded(sources, CEB_2019) == {
        # Line 115: …首协会处理性骚扰问题工作组…。该工作组成立于 2017 年 11 月.
        "ceb-task-force-on-sexual-harassment": ("2017-11", "115"),
        # Footnote 10 (line 133): “青年联合国：变革推动者”成立于 2016 年.
        "young-un": ("2016", "133"),
    }
    # Line 129: 管理问题高级别委员会决定…，并成立了关于联合国系统工作人员队伍未来的跨职能工作队 (no date).
    assert acts(sources, CEB_2019, 129) == [
        {"actor": "hlcm", "type": "decided", "objects": ""},
        {
            "actor": "hlcm",
            "type": "established",
            "objects": "body/hlcm-task-force-on-the-future-of-the-un-system-workforce",
        },
    ]


def test_the_new_departments_were_set_up_on_the_day_the_text_gives_in_the_change_the_ga_approved(
    sources: OxigraphStore,
) -> None:
    # A/75/201 lines 131-133: 大会第 72/266 B 号决议核准设立这一新的管理架构，两个新部门于 2019 年 1 月 1 日，
    # 即新管理办法生效之日设立.
    assert founded(sources, SG) == {"dmspc": ("2019-01-01", "131"), "dos": ("2019-01-01", "131")}
    found = rows(
        sources,
        """SELECT ?actor ?resolution ?new WHERE { ?a unkg:actor ?b ; unkg:actionObject ?c ; unkg:inResolution ?r .
        ?c a org:ChangeEvent ; org:resultingOrganization ?n . ?r unkg:symbol ?resolution
        BIND(STRAFTER(STR(?b), "/body/") AS ?actor) BIND(STRAFTER(STR(?n), "/body/") AS ?new) } ORDER BY ?new""",
    )
    assert found == [
        {"actor": "ga", "resolution": "A/RES/72/266 B", "new": "dmspc"},
        {"actor": "ga", "resolution": "A/RES/72/266 B", "new": "dos"},
    ]


def test_what_a_body_became_is_a_change(sources: OxigraphStore) -> None:
    # JIU line 83: 最初，相互承认协调小组发挥协调作用，但后来该小组转变为相互承认同业交流群和相互承认倡导者网络.
    # Line 559 (委员会决定将协调小组转变为一个同业交流群) names neither body in full: no second change.
    assert became(sources, JIU) == [
        {
            "line": "83",
            "from": "mutual-recognition-coordination-group",
            "to": "mutual-recognition-champions-network mutual-recognition-community-of-practice",
        }
    ]


@pytest.mark.parametrize(
    ("source", "line", "expected"),
    [
        # 行政首长协调会要求联合国评价小组立即确定实质性的参数和程序，来评价试验项目，并且要求就进展情况…
        (
            CEB_2007,
            98,
            {"actor": "ceb", "asked": "uneg", "what": "立即确定实质性的参数和程序，来评价试验项目"},
        ),
        # 协调会请求方案问题高级别委员会和管理问题高级别委员会及其相关网络积极参与…: their networks are asked
        # with them, not part of what they were asked to do.
        (
            CEB_2007,
            218,
            {
                "actor": "ceb",
                "asked": "hlcm hlcp",
                "what": "积极参与，与联合国毒品和关键问题办事处（禁毒办）进一步推动这个事项，以期行政首长协调会制定具体的提案",
            },
        ),
        # 秘书长代表行政首长协调会要求劳工组织和世贸组织总干事主导审查…: the SG, for CEB, asked both heads.
        (
            CEB_2007,
            260,
            {
                "actor": "secretary-general",
                "asked": "ilo wto",
                "role": "executive",
                "what": "主导审查行政首长协调会的职能，并且在行政首长协调会 2007 年 4 月会议上提出初步建议供其审议",
            },
        ),
        (
            CEB_2007,
            38,
            {
                "actor": "secretary-general",
                "asked": "ilo wto",
                "role": "executive",
                "what": "主导审查行政首长协调会的职能",
            },
        ),
        # 首协会在 2018 年责成联合国创新网络³ 领导开发创新工具包的进程…
        (
            CEB_2019,
            63,
            {
                "actor": "ceb",
                "date": "2018",
                "asked": "un-innovation-network",
                "what": "领导开发创新工具包的进程，为联合国系统各实体提供领先的做法和指导，帮助它们促进和推广创新",
            },
        ),
        # 方案问题高级别委员会在 2019 年 10 月的会议上…。委员会认识到…，因此请联合国系统首席统计师委员会…:
        # 委员会 is HLCP, the only committee the paragraph names before; the date is of another sentence.
        (
            CEB_2019,
            79,
            {
                "actor": "hlcp",
                "asked": "committee-of-chief-statisticians",
                "what": "与方案问题高级别委员会感兴趣的成员合作，编写一份联合国数据和统计现代化路线图草案，供第三十九届会议审议",
            },
        ),
    ],
)
def test_a_request_of_one_body_to_another_names_both_and_what_was_asked(
    sources: OxigraphStore, source: Path, line: int, expected: dict[str, str]
) -> None:
    assert [a for a in acts(sources, source, line) if a["type"] == "requested"] == [
        {"type": "requested", "objects": "", **expected}
    ]


@pytest.mark.parametrize(
    ("line", "why"),
    [
        (170, "协调会要求对行政首长协调会的讨论展开…: no body asked"),
        (186, "并且要求委员会进一步努力: 委员会 names no body the paragraph names before"),
        (274, "已经要求管理问题高级别委员会负责…: asked by no one named"),
    ],
)
def test_a_request_without_a_named_asker_or_body_asked_is_not_stated(
    sources: OxigraphStore, line: int, why: str
) -> None:
    assert [a for a in acts(sources, CEB_2007, line) if a["type"] == "requested"] == [], why


def test_a_resolution_inviting_is_no_request(sources: OxigraphStore) -> None:
    # CEB 2019 line 47: …第 73/17 号决议第 6 段的回应，其中邀请秘书长提请首协注意…: invites, not requests.
    assert [a for a in acts(sources, CEB_2019, 47) if a["type"] == "requested"] == []


def test_the_committee_deciding_at_its_own_session_is_dated_by_it(sources: OxigraphStore) -> None:
    # JIU line 559: 然而，在2024年4月于内罗毕举行的管理问题高级别委员会第四十七届会议上，委员会决定将协调小组
    # 转变为一个同业交流群，并决定组建一个…相互承认倡导者网络 (a decision to form it: nothing set up here).
    assert acts(sources, JIU, 559) == [
        {"actor": "hlcm", "type": "decided", "objects": ""},
        {"actor": "hlcm", "type": "decided", "date": "2024-04", "session": "session/hlcm/47", "objects": ""},
    ]


def test_documents_acted_on_are_the_objects(sources: OxigraphStore) -> None:
    # CEB 2019 line 49: 方案问题高级别委员会在 2019 年 4 月第三十七届会议上核准了三个相互关联的产品，随后首协会在
    # 2019 年第一届常会上核可了这些产品：(a) …(见 CEB/2019/1/Add.2)…(b)…(见 CEB/2019/1/Add.3)…(c)…Add.4.
    products = "document/ceb-2019-1-add2 document/ceb-2019-1-add3 document/ceb-2019-1-add4"
    assert acts(sources, CEB_2019, 49) == [
        {
            "actor": "hlcp",
            "type": "approved",
            "date": "2019-04",
            "session": "session/hlcp/37",
            "objects": products,
        },
        {
            "actor": "ceb",
            "type": "endorsed",
            "date": "2019",
            "session": "session/ceb/2019-1",
            "objects": products,
        },
    ]
    # A/75/201 line 173: 经大会第 72/262 B 号决议核可的行政和预算问题咨询委员会提出的建议…(见 A/72/7/Add.49，
    # 第 26 段): the recommendations of that report, not ACABQ.
    assert acts(sources, SG, 173) == [{"actor": "ga", "type": "endorsed", "objects": "document/a-72-7-add49"}]
    # CEB 2019 line 29: 核可…委员会关于…报告(E/2019/10)的结论和建议: CPC's conclusions, not E/2019/10.
    assert acts(sources, CEB_2019, 29) == [{"actor": "ga", "type": "endorsed", "objects": ""}]


def test_agreed_is_read_and_a_noun_committee_stands_for_the_one_body_named_before(
    sources: OxigraphStore,
) -> None:
    # CEB 2006/07 line 234: 行政首长协调会同意，成果管理是…。协调会决定扩大对这个问题的分析…
    assert acts(sources, CEB_2007, 234) == [
        {"actor": "ceb", "type": "agreed", "objects": ""},
        {"actor": "ceb", "type": "decided", "objects": ""},
    ]
    # CEB 2006/07 line 138: 协调会决定考虑设立分组: a decision to consider, nothing set up.
    assert acts(sources, CEB_2007, 138) == [{"actor": "ceb", "type": "decided", "objects": ""}]
    # CEB 2019 line 159: 管理问题高级别委员会在 2018 年 10 月第三十六届会议上核准了跨职能风险管理工作队的职权范围
    # (the terms of reference, not the task force)…委员会在 2019 年 4 月的会议上核可了该模型 (委员会: HLCM).
    assert acts(sources, CEB_2019, 159) == [
        {"actor": "hlcm", "type": "approved", "date": "2018-10", "session": "session/hlcm/36", "objects": ""},
        {"actor": "hlcm", "type": "endorsed", "date": "2019-04", "objects": ""},
    ]


ADDED = [
    "90. 2008 年 5 月，管理问题高级别委员会与方案问题高级别委员会一道创立了财务和预算网络。",
    "91. 行政首长协调会决定考虑设立联合国评价小组。",
    "92. 行政首长协调会同意关于设立联合国创新网络的建议。",
    "93. 联合国评价小组将于 2010 年成立。",
    "94. 行政首长协调会要求联合国评价小组编写一份关于评价的报告。",
    "95. 行政首长协调会邀请联合国评价小组出席会议，管理问题高级别委员会申请联合国创新网络的支持。",
    "96. 秘书长认为，应要求联合国评价小组提出建议。",
    "97. 行政首长协调会将要求联合国创新网络提出建议。",
    "98. 行政首长协调会在 2008 年责成联合国创新网络制定工具包。",
    "99. 行政首长协调会要求联合国评价小组的成员提出意见。",
    "100. 秘书长代表行政首长协调会要求国际劳工组织和世界贸易组织总干事审查协调会的职能。",
    "101. 管理问题高级别委员会在 2008 年 3 月第15届会议上核准了该计划，随后行政首长协调会核可了该计划。",
    "102. 行政首长协调会核可了 CEB/2008/1，并核可了关于 CEB/2008/2 的结论。",
    "103. 经行政首长协调会同意，工作组开始工作。",
    "104. 联合国创新网络曾协助这项工作。该网络成立于 2009 年 2 月，总部设在纽约。",
    "105. 行政首长协调会决定将联合国评价小组转变为联合国创新网络。",
    "106. 最初，联合国评价小组负责评价，后来该小组转变为联合国系统首席统计师委员会。",
    "107. 在 2026 年底前，行政首长协调会核可了该战略。",
    "108. 大会第 80/1 号决议邀请联合国评价小组提出报告。",
    "109. 大会第 80/2 号决议请联合国评价小组提出报告。",
    "110. 然而，在 2008 年 6 月举行的方案问题高级别委员会第16届会议上，委员会决定设立财务和预算网络。",
    "111. 管理问题高级别委员会在第二十届会议上要求财务和预算网络编写报告。",
    "112. 管理问题高级别委员会于 2009 年 4 月成立的工作队提交了报告。",
    "113. 联合国评价小组并入联合国创新网络。",
]


@pytest.fixture(scope="module")
def ceb_variant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[OxigraphStore, Path]]:
    def add(lines: list[str]) -> list[str]:
        at = lines.index("五. 审查联合国系统行政首长协调理事会的职能")
        return lines[:at] + [text for line in ADDED for text in (line, "")] + lines[at:]

    store = OxigraphStore()
    path = variant(tmp_path_factory.mktemp("ceb"), CEB_2007, add)
    [outcome] = ingest_files(store, ingest_settings(), path)
    assert outcome.status == "ingested", outcome.error
    yield store, path
    store.close()


def test_the_rules_on_a_variant_ceb_report(ceb_variant: tuple[OxigraphStore, Path]) -> None:
    store, path = ceb_variant
    lines = path.read_text(encoding="utf-8").split("\n")
    found = {
        text.split(".")[0]: acts(store, path, n) for n, text in enumerate(lines, start=1) if text in ADDED
    }
    network = "body/hlcm-finance-and-budget-network"
    assert found == {
        "90": [
            {"actor": "hlcm", "type": "established", "date": "2008-05", "objects": network},
            {"actor": "hlcp", "type": "established", "date": "2008-05", "objects": network},
        ],
        "91": [{"actor": "ceb", "type": "decided", "objects": ""}],  # to consider setting up: no act of it
        "92": [{"actor": "ceb", "type": "agreed", "objects": ""}],  # agreed to a proposal to set up
        "93": [],
        "94": [
            {
                "actor": "ceb",
                "type": "requested",
                "asked": "uneg",
                "what": "编写一份关于评价的报告",
                "objects": "",
            }
        ],
        "95": [],  # 邀请, 申请: no request
        "96": [],  # a view, and 应
        "97": [],  # 将: to come
        "98": [
            {
                "actor": "ceb",
                "type": "requested",
                "date": "2008",
                "asked": "un-innovation-network",
                "what": "制定工具包",
                "objects": "",
            }
        ],
        "99": [],  # the members of a body were asked, not the body
        "100": [
            {
                "actor": "secretary-general",
                "type": "requested",
                "asked": "ilo wto",
                "role": "executive",
                "what": "审查协调会的职能",
                "objects": "",
            }
        ],
        "101": [
            {
                "actor": "hlcm",
                "type": "approved",
                "date": "2008-03",
                "session": "session/hlcm/15",
                "objects": "",
            },
            {"actor": "ceb", "type": "endorsed", "objects": ""},
        ],
        # Two acts: a document endorsed, then the conclusions about another (that document is no object).
        "102": [
            {"actor": "ceb", "type": "endorsed", "objects": ""},
            {"actor": "ceb", "type": "endorsed", "objects": "document/ceb-2008-1"},
        ],
        "103": [],  # 经…同意: consent, a noun
        "104": [],
        "105": [{"actor": "ceb", "type": "decided", "objects": ""}],
        "106": [],
        "107": [{"actor": "ceb", "type": "endorsed", "objects": ""}],  # 'by the end of 2026' dates no act
        "108": [],  # 邀请: invites
        "109": [{"actor": "ga", "type": "requested", "asked": "uneg", "what": "提出报告", "objects": ""}],
        # 委员会: the committee whose session the clause before names, which dates the decision.
        "110": [
            {
                "actor": "hlcp",
                "type": "decided",
                "date": "2008-06",
                "session": "session/hlcp/16",
                "objects": "",
            }
        ],
        "111": [
            {
                "actor": "hlcm",
                "type": "requested",
                "session": "session/hlcm/20",
                "asked": "hlcm-finance-and-budget-network",
                "what": "编写报告",
                "objects": "",
            }
        ],
        "112": [],  # set up by HLCM in April 2009: the task force, not HLCM
        "113": [],
    }
    number = {text.split(".")[0]: n for n, text in enumerate(lines, start=1) if text in ADDED}
    assert founded(store, path) == {
        "hlcm-finance-and-budget-network": ("2008-05", str(number["90"])),
        "un-innovation-network": ("2009-02", str(number["104"])),
    }
    assert became(store, path) == [
        {"line": str(number["106"]), "from": "uneg", "to": "committee-of-chief-statisticians"}
    ]


def test_a_variant_jiu_report_is_read_for_who_set_up_what_alone(tmp_path: Path) -> None:
    def edit(lines: list[str]) -> list[str]:
        changed = []
        for line in lines:
            line = line.replace(
                "2023年4月，管理问题高级别委员会与业务创新小组一道创立了",
                "2022年9月，方案问题高级别委员会创立了",
            )
            line = line.replace(
                "共同采购活动组于 1952 年 5 月在日内瓦成立", "共同采购活动组拟于 1952 年 5 月在日内瓦成立"
            )
            line = line.replace("但后来该小组转变为", "但后来该小组将转变为")
            changed.append(line)
        return changed

    store = OxigraphStore()
    path = variant(tmp_path, JIU, edit)
    [outcome] = ingest_files(store, ingest_settings(), path)
    assert outcome.status == "ingested", outcome.error
    assert acts(store, path, 535) == [
        {
            "actor": "hlcp",
            "type": "established",
            "date": "2022-09",
            "objects": "body/mutual-recognition-coordination-group",
        }
    ]
    assert founded(store, path) == {"mutual-recognition-coordination-group": ("2022-09", "535")}
    assert became(store, path) == []
