"""Examples for the OpenAPI description of the JSON API, taken from the bundled sources' answers."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]

# Answers of the bundled sources, cut to two items per list and 90 characters per text.
DOCUMENT_EXAMPLE: Json = {
    "iri": "https://w3id.org/unkg/id/document/jiu-rep-2024-4",
    "id": "jiu-rep-2024-4",
    "symbol": "JIU/REP/2024/4",
    "type": "jiu_report",
    "title": {"zh": "审查联合国系统内相互承认原则的执行情况"},
    "date": "2024",
    "issuer": {"id": "jiu", "iri": "https://w3id.org/unkg/id/body/jiu", "label": "Joint Inspection Unit"},
    "submittedTo": [],
    "requestedBy": [],
    "cites": [
        {"id": "a-51-950", "iri": "https://w3id.org/unkg/id/document/a-51-950", "symbol": "A/51/950"},
        {"id": "a-61-583", "iri": "https://w3id.org/unkg/id/document/a-61-583", "symbol": "A/61/583"},
    ],
    "citedBy": [
        {"id": "wo-pbc-38-2", "iri": "https://w3id.org/unkg/id/document/wo-pbc-38-2", "symbol": "WO/PBC/38/2"}
    ],
    "recommendations": [
        {
            "id": "jiu-rep-2024-4/formal/1",
            "iri": "https://w3id.org/unkg/id/recommendation/jiu-rep-2024-4/formal/1",
            "report": "JIU/REP/2024/4",
            "number": 1,
            "kind": "formal",
        },
        {
            "id": "jiu-rep-2024-4/formal/2",
            "iri": "https://w3id.org/unkg/id/recommendation/jiu-rep-2024-4/formal/2",
            "report": "JIU/REP/2024/4",
            "number": 2,
            "kind": "formal",
        },
    ],
    "page": "https://undocs.org/JIU/REP/2024/4",
    "sources": [
        {
            "source": "https://w3id.org/unkg/id/source/jiu-2024-mutual-recognition",
            "file": "jiu-2024-mutual-recognition.zh.txt",
            "lines": [7, 7],
            "quote": "审查联合国系统内相互承认原则的执行情况",
            "supports": ["dct:title", "rdf:type"],
        },
        {
            "source": "https://w3id.org/unkg/id/source/jiu-2024-mutual-recognition",
            "file": "jiu-2024-mutual-recognition.zh.txt",
            "lines": [7, 7],
            "quote": "审查联合国系统内相互承认原则的执行情况",
            "supports": [],
        },
    ],
}

RECOMMENDATION_EXAMPLE: Json = {
    "iri": "https://w3id.org/unkg/id/recommendation/jiu-rep-2023-3/formal/2",
    "id": "jiu-rep-2023-3/formal/2",
    "report": "JIU/REP/2023/3",
    "reportIri": "https://w3id.org/unkg/id/document/jiu-rep-2023-3",
    "number": 2,
    "kind": "formal",
    "text": {},
    "quotedText": {
        "zh": "从 2025 年开始，联合国系统各组织的立法机关和/或理事机构应确保内部监督办公室的监督计划在合理时间框架内涵盖各自问责制框架的所有要素；如涵盖不全，应说明理由。"
    },
    "addressees": [
        {"organization": "wipo", "label": "World Intellectual Property Organization", "role": "legislative"}
    ],
    "deadline": None,
    "expectedImpact": None,
    "statuses": [
        {
            "organization": "wipo",
            "acceptance": "under_consideration",
            "implementation": None,
            "asOf": "2025-02-28",
            "source": "WO/PBC/38/2",
            "responsible": "内部监督司（监督司）司长",
            "comment": "自 2024 年 1 月 1 "
            "日起，监督司将对本组织关键控制措施的设计、实施和运行效果进行测试，这些控制措施源自《财务细则与条例》和《工作人员细则与条例》的主要规定。从截至 202…",
        }
    ],
    "sources": [
        {
            "source": "https://w3id.org/unkg/id/source/wo-pbc-38-2-jiu-recommendations-progress",
            "file": "WO-PBC-38-2-jiu-recommendations-progress.zh.txt",
            "lines": [339, 343],
            "quote": "建议 2： 从 2025 年开始，联合国系统各组织的立法机关和/或理事机构应确保内部监督办公室的监督计划在合 "
            "理时间框架内涵盖各自问责制框架的所有要素；如涵盖不全，应说明理由。",
            "supports": ["unkg:quotedText", "rdf:type"],
        }
    ],
}

BODY_EXAMPLE: Json = {
    "iri": "https://w3id.org/unkg/id/body/wipo",
    "id": "wipo",
    "label": {"en": "World Intellectual Property Organization", "zh": "世界知识产权组织"},
    "acronym": {"en": "WIPO", "zh": "产权组织"},
    "kind": "organization",
    "parent": None,
    "children": [
        {
            "id": "wipo-administration-finance-and-management-sector",
            "iri": "https://w3id.org/unkg/id/body/wipo-administration-finance-and-management-sector",
            "label": "WIPO Administration, Finance and Management Sector",
        },
        {
            "id": "wipo-hrmd",
            "iri": "https://w3id.org/unkg/id/body/wipo-hrmd",
            "label": "WIPO Human Resources Management Department",
        },
    ],
    "networks": [],
    "chair": None,
    "recommendations": [
        {
            "id": "jiu-note-2022-1-rev1/formal/1",
            "iri": "https://w3id.org/unkg/id/recommendation/jiu-note-2022-1-rev1/formal/1",
            "report": "JIU/NOTE/2022/1 Rev.1",
            "number": 1,
            "kind": "formal",
        },
        {
            "id": "jiu-note-2022-1-rev1/formal/2",
            "iri": "https://w3id.org/unkg/id/recommendation/jiu-note-2022-1-rev1/formal/2",
            "report": "JIU/NOTE/2022/1 Rev.1",
            "number": 2,
            "kind": "formal",
        },
    ],
    "statusSummary": {
        "asOf": None,
        "assessed": 35,
        "open": 8,
        "acceptance": {"accepted": 18, "not_accepted": 4, "not_relevant": 8, "under_consideration": 5},
        "implementation": {"implemented": 15, "in_progress": 3, "none": 17},
    },
}

NETWORK_EXAMPLE: Json = {
    "iri": "https://w3id.org/unkg/id/body/hlcm-digital-and-technology-network",
    "id": "hlcm-digital-and-technology-network",
    "label": {"en": "HLCM Digital and Technology Network", "zh": "管理问题高级别委员会数字和技术网络"},
    "acronym": {},
    "parent": {
        "id": "hlcm",
        "iri": "https://w3id.org/unkg/id/body/hlcm",
        "label": "High-level Committee on Management",
    },
    "members": [],
}

SEARCH_EXAMPLE: Json = {
    "total": 23,
    "limit": 2,
    "offset": 0,
    "next": "http://w3id.org/api/search?q=%E7%9B%B8%E4%BA%92%E6%89%BF%E8%AE%A4&limit=2&offset=2",
    "items": [
        {
            "kind": "body",
            "id": "hlcm-procurement-network-mutual-recognition-task-force",
            "iri": "https://w3id.org/unkg/id/body/hlcm-procurement-network-mutual-recognition-task-force",
            "label": "HLCM Procurement Network Mutual Recognition Task Force",
            "field": "label",
            "language": "zh",
            "snippet": "相互承认工作队",
            "highlight": [0, 4],
            "score": 155.714,
        },
        {
            "kind": "body",
            "id": "mutual-recognition-coordination-group",
            "iri": "https://w3id.org/unkg/id/body/mutual-recognition-coordination-group",
            "label": "Mutual Recognition Coordination Group",
            "field": "label",
            "language": "zh",
            "snippet": "相互承认协调小组",
            "highlight": [0, 4],
            "score": 155.0,
        },
    ],
}

NAMED_QUERIES_EXAMPLE: Json = {
    "total": 5,
    "items": [
        {
            "name": "bodies-under",
            "title": "Bodies under a committee",
            "description": "Every body part of the committee, directly or through others (sub-organizations "
            "and units)…",
            "parameters": [
                {
                    "name": "committee",
                    "type": "body",
                    "required": True,
                    "default": None,
                    "description": "Id of the committee, e.g. hlcm",
                }
            ],
            "url": "http://w3id.org/api/queries/bodies-under",
        },
        {
            "name": "legislative-deadlines",
            "title": "Recommendations addressed to legislative organs, with their deadlines",
            "description": "Recommendations the sources address to an organization's legislative organ (by "
            "the recomme…",
            "parameters": [],
            "url": "http://w3id.org/api/queries/legislative-deadlines",
        },
    ],
}

NAMED_QUERY_RESULT_EXAMPLE: Json = {
    "query": "open-recommendations",
    "title": "Open recommendations of an organization as of a date",
    "parameters": {"organization": "https://w3id.org/unkg/id/body/wipo", "as_of": "2025-12-31"},
    "columns": ["organization", "as_of"],
    "total": 8,
    "rows": [
        {
            "organization": "https://w3id.org/unkg/id/body/wipo",
            "as_of": "2025-12-31",
            "recommendation": "https://w3id.org/unkg/id/recommendation/jiu-rep-2019-5/formal/1",
            "report": "JIU/REP/2019/5",
            "number": "1",
            "acceptance": "accepted",
            "implementation": "in_progress",
            "statusDate": "2025-02-28",
        },
        {
            "organization": "https://w3id.org/unkg/id/body/wipo",
            "as_of": "2025-12-31",
            "recommendation": "https://w3id.org/unkg/id/recommendation/jiu-rep-2023-2/formal/5",
            "report": "JIU/REP/2023/2",
            "number": "5",
            "acceptance": "accepted",
            "implementation": "in_progress",
            "statusDate": "2025-02-28",
        },
    ],
}


def json_example(example: Json) -> dict[str, Any]:
    """An OpenAPI response entry with `example` as its JSON example."""
    return {"content": {"application/json": {"example": example}}}


def example_page(item: Json, url: str) -> Json:
    """A page of one item, as a list endpoint answers `url`."""
    return {"total": 1, "limit": 1, "offset": 0, "next": None, "items": [item]}
