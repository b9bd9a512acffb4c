"""Generate seeded, realistic UN-like data that conforms to the unkg shapes, as N-Quads.

Bodies and networks go to the reference graph; each synthetic JIU report and each progress report
of an organization goes to a graph of its own, with recommendations, addressees, status assessments
over several years and evidence, in the proportions of the real sources.

    python bench/generate.py --triples 1000000 --seed 42 --output bench/data/un-1000000.nq
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from pathlib import Path

BASE = "https://w3id.org/unkg/"
ID = BASE + "id/"
U = "https://w3id.org/unkg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
CITO = "http://purl.org/spar/cito/"
FOAF = "http://xmlns.com/foaf/0.1/"
XSD = "http://www.w3.org/2001/XMLSchema#"

ORGANIZATIONS = [
    ("un", "United Nations", "联合国"),
    ("unaids", "UNAIDS", "艾滋病署"),
    ("unctad", "UNCTAD", "贸发会议"),
    ("itc", "ITC", "国贸中心"),
    ("undp", "UNDP", "开发署"),
    ("unep", "UNEP", "环境署"),
    ("unfpa", "UNFPA", "人口基金"),
    ("un-habitat", "UN-Habitat", "人居署"),
    ("unhcr", "UNHCR", "难民署"),
    ("unicef", "UNICEF", "儿基会"),
    ("unodc", "UNODC", "毒品和犯罪问题办公室"),
    ("unops", "UNOPS", "项目署"),
    ("unrwa", "UNRWA", "近东救济工程处"),
    ("un-women", "UN-Women", "妇女署"),
    ("wfp", "WFP", "粮食署"),
    ("fao", "FAO", "粮农组织"),
    ("iaea", "IAEA", "原子能机构"),
    ("icao", "ICAO", "国际民航组织"),
    ("ilo", "ILO", "劳工组织"),
    ("imo", "IMO", "海事组织"),
    ("itu", "ITU", "国际电联"),
    ("unesco", "UNESCO", "教科文组织"),
    ("unido", "UNIDO", "工发组织"),
    ("un-tourism", "UN Tourism", "联合国世旅组织"),
    ("upu", "UPU", "万国邮联"),
    ("who", "WHO", "世卫组织"),
    ("wipo", "WIPO", "知识产权组织"),
    ("wmo", "WMO", "气象组织"),
]
NETWORK_TOPICS = [
    ("procurement", "Procurement", "采购"),
    ("human-resources", "Human Resources", "人力资源"),
    ("finance-and-budget", "Finance and Budget", "财务和预算"),
    ("digital-and-technology", "Digital and Technology", "数字和技术"),
    ("legal", "Legal", "法律"),
    ("security", "Security Management", "安保管理"),
    ("evaluation", "Evaluation", "评价"),
]
TOPICS_ZH = [
    "相互承认",
    "预算编制",
    "弹性工作安排",
    "问责制框架",
    "精神卫生和健康",
    "企业风险管理",
    "业务连续性",
    "数据治理",
    "差旅安排",
    "征聘政策",
    "战略规划",
    "共同房地",
    "采购合作",
    "信通技术安全",
    "评价职能",
    "监督制度",
]
TOPICS_EN = [
    "mutual recognition",
    "budgeting",
    "flexible working arrangements",
    "accountability frameworks",
    "mental health and well-being",
    "enterprise risk management",
    "business continuity",
    "data governance",
    "travel arrangements",
    "recruitment policies",
    "strategic planning",
    "common premises",
    "procurement cooperation",
    "ICT security",
    "evaluation functions",
    "oversight systems",
]
OFFICIALS = [
    "计划编制、预算和风险管理司司长兼助理财务主任",
    "人力资源管理部主任",
    "采购和差旅司司长",
    "信息和数字服务部主任",
    "内部监督司司长",
    "法律顾问",
    "行政、财务和管理部门助理总干事",
]
ACCEPTANCE = ["accepted"] * 6 + ["under-consideration"] * 2 + ["not-accepted", "not-relevant"]
IMPLEMENTATION = ["implemented", "in-progress", "not-started"]
IMPACTS = "abcdefghi"
AREAS = ["procurement", "finance", "human-resources", "ict", "logistics", "administration"]


def iri(value: str) -> str:
    return f"<{value}>"


def text(value: str, language: str | None = None) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"@{language}' if language else f'"{escaped}"'


def typed(value: object, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


class Writer:
    """Writes quads and counts them."""

    def __init__(self, out: object) -> None:
        self.out = out
        self.count = 0

    def quads(
        self, graph: str, subject: str, pairs: Iterator[tuple[str, str]] | list[tuple[str, str]]
    ) -> None:
        lines = [f"{iri(subject)} {iri(p)} {o} {iri(graph)} .\n" for p, o in pairs]
        self.out.write("".join(lines))  # type: ignore[attr-defined]
        self.count += len(lines)


def body(
    writer: Writer,
    node: str,
    names: tuple[str, str],
    acronyms: tuple[str, ...],
    kind: str,
    links: list[tuple[str, str]],
) -> None:
    """One body of the reference graph: names (en, zh), acronyms (en[, zh]), kind and links."""
    pairs = [
        (RDF_TYPE, iri(ORG + "Organization")),
        (SKOS + "prefLabel", text(names[0], "en")),
        (SKOS + "prefLabel", text(names[1], "zh")),
        (U + "bodyKind", iri(ID + "body-kind/" + kind)),
    ]
    pairs += [
        (U + "acronym", text(acronym, language))
        for acronym, language in zip(acronyms, ("en", "zh"), strict=False)
    ]
    writer.quads(BASE + "graph/reference", node, pairs + links)


def reference(writer: Writer) -> list[str]:
    """Bodies and networks; returns the organization IRIs."""
    ceb, hlcm, jiu = ID + "body/ceb", ID + "body/hlcm", ID + "body/jiu"
    body(
        writer,
        ceb,
        ("United Nations System Chief Executives Board for Coordination", "联合国系统行政首长协调理事会"),
        ("CEB", "首协会"),
        "coordination-board",
        [],
    )
    body(
        writer,
        hlcm,
        ("High-level Committee on Management", "管理问题高级别委员会"),
        ("HLCM",),
        "high-level-committee",
        [(ORG + "subOrganizationOf", iri(ceb))],
    )
    body(writer, jiu, ("Joint Inspection Unit", "联合检查组"), ("JIU",), "oversight-body", [])
    organizations = [ID + f"body/{slug}" for slug, _, _ in ORGANIZATIONS]
    for node, (_, acronym, name_zh) in zip(organizations, ORGANIZATIONS, strict=True):
        body(
            writer,
            node,
            (acronym + " (organization)", name_zh),
            (acronym, name_zh),
            "organization",
            [(ORG + "memberOf", iri(ceb))],
        )
    for slug, name_en, name_zh in NETWORK_TOPICS:
        members = organizations[: 8 + len(slug) % 12]
        body(
            writer,
            ID + f"body/hlcm-{slug}-network",
            (f"HLCM {name_en} Network", f"管理问题高级别委员会{name_zh}网络"),
            (),
            "network",
            [(ORG + "subOrganizationOf", iri(hlcm))] + [(ORG + "hasMember", iri(m)) for m in members],
        )
    return organizations


def source_text(writer: Writer, rng: random.Random, graph: str, source: str, report: str) -> None:
    """The SourceText a synthetic document was read from."""
    pairs = [
        (RDF_TYPE, iri(U + "SourceText")),
        (U + "textOf", iri(report)),
        (U + "sha256", text(f"{rng.getrandbits(256):064x}")),
        (DCT + "language", text("zh")),
    ]
    writer.quads(graph, source, pairs)


def resolutions(writer: Writer, rng: random.Random, count: int) -> list[str]:
    graph = BASE + "graph/reference"
    found = []
    for index in range(count):
        session, number = 60 + index % 20, 100 + index
        symbol = f"A/RES/{session}/{number}"
        node = ID + f"document/a-res-{session}-{number}"
        found.append(node)
        writer.quads(
            graph,
            node,
            [
                (RDF_TYPE, iri(U + "Resolution")),
                (U + "symbol", text(symbol)),
                (U + "documentType", iri(ID + "document-type/ga-resolution")),
                (DCT + "date", typed(f"{1945 + session}-12-{rng.randint(10, 28)}", "date")),
                (FOAF + "page", iri(f"https://undocs.org/{symbol}")),
            ],
        )
    return found


def jiu_report(
    writer: Writer, rng: random.Random, year: int, number: int, organizations: list[str], cited: list[str]
) -> list[tuple[str, list[str]]]:
    """One JIU report with its recommendations; returns (recommendation, addressed organizations)."""
    slug = f"jiu-rep-{year}-{number}"
    report = ID + f"document/{slug}"
    graph = BASE + f"graph/source/{slug}"
    source = ID + f"source/{slug}"
    topic = rng.randrange(len(TOPICS_ZH))
    writer.quads(
        graph,
        report,
        [
            (RDF_TYPE, iri(U + "Report")),
            (U + "symbol", text(f"JIU/REP/{year}/{number}")),
            (U + "documentType", iri(ID + "document-type/jiu-report")),
            (DCT + "title", text(f"审查联合国系统{TOPICS_ZH[topic]}（{year}/{number}）", "zh")),
            (
                DCT + "title",
                text(f"Review of {TOPICS_EN[topic]} in the United Nations system ({year}/{number})", "en"),
            ),
            (DCT + "date", typed(f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "date")),
            (U + "issuedBy", iri(ID + "body/jiu")),
            (U + "programmeYear", typed(year - 1, "gYear")),
            (PROV + "wasDerivedFrom", iri(source)),
        ]
        + [(CITO + "cites", iri(resolution)) for resolution in rng.sample(cited, 3)]
        + [(U + "forActionBy", iri(org)) for org in organizations],
    )
    source_text(writer, rng, graph, source, report)
    recommendations = []
    for kind, total in (("formal", rng.randint(4, 9)), ("informal", rng.randint(8, 20))):
        for n in range(1, total + 1):
            rec = ID + f"recommendation/{slug}/{kind}/{n}"
            evidence = ID + f"evidence/{slug}/{kind}/{n}"
            pairs = [
                (
                    RDF_TYPE,
                    iri(U + ("FormalRecommendation" if kind == "formal" else "InformalRecommendation")),
                ),
                (U + "inReport", iri(report)),
                (U + "recommendationNumber", typed(n, "integer")),
                (
                    U + "text",
                    text(
                        f"各组织行政首长应在 {year + 2} 年底前加强{TOPICS_ZH[topic]}方面的工作（建议 {n}）。",
                        "zh",
                    ),
                ),
                (U + "functionalArea", iri(ID + "functional-area/" + rng.choice(AREAS))),
                (U + "evidence", iri(evidence)),
                (PROV + "wasDerivedFrom", iri(source)),
            ]
            addressed: list[str] = []
            if kind == "formal":
                role = "legislative" if rng.random() < 0.3 else "executive"
                addressed = rng.sample(organizations, rng.randint(3, len(organizations)))
                pairs += [
                    (U + "addresseeRole", iri(ID + f"addressee-role/{role}")),
                    (U + "deadline", typed(year + rng.randint(1, 3), "gYear")),
                    (U + "expectedImpact", iri(ID + "expected-impact/" + rng.choice(IMPACTS))),
                ]
                for org in addressed:
                    addressing = ID + f"addressing/{slug}/{n}/{org.rsplit('/', 1)[-1]}"
                    pairs.append((U + "addressing", iri(addressing)))
                    writer.quads(
                        graph,
                        addressing,
                        [
                            (RDF_TYPE, iri(U + "Addressing")),
                            (U + "organization", iri(org)),
                            (U + "addresseeRole", iri(ID + f"addressee-role/{role}")),
                        ],
                    )
            else:
                pairs.append((U + "citedParagraph", text(str(rng.randint(10, 230)))))
            writer.quads(graph, rec, pairs)
            line = rng.randint(100, 1700)
            writer.quads(
                graph,
                evidence,
                [
                    (RDF_TYPE, iri(U + "Evidence")),
                    (PROV + "wasQuotedFrom", iri(source)),
                    (U + "lineStart", typed(line, "integer")),
                    (U + "lineEnd", typed(line + rng.randint(0, 6), "integer")),
                    (U + "quote", text(f"建议 {n}", "zh")),
                    (U + "supports", iri(U + "recommendationNumber")),
                    (U + "supports", iri(U + "text")),
                ],
            )
            if kind == "formal":
                recommendations.append((rec, addressed))
    return recommendations


def progress_report(
    writer: Writer, rng: random.Random, organization: str, year: int, open_recommendations: list[str]
) -> None:
    """An organization's progress report on JIU recommendations, with one assessment per recommendation."""
    org_slug = organization.rsplit("/", 1)[-1]
    slug = f"{org_slug}-jiu-progress-{year}"
    report = ID + f"document/{slug}"
    graph = BASE + f"graph/source/{slug}"
    source = ID + f"source/{slug}"
    as_of = f"{year}-02-28"
    writer.quads(
        graph,
        report,
        [
            (RDF_TYPE, iri(U + "Report")),
            (U + "symbol", text(f"{org_slug.upper().replace('-', '')}/PBC/{year - 1987}/2")),
            (U + "documentType", iri(ID + "document-type/jiu-progress-report")),
            (DCT + "title", text("联合检查组（联检组）建议的落实进展报告", "zh")),
            (DCT + "date", typed(f"{year}-03-31", "date")),
            (U + "issuedBy", iri(organization)),
        ],
    )
    source_text(writer, rng, graph, source, report)
    for index, rec in enumerate(open_recommendations):
        assessment = ID + f"assessment/{slug}/{index}"
        acceptance = rng.choice(ACCEPTANCE)
        pairs = [
            (RDF_TYPE, iri(U + "StatusAssessment")),
            (U + "recommendation", iri(rec)),
            (U + "organization", iri(organization)),
            (U + "asOf", typed(as_of, "date")),
            (U + "reportedIn", iri(report)),
            (U + "acceptance", iri(ID + f"acceptance-status/{acceptance}")),
            (U + "responsibleOfficial", text(rng.choice(OFFICIALS), "zh")),
            (U + "managementComment", text(f"截至 {year} 年 2 月，正在按计划推进该项建议的落实工作。", "zh")),
            (PROV + "wasDerivedFrom", iri(source)),
        ]
        if acceptance == "accepted" and rng.random() < 0.9:
            pairs.append(
                (U + "implementation", iri(ID + "implementation-status/" + rng.choice(IMPLEMENTATION)))
            )
        writer.quads(graph, assessment, pairs)


def generate(out: object, *, triples: int, seed: int) -> int:
    """Write at least `triples` quads of realistic data to `out`; return how many were written."""
    rng = random.Random(seed)
    writer = Writer(out)
    organizations = reference(writer)
    cited = resolutions(writer, rng, 400)
    year, number = 2000, 1
    addressed_to: dict[str, list[str]] = {org: [] for org in organizations}
    while writer.count < triples:
        for rec, orgs in jiu_report(writer, rng, year, number, organizations, cited):
            for org in orgs:
                addressed_to[org].append(rec)
        number += 1
        if number > 10:
            # A year ends: every organization reports on what is addressed to it.
            for org in organizations:
                if writer.count >= triples:
                    break
                progress_report(writer, rng, org, year + 1, addressed_to[org][-300:])
            year, number = year + 1, 1
    return writer.count


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    if args.output is None:
        count = generate(sys.stdout, triples=args.triples, seed=args.seed)
    else:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        with args.output.open("w", encoding="utf-8") as out:
            count = generate(out, triples=args.triples, seed=args.seed)
    print(f"wrote {count:,} quads", file=sys.stderr)  # noqa: T201


if __name__ == "__main__":
    main()
