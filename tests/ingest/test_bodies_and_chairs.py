"""Issue 17, part A: the bodies the sources name, the parent links and the chairs they state.

Rules are read on sentences of the sources and on variants of them (names, titles and wording
changed), for what they must state and for what they must refuse.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from service.ingest.bodies import BodyIndex
from service.ingest.chairs import read_chairs
from service.ingest.members import read_members
from service.ingest.parents import read_parents
from service.stores import OxigraphStore
from tests.ingest.conftest import (
    CEB_2019,
    JIU,
    SG,
    WIPO,
    ingest_files,
    ingest_settings,
    rows,
    values,
    variant,
)

GRAPH = "https://w3id.org/unkg/graph/source/"
BODY = "https://w3id.org/unkg/id/body/"


def slugs(found: list[tuple[URIRef, ...]]) -> list[tuple[str, ...]]:
    return [tuple(str(term).removeprefix(BODY).rsplit("#", 1)[-1] for term in row) for row in found]


def chairs_in(text: str, bodies: BodyIndex) -> list[tuple[str, ...]]:
    return slugs([(found.body, *found.chairs) for found in read_chairs(text, bodies)])


def parents_in(
    text: str, bodies: BodyIndex, *, line_starts: frozenset[int] = frozenset()
) -> list[tuple[str, ...]]:
    found = read_parents(text, bodies.find(text), bodies, line_starts=line_starts)
    return slugs([(link.child, link.predicate, link.parent) for link in found])


def graph_of(source: Path) -> str:
    return GRAPH + source.name.removesuffix(".zh.txt").lower()


# Bodies ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("联合国发展集团", "undg"),  # CEB 2006/07, line 92
        ("发展集团", "undg"),
        ("全球采购网", "ungm"),  # CEB 2019, line 155
        ("联合国全球采购网", "ungm"),  # JIU, line 155
        ("监督厅", "oios"),  # JIU, line 1639
        ("大会和会议管理部", "dgacm"),  # CEB 2019, line 165
        ("农发基金", "ifad"),  # JIU, line 296
        ("联合国内罗毕办事处", "unon"),  # A/75/201, line 876
        ("第五委员会", "fifth-committee"),  # A/75/201, line 773
        ("世贸组织", "wto"),  # CEB 2006/07, line 118
        ("联合国国际贸易法委员会", "uncitral"),  # WO/PBC/38/2, line 408
        ("产权组织申诉委员会", "wipo-appeal-board"),  # WO/PBC/38/2, line 387
        ("禁化武组织", "opcw"),
        ("移民组织", "iom"),
        ("协调会", "ceb"),  # CEB 2006/07 calls CEB so throughout
        ("联合国开发计划署署长", "undp-administrator"),
        ("业务支助部副秘书长", "usg-dos"),
        ("工作地点差价调整数问题咨询委员会", "acpaq"),  # CEB 2019, line 201
        ("最不发达国家技术库", "technology-bank-for-ldcs"),  # CEB 2019, line 91
        ("两性平等问题和提高妇女地位特别顾问", "special-adviser-on-gender-issues"),  # CEB 2006/07, line 226
        # Round 2
        ("管理问题高级别委员会应有关照工作队", "hlcm-duty-of-care-task-force"),  # CEB 2019, line 161
        ("高级管理网", "senior-management-network"),  # CEB 2006/07, line 214
        (
            "联合国系统协调一致问题高级别小组",
            "high-level-panel-on-system-wide-coherence",
        ),  # CEB 2006/07, line 200
        ("管理问题高级别委员会数字和通信技术网", "hlcm-digital-and-technology-network"),  # JIU, line 1130
        (
            "医疗保健管理与职业安全和健康司",
            "dos-division-of-healthcare-management-and-occupational-safety-and-health",
        ),  # A/75/201, line 584
        ("人力资源管理厅", "ohrm"),  # A/75/201, line 422
        ("民航组织", "icao"),  # JIU, line 296
        ("联合国教育、科学与文化组织", "unesco"),  # CEB 2019, line 153
        ("世界粮食署", "wfp"),  # CEB 2019, line 153
    ],
)
def test_bodies_the_sources_name_are_in_the_reference_data(bodies: BodyIndex, name: str, body: str) -> None:
    assert bodies.lookup(name) == URIRef(BODY + body)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 发展集团 (UNDG) inside 可持续发展集团 (UNSDG) is UNSDG.
        (
            "联合国可持续发展集团(可持续发展集团)及其企业创新小组",
            ["unsdg", "unsdg", "unsdg-business-innovations-group"],
        ),
        # 大会 starts 联合国大会和会议管理部 but the longer name that overlaps it wins.
        ("联合国大会和会议管理部", ["dgacm"]),
        ("大会第五委员会", ["ga", "fifth-committee"]),
        # A post's name holds its department's: the post, not the department, is named.
        ("由管理战略、政策和合规部副秘书长主持", ["usg-dmspc"]),
        # 协调会议 is a coordination meeting; 行政首长协调会议程 is CEB's agenda.
        ("举行了机构间协调会议", []),
        ("行政首长协调会议程上的新问题", ["ceb"]),
        ("首协会议", ["ceb"]),
    ],
)
def test_a_name_is_matched_as_long_as_it_goes_and_not_inside_another(
    bodies: BodyIndex, text: str, expected: list[str]
) -> None:
    assert [str(m.body).removeprefix(BODY) for m in bodies.find(text)] == expected


def test_the_sources_mention_the_bodies_added_to_the_reference_data(five: OxigraphStore) -> None:
    found = rows(
        five,
        f"""SELECT ?g ?body WHERE {{ GRAPH ?g {{ ?d unkg:mentions ?b }}
        VALUES ?b {{ <{BODY}undg> <{BODY}wto> <{BODY}ifad> <{BODY}ungm> <{BODY}oios> <{BODY}dgacm>
                     <{BODY}unon> <{BODY}fifth-committee> <{BODY}uncitral> <{BODY}wipo-appeal-board> }}
        BIND(STRAFTER(STR(?b), "/body/") AS ?body) }} ORDER BY ?g ?body""",
    )
    by_source: dict[str, list[str]] = {}
    for row in found:
        by_source.setdefault(row["g"].removeprefix(GRAPH), []).append(row["body"])
    assert by_source == {
        "a-75-201-management-reform": ["fifth-committee", "unon"],
        "ceb-annual-overview-2006-2007": ["ifad", "undg", "wto"],
        "ceb-annual-overview-2019": ["dgacm", "ungm"],
        "jiu-2024-mutual-recognition": ["ifad", "oios", "ungm", "unon"],
        "wo-pbc-38-2-jiu-recommendations-progress": ["uncitral", "wipo-appeal-board"],
    }


# Chairs ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # CEB 2019, line 61.
        ("即作为首协会主席的秘书长以及有关组织的行政首长以各种努力为基础", [("ceb", "secretary-general")]),
        # CEB 2006/07, line 70: the chair in apposition, with a modifier.
        (
            "5. 行政首长协调会主席，新任的秘书长潘基文在就职时所阐述的各项优先事项",
            [("ceb", "secretary-general")],
        ),
        # CEB 2006/07, line 92: an organization, its acronym and a title name a post.
        (
            "13. 协调会对联合国发展集团（发展集团）主席联合国开发计划署（开发署）署长到目前为止所完成的工作",
            [("undg", "undp-administrator")],
        ),
        # A/75/201, lines 309-311: two co-chairs.
        (
            "成立了管理与客户委员会，由管理战略、政策和合规部副秘书长和业务支助部副秘书长共同主持。",
            [("management-client-board", "usg-dmspc", "usg-dos")],
        ),
        # Variants: other bodies, posts and wording.
        (
            "新的信通技术指导委员会由业务支助部副秘书长主持，目前为全球提供指导。",
            [("ict-steering-committee", "usg-dos")],
        ),
        ("作为联合国可持续发展集团主席的开发署署长", [("unsdg", "undp-administrator")]),
        ("首协会主席秘书长出席了会议", [("ceb", "secretary-general")]),
    ],
)
def test_a_chair_is_read_where_the_text_says_who_chairs_a_body(
    bodies: BodyIndex, text: str, expected: list[tuple[str, ...]]
) -> None:
    assert chairs_in(text, bodies) == expected


@pytest.mark.parametrize(
    "text",
    [
        "本报告重点介绍 2019 年在首协会主持下开展的主要活动。",  # under CEB's auspices (CEB 2019, line 30)
        "所有在业务创新小组主持下开展的效率举措",  # under BIG's auspices (JIU, line 547)
        "首协会工作队主席与主管人道主义事务副秘书长兼紧急救济协调员共同召开了联席会议",  # two conveners (line 123)
        "已经要求三个委员会的主席拟定一套安排草案",  # chairs not named (CEB 2006/07, line 274)
        "首协会第二届常会由秘书长主持。",  # the chair of a session, not of the body
        "管理与客户委员会由秘书长主持会议。",  # chairing a meeting
        "拟成立管理与客户委员会，由管理战略、政策和合规部副秘书长和业务支助部副秘书长共同主持。",  # proposed
        "管理与客户委员会将由业务支助部副秘书长主持。",  # future
        "首协会副主席秘书长",  # a vice-chair
        "首协会主席的秘书长办公室",  # something of the chair's, not the chair
        "首协会主席与秘书长举行了会谈",  # two people
        "管理与客户委员会由管理战略、政策和合规部副秘书长和业务支助部副秘书长轮流主持。",  # in turn: not said who
    ],
)
def test_no_chair_is_read_where_the_text_does_not_say_who_chairs_a_body(bodies: BodyIndex, text: str) -> None:
    assert chairs_in(text, bodies) == []


def test_the_chairs_the_sources_state_are_in_the_graph_with_their_lines(five: OxigraphStore) -> None:
    found = rows(
        five,
        """SELECT ?g ?body ?chair ?co ?start ?end WHERE { GRAPH ?g {
          ?b unkg:chairedBy ?c ; unkg:evidence ?e . ?e unkg:supports unkg:chairedBy ;
             unkg:lineStart ?start ; unkg:lineEnd ?end .
          BIND(EXISTS { ?b unkg:coChairedBy ?c } AS ?co) }
        BIND(STRAFTER(STR(?b), "/body/") AS ?body) BIND(STRAFTER(STR(?c), "/body/") AS ?chair) }
        ORDER BY ?g ?body ?chair""",
    )
    assert [
        (r["g"].removeprefix(GRAPH), r["body"], r["chair"], r["co"], r["start"], r["end"]) for r in found
    ] == [
        ("a-75-201-management-reform", "ict-steering-committee", "usg-dmspc", "true", "789", "791"),
        ("a-75-201-management-reform", "ict-steering-committee", "usg-dos", "true", "789", "791"),
        ("a-75-201-management-reform", "management-client-board", "usg-dmspc", "true", "309", "311"),
        ("a-75-201-management-reform", "management-client-board", "usg-dos", "true", "309", "311"),
        ("ceb-annual-overview-2006-2007", "ceb", "secretary-general", "false", "70", "70"),
        ("ceb-annual-overview-2006-2007", "undg", "undp-administrator", "false", "92", "92"),
        ("ceb-annual-overview-2019", "ceb", "secretary-general", "false", "61", "61"),
    ]


def test_a_variant_report_gets_the_chairs_its_own_text_states(tmp_path: Path) -> None:
    def edit(lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        # One chair instead of two, and the ICT committee only proposed.
        text = text.replace(
            "政策和合规部副秘书长和业务支助部副秘书长共同主持。委员会", "政策和合规部副秘书长主持。委员会"
        )
        text = text.replace("新的信通技术指导委员会", "拟议的信通技术指导委员会将")
        return text.split("\n")

    path = variant(tmp_path, SG, edit)
    store = OxigraphStore()
    [outcome] = ingest_files(store, ingest_settings(), path)
    assert outcome.status == "ingested", outcome.error
    found = rows(
        store,
        f"""SELECT ?body ?chair ?p WHERE {{ GRAPH <{graph_of(SG)}> {{ ?b ?p ?c }}
        VALUES ?p {{ unkg:chairedBy unkg:coChairedBy }}
        BIND(STRAFTER(STR(?b), "/body/") AS ?body) BIND(STRAFTER(STR(?c), "/body/") AS ?chair) }}""",
    )
    assert [(r["body"], r["chair"], r["p"].rsplit("#", 1)[-1]) for r in found] == [
        ("management-client-board", "usg-dmspc", "chairedBy")
    ]


def test_a_variant_overview_without_the_chair_states_none(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        CEB_2019,
        lambda lines: [line.replace("作为首协会主席的秘书长", "作为首协会成员的秘书长") for line in lines],
    )
    store = OxigraphStore()
    [outcome] = ingest_files(store, ingest_settings(), path)
    assert outcome.status == "ingested", outcome.error
    assert (
        values(store, f"SELECT ?c WHERE {{ GRAPH <{graph_of(CEB_2019)}> {{ ?b unkg:chairedBy ?c }} }}") == []
    )


# Parent links ------------------------------------------------------------------------------------

UNIT, SUB = "unitOf", "subOrganizationOf"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A/75/201, line 376 and 691: a unit right after its department or office.
        ("此外，设立的业务支助部特别活动司已经投入工作", [("dos-special-activities-division", UNIT, "dos")]),
        (
            "通过设立供应链管理厅军警能力支助司整合了职能",
            [("dos-uniformed-capabilities-support-division", UNIT, "dos-office-of-supply-chain-management")],
        ),
        # JIU, line 913: 'under'.
        (
            "2007 年该工作组正式成为管理问题高级别委员会下的采购网络。",
            [("hlcm-procurement-network", SUB, "hlcm")],
        ),
        # JIU, line 304: 'and its', with the parent's acronym in brackets.
        (
            "联合国可持续发展集团(可持续发展集团)及其企业创新小组。",
            [("unsdg-business-innovations-group", SUB, "unsdg")],
        ),
        # JIU, line 5: a committee right after its board and the board's acronym.
        ("联合国系统行政首长协调理事会(首协会)管理问题高级别委员会拟定了声明", [("hlcm", SUB, "ceb")]),
        ("大会第五委员会", [("fifth-committee", SUB, "ga")]),
        # A/75/201, line 584: a division the department has newly set up.
        (
            "将方案纳入业务支助部新设的医疗保健管理与职业安全和健康司，",
            [("dos-division-of-healthcare-management-and-occupational-safety-and-health", UNIT, "dos")],
        ),
        # Variants: the rule follows the text, not the reference data.
        ("管理战略、政策和合规部特别活动司", [("dos-special-activities-division", UNIT, "dmspc")]),
        ("特别活动司隶属于业务支助部。", [("dos-special-activities-division", UNIT, "dos")]),
        # JIU, footnote 10 (line 300): 'they are part of the Secretariat', which the sentence named.
        (
            "即粮农组织、近东救济工程处和联合国秘书处(包括联合国贸易和发展会议(贸发会议)和联合国毒品和犯罪问题办公室"
            "(毒品和犯罪问题办公室)，它们是秘书处的一部分)、妇女署。",
            [("unctad", SUB, "secretariat"), ("unodc", SUB, "secretariat")],
        ),
        (
            "管理战略、政策和合规部设有多个厅，人力资源厅是管理战略、政策和合规部的一部分。",
            [("dmspc-office-of-human-resources", UNIT, "dmspc")],
        ),
    ],
)
def test_a_parent_link_is_read_where_the_text_names_a_part_with_its_body(
    bodies: BodyIndex, text: str, expected: list[tuple[str, ...]]
) -> None:
    assert parents_in(text, bodies) == expected


@pytest.mark.parametrize(
    "text",
    [
        "开发署、人口基金和儿基会",  # named together
        "方案问题高级别委员会和管理问题高级别委员会",  # named together
        "管理问题高级别委员会及其他网络和特别活动司",  # 及其他: 'and other'
        "首协会及其附属机构",  # no body named as the part
        "业务支助部(2019)特别活动司",  # the bracket is no acronym of the department
        "业务支助部业务转型和问责司",  # the reference data puts this division in DMSPC
        "首协会联合国开发计划署",  # an organization is nobody's part
        "首协会秘书长",  # nor is a post
        "业务支助部的特别活动司",  # 的 alone says too little (业务支助部的报告)
        "业务支助部新设的工作地点和特别活动司",  # what it set up is not the division named
        "贸发会议是秘书处的一部分。",  # which secretariat: the sentence names none before
        "联合国秘书处(包括开发署和其他实体，它们是秘书处的一部分)",  # not only bodies listed
        "联合国秘书处和贸发会议不是秘书处的一部分",  # negated
        "联合国秘书处中，贸发会议将是秘书处的一部分。",  # future
    ],
)
def test_no_parent_link_is_read_from_bodies_merely_named_together(bodies: BodyIndex, text: str) -> None:
    assert parents_in(text, bodies) == []


def test_two_rows_of_a_table_are_no_parent_and_part(bodies: BodyIndex) -> None:
    # JIU, lines 244-245: '近东救济工程处\t联合国近东…工程处' and 'UNSDG\t联合国可持续发展集团'.
    text = "联合国近东巴勒斯坦难民救济和工程处UNSDG联合国可持续发展集团"
    assert parents_in(text, bodies, line_starts=frozenset({17})) == []
    assert parents_in("业务支助部特别活动司", bodies, line_starts=frozenset({5})) == []


def test_the_parent_links_a_source_states_are_in_its_graph_with_their_lines(five: OxigraphStore) -> None:
    found = rows(
        five,
        f"""SELECT ?child ?p ?parent ?start ?end WHERE {{ GRAPH <{graph_of(SG)}> {{
          ?c ?pred ?pa ; unkg:evidence ?e . ?e unkg:supports ?pred ; unkg:lineStart ?start ; unkg:lineEnd ?end }}
        VALUES ?pred {{ org:unitOf org:subOrganizationOf }}
        BIND(STRAFTER(STR(?c), "/body/") AS ?child) BIND(STRAFTER(STR(?pa), "/body/") AS ?parent)
        BIND(STRAFTER(STR(?pred), "#") AS ?p) }} ORDER BY ?child""",
    )
    assert [(r["child"], r["p"], r["parent"], r["start"], r["end"]) for r in found] == [
        ("dmspc-business-transformation-and-accountability-division", "unitOf", "dmspc", "232", "232"),
        ("dmspc-global-strategy-and-policy-division", "unitOf", "dmspc", "390", "390"),
        ("dmspc-office-of-human-resources", "unitOf", "dmspc", "476", "478"),
        ("dos-capacity-development-and-operational-training-service", "unitOf", "dos", "532", "532"),
        # Line 584: '业务支助部新设的医疗保健管理与职业安全和健康司' (issue 17, round 2).
        (
            "dos-division-of-healthcare-management-and-occupational-safety-and-health",
            "unitOf",
            "dos",
            "584",
            "586",
        ),
        ("dos-human-resources-services-division", "unitOf", "dos", "390", "392"),
        ("dos-special-activities-division", "unitOf", "dos", "376", "378"),
        (
            "dos-uniformed-capabilities-support-division",
            "unitOf",
            "dos-office-of-supply-chain-management",
            "691",
            "691",
        ),
        ("fifth-committee", "subOrganizationOf", "ga", "771", "771"),
    ]


def test_the_jiu_report_states_unctad_and_unodc_as_parts_of_the_secretariat(five: OxigraphStore) -> None:
    found = rows(
        five,
        f"""SELECT ?child ?start WHERE {{ GRAPH <{graph_of(JIU)}> {{ ?c org:subOrganizationOf id:body\\/secretariat ;
          unkg:evidence ?e . ?e unkg:supports org:subOrganizationOf ; unkg:lineStart ?start }}
        BIND(STRAFTER(STR(?c), "/body/") AS ?child) }} ORDER BY ?child""",
    )
    assert [(r["child"], r["start"]) for r in found] == [("unctad", "300"), ("unodc", "300")]


def test_a_body_of_wipo_is_stated_as_wipo_s_where_its_name_says_so(five: OxigraphStore) -> None:
    found = rows(
        five,
        f"""SELECT ?child ?parent WHERE {{ GRAPH <{graph_of(WIPO)}> {{ ?c org:subOrganizationOf|org:unitOf ?pa }}
        BIND(STRAFTER(STR(?c), "/body/") AS ?child) BIND(STRAFTER(STR(?pa), "/body/") AS ?parent) }} ORDER BY ?child""",
    )
    assert [(r["child"], r["parent"]) for r in found] == [
        ("hlcm-human-resources-network", "hlcm"),
        ("wipo-appeal-board", "wipo"),
        ("wipo-cws", "wipo"),
        ("wipo-hrmd", "wipo"),
        ("wipo-secretariat", "wipo"),  # 由产权组织秘书处采取行动 (line 33)
    ]


def test_every_post_that_chairs_is_a_body_of_kind_post(bodies: BodyIndex) -> None:
    for name in ("秘书长", "联合国开发计划署署长", "管理战略、政策和合规部副秘书长", "业务支助部副秘书长"):
        post = bodies.lookup(name)
        assert post is not None and bodies.kind(post) == "post", name


# Members ------------------------------------------------------------------------------------------


def members_in(text: str, bodies: BodyIndex) -> list[tuple[str, ...]]:
    return slugs([(found.group, *found.members) for found in read_members(text, bodies)])


ERP_SIG = "erp-special-interest-group"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # JIU, line 167: a unit named with its department is the unit, not the department.
        (
            "考虑到互操作性。数字和通信技术网络以及管理战略、政策和合规部企业资源规划解决方案司和开发署"
            "作为企业资源规划特别兴趣小组的成员，可发挥关键作用。",
            [(ERP_SIG, "hlcm-digital-and-technology-network", "dmspc-erp-solution-division", "undp")],
        ),
        # A variant: other members, the rule follows the text.
        ("人口基金和儿基会作为企业资源规划特别兴趣小组的成员，可发挥作用。", [(ERP_SIG, "unfpa", "unicef")]),
    ],
)
def test_members_are_read_where_the_text_lists_bodies_as_members_of_one(
    bodies: BodyIndex, text: str, expected: list[tuple[str, ...]]
) -> None:
    assert members_in(text, bodies) == expected


@pytest.mark.parametrize(
    "text",
    [
        # WO/PBC/38/2, line 775: heads of organizations, not bodies.
        "各组织行政首长作为联合国系统行政首长协调理事会（首协会）的成员，应请人力资源网审查。",
        # JIU, line 151: who should be members.
        "协调人应是相互承认同业交流群和(或)相互承认倡导者网络的成员。",
        # To be members, or a list with something else in it.
        "人口基金和儿基会将作为企业资源规划特别兴趣小组的成员。",
        "人口基金、一些国家工作队和儿基会作为企业资源规划特别兴趣小组的成员。",
        # A group the reference data does not know.
        "人口基金和儿基会作为某个新小组的成员。",
    ],
)
def test_no_member_is_read_where_the_text_does_not_say_bodies_are_members(
    bodies: BodyIndex, text: str
) -> None:
    assert members_in(text, bodies) == []


def test_the_jiu_report_states_the_members_of_the_erp_special_interest_group(five: OxigraphStore) -> None:
    found = rows(
        five,
        f"""SELECT ?member ?line WHERE {{ GRAPH <{graph_of(JIU)}> {{
        <{BODY}{ERP_SIG}> org:hasMember ?m ; unkg:evidence ?e . ?e unkg:supports org:hasMember ;
        unkg:lineStart ?line . ?m org:memberOf <{BODY}{ERP_SIG}> }}
        BIND(STRAFTER(STR(?m), "/body/") AS ?member) }} ORDER BY ?member""",
    )
    assert found == [
        {"member": "dmspc-erp-solution-division", "line": "167"},
        {"member": "hlcm-digital-and-technology-network", "line": "167"},
        {"member": "undp", "line": "167"},
    ]


def test_a_variant_report_gets_the_members_its_own_text_states_and_none_to_be(tmp_path: Path) -> None:
    def other(lines: list[str]) -> list[str]:
        return [line.replace("解决方案司和开发署作为", "解决方案司和人口基金作为") for line in lines]

    def future(lines: list[str]) -> list[str]:
        return [line.replace("解决方案司和开发署作为", "解决方案司和开发署将作为") for line in lines]

    query = f"""SELECT ?member WHERE {{ GRAPH <{graph_of(JIU)}> {{ <{BODY}{ERP_SIG}> org:hasMember ?m }}
        BIND(STRAFTER(STR(?m), "/body/") AS ?member) }} ORDER BY ?member"""
    expected = {
        other: ["dmspc-erp-solution-division", "hlcm-digital-and-technology-network", "unfpa"],
        future: [],
    }
    for edit, members in expected.items():
        folder = tmp_path / edit.__name__
        folder.mkdir()
        store = OxigraphStore()
        [outcome] = ingest_files(store, ingest_settings(), variant(folder, JIU, edit))
        assert outcome.status == "ingested", outcome.error
        assert values(store, query) == members
        store.close()
