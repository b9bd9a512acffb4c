"""Whom a recommendation's text calls on to act (issue 17): the subject of its 应, the body the
inspectors recommend do something, the bodies its addressee is to charge, ask or act through; and
never a body worked with, consulted, invoked as a framework, that "may" act, or named as an object.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from service.ingest.addressees import actors, role
from service.ingest.bodies import BodyIndex
from service.stores import OxigraphStore
from tests.ingest.conftest import JIU, ingest_files, ingest_settings, rows, values, variant


def slugs(found: list[object]) -> list[str]:
    return [str(body).rsplit("/", 1)[-1] for body in found]


@pytest.mark.parametrize(
    ("text", "addressed", "tasked"),
    [
        # JIU/REP/2024/4 recommendation 4
        (
            "秘书长应在 2026 年底前请驻地协调员发挥带头倡导作用，并根据管理问题高级别委员会网络准则，定期报告。",
            ["secretary-general"],
            ["resident-coordinators"],
        ),
        # recommendation 2: through CEB, charge the Community of Practice and the Champions Network
        (
            "联合国系统各组织行政首长应通过联合国系统行政首长协调理事会，在 2025 年底前，"
            "责成相互承认同业交流群和相互承认倡导者网络协调全系统范围内落实相互承认的努力。",
            [],
            ["ceb", "mutual-recognition-community-of-practice", "mutual-recognition-champions-network"],
        ),
        # informal recommendations: the body the inspectors recommend do something
        ("检查专员建议，采购网络应利用联合国全球采购网作为中心切入点。", ["hlcm-procurement-network"], []),
        ("他们还建议国际公务员制度委员会成立一个机构间人力资源工作队。", ["icsc"], []),
        ("检查专员建议联合国秘书处采用一项简化的差旅待遇政策。", ["secretariat"], []),
        ("检查专员建议，管理问题高级别委员会及其网络借鉴采购网络的做法，制定一个路线图。", ["hlcm"], []),
        ("检查专员建议，管理问题高级别委员会在发展协调办公室的工作的基础上，确定一个框架。", ["hlcm"], []),
        # a variant: other names, same shapes
        ("秘书长应立即请国际公务员制度委员会审议这一问题。", ["secretary-general"], ["icsc"]),
        ("方案和协调委员会应在 2027 年底前审查该报告。", ["cpc"], []),
        (
            "联合国系统各组织行政首长作为首协会的成员，应请管理问题高级别委员会人力资源网审议编外人员合同。",
            [],
            ["hlcm-human-resources-network"],
        ),
    ],
)
def test_the_bodies_a_text_calls_on_to_act(
    bodies: BodyIndex, text: str, addressed: list[str], tasked: list[str]
) -> None:
    found = actors(text, bodies)
    assert (slugs(found.addressed), slugs(found.tasked)) == (addressed, tasked)


@pytest.mark.parametrize(
    "text",
    [
        # worked with, not tasked
        "联合国系统各组织的理事机构应鼓励会员国与联合国国际贸易法委员会合作，开展探索和筹备工作。",
        "联合国系统各组织行政首长应协同首协会其他成员组织的行政首长采取行动。",
        # a framework or a membership invoked
        "联合国系统各组织的行政首长应在首协会的框架内开展合作。",
        "联合国系统各组织的行政首长作为首协会成员，应共同制定一个机制。",
        "联检组各参与组织的行政首长应以首协会成员的身份更新术语表。",
        # 'may' is not 'should'
        "数字和通信技术网络以及开发署作为企业资源规划特别兴趣小组的成员，可在推进这一议程方面发挥关键作用。",
        # a body named as an object or a possessor; a mention outside the recommending clause
        "检查专员建议联合国系统各组织借鉴采购网络的做法。",
        "检查专员认为，联合国人口基金采用的方法是一种良好做法，并建议尚未这样做的其他组织考虑效仿。",
        # a generic subject names no body; a channel that is no body
        "尚未签署《相互承认声明》的联合国系统各组织行政首长应在 2026 年底前签署。",
        "联合国系统各组织行政首长应立即通过联检组网络跟踪系统提供详细信息。",
        # a subject that is more than a body's name
        "检查专员建议管理问题高级别委员会秘书长办公室采取行动。",
        # no 应 at all: nothing is tasked
        "行政首长请管理问题高级别委员会审议这一问题。",
    ],
)
def test_bodies_that_are_not_called_on_to_act(bodies: BodyIndex, text: str) -> None:
    found = actors(text, bodies)
    assert (found.addressed, found.tasked) == ([], [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("联合国系统各组织的行政首长应确保在业务连续性规划中纳入战略和措施。", "executive"),
        (
            "从 2025 年开始，联合国系统各组织的立法机关和/或理事机构应确保监督计划涵盖所有要素。",
            "legislative",
        ),
        ("联合国系统各组织的立法机关和理事机构应要求各自行政首长每年报告。", "legislative"),
        ("为实现投资回报最大化，联合国系统各组织行政首长最迟应于 2026 年确保将方案纳入做法。", "executive"),
        ("联合国系统各组织的行政首长如尚未提供足够的资源，则应提供足够资源。", "executive"),
        # the head of the noun phrase decides: the heads who have not reported to their organs
        ("尚未向其立法机关报告的联合国系统各组织行政首长应在 2025 年底前报告。", "executive"),
        ("秘书长应在 2026 年底前请驻地协调员发挥带头倡导作用。", "secretary-general"),
        # no plain addressee: no role
        ("检查专员建议联合国系统各组织采纳七个关键因素。", None),
        ("应急计划的各组织应对风险。", None),
    ],
)
def test_the_role_of_a_generic_addressee(text: str, expected: str | None) -> None:
    assert role(text) == expected


def test_the_jiu_report_states_whom_its_recommendations_task(ingested: OxigraphStore) -> None:
    found = rows(
        ingested,
        """SELECT ?r ?p ?body WHERE {
          GRAPH <https://w3id.org/unkg/graph/source/jiu-2024-mutual-recognition> { ?rec ?p ?b }
          FILTER(?p IN (unkg:addressedTo, unkg:tasks))
          BIND(CONCAT(STRAFTER(STR(?rec), "/formal/"), STRAFTER(STR(?rec), "/informal/"),
               IF(CONTAINS(STR(?rec), "/informal/"), "i", "")) AS ?r)
          BIND(STRAFTER(STR(?b), "/body/") AS ?body) }""",
    )
    stated = {(row["r"], row["p"].rsplit("#", 1)[-1], row["body"]) for row in found}
    assert stated == {
        ("2", "tasks", "ceb"),
        ("2", "tasks", "mutual-recognition-community-of-practice"),
        ("2", "tasks", "mutual-recognition-champions-network"),
        ("4", "addressedTo", "secretary-general"),
        ("4", "tasks", "resident-coordinators"),
        ("9i", "addressedTo", "hlcm-procurement-network"),
        ("10i", "addressedTo", "icsc"),
        ("15i", "addressedTo", "secretariat"),
        ("17i", "addressedTo", "hlcm"),
        ("18i", "addressedTo", "hlcm"),
    }


def test_the_progress_report_states_the_role_each_quoted_text_names(ingested: OxigraphStore) -> None:
    """Every recommendation WIPO quotes names its addressee generically; the role agrees with the
    annex it is filed under, and the one body its texts task is the HLCM Human Resources Network."""
    disagree = values(
        ingested,
        """SELECT ?rec WHERE { ?a a unkg:StatusAssessment ; unkg:recommendation ?rec ; unkg:addresseeRole ?filed .
          ?rec unkg:addresseeRole ?stated . FILTER(?filed != ?stated) }""",
    )
    assert disagree == []
    with_role = values(
        ingested,
        """SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a unkg:StatusAssessment ; unkg:recommendation ?rec .
          ?rec unkg:addresseeRole ?role }""",
    )
    assert with_role == ["35"]
    tasked = values(
        ingested,
        """SELECT ?b WHERE { <https://w3id.org/unkg/id/recommendation/jiu-rep-2023-8/formal/7> unkg:tasks ?b }""",
    )
    assert tasked == ["https://w3id.org/unkg/id/body/hlcm-human-resources-network"]


def test_a_variant_report_follows_its_own_text(tmp_path: Path) -> None:
    """Recommendation 4 rewritten: the Secretary-General asks ICSC instead of resident coordinators,
    and informal recommendation 10 loses its second sentence: the graph follows the new text."""

    def edit(lines: list[str]) -> list[str]:
        out = []
        for line in lines:
            line = line.replace(
                "秘书长应在 2026 年底前请驻地协调员发挥", "秘书长应在 2026 年底前请国际公务员制度委员会发挥"
            )
            line = line.replace(
                "他们还建议国际公务员制度委员会成立", "他们还认为可以由国际公务员制度委员会成立"
            )
            out.append(line)
        return out

    store = OxigraphStore()
    [outcome] = ingest_files(store, ingest_settings(), variant(tmp_path, JIU, edit))
    assert outcome.status == "ingested", outcome.error
    found = rows(
        store,
        """SELECT ?rec ?p ?b WHERE { ?rec ?p ?b . FILTER(?p IN (unkg:addressedTo, unkg:tasks)) }""",
    )
    stated = {
        ("/".join(r["rec"].split("/")[-2:]), r["p"].rsplit("#")[-1], r["b"].rsplit("/")[-1]) for r in found
    }
    assert ("formal/4", "tasks", "icsc") in stated
    assert ("formal/4", "tasks", "resident-coordinators") not in stated
    assert not any(rec == "informal/10" for rec, _, _ in stated)
    store.close()
