"""/api/recommendations: texts, addressees and where each organization stands, with the JIU's "open"."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import every_item, sparql


def test_a_recommendation_is_read_with_addressees_and_statuses(bundled: TestClient) -> None:
    response = bundled.get("/api/recommendations/jiu-rep-2024-4/formal/2")
    assert response.status_code == 200
    recommendation = response.json()
    assert recommendation["iri"] == "https://w3id.org/unkg/id/recommendation/jiu-rep-2024-4/formal/2"
    assert recommendation["report"] == "JIU/REP/2024/4"
    assert (recommendation["number"], recommendation["kind"]) == (2, "formal")
    assert recommendation["deadline"] == "2025"
    assert recommendation["expectedImpact"] == "d"
    assert recommendation["text"]["zh"].startswith(
        "联合国系统各组织行政首长应通过联合国系统行政首长协调理事会"
    )
    addressees = {a["organization"]: a["role"] for a in recommendation["addressees"]}
    assert addressees["un"] == "executive" and addressees["wipo"] == "executive"
    assert [
        (s["organization"], s["acceptance"], s["implementation"], s["asOf"], s["source"])
        for s in recommendation["statuses"]
    ] == [("wipo", "under_consideration", None, "2025-02-28", "WO/PBC/38/2")]


def test_an_unknown_recommendation_is_404_naming_it(bundled: TestClient) -> None:
    response = bundled.get("/api/recommendations/jiu-rep-2024-4/formal/99")
    assert response.status_code == 404
    assert "jiu-rep-2024-4/formal/99" in response.json()["detail"]


def test_a_report_lists_its_recommendations_formal_first(bundled: TestClient) -> None:
    found = every_item(bundled, "/api/recommendations?report=JIU/REP/2024/4&limit=10")
    assert [(r["kind"], r["number"]) for r in found] == [("formal", n) for n in range(1, 6)] + [
        ("informal", n) for n in range(1, 20)
    ]
    informal = bundled.get(
        "/api/recommendations", params={"report": "JIU/REP/2024/4", "kind": "informal", "number": 3}
    ).json()
    assert informal["total"] == 1 and informal["items"][0]["id"] == "jiu-rep-2024-4/informal/3"


def test_open_recommendations_of_an_organization_agree_with_sparql(bundled: TestClient) -> None:
    found = every_item(bundled, "/api/recommendations?organization=wipo&open=true&as_of=2025-12-31")
    # The same question in SPARQL: the latest WIPO status on or before the date is open.
    rows = sparql(
        bundled,
        """SELECT DISTINCT ?r WHERE {
          ?s unkg:organization <https://w3id.org/unkg/id/body/wipo> ; unkg:recommendation ?r ;
             unkg:acceptance/skos:notation ?a ; unkg:asOf ?d FILTER(?d <= "2025-12-31"^^<http://www.w3.org/2001/XMLSchema#date>)
          FILTER(?a IN ("accepted", "under_consideration"))
          FILTER NOT EXISTS { ?s unkg:implementation/skos:notation "implemented" } }""",
    )
    assert {r["iri"] for r in found} == {row["r"] for row in rows}
    assert len(found) == 8
    for recommendation in found:
        latest = next(s for s in recommendation["statuses"] if s["organization"] == "wipo")
        assert latest["acceptance"] in ("accepted", "under_consideration")
        assert latest["implementation"] != "implemented"
    closed = every_item(bundled, "/api/recommendations?organization=wipo&open=false")
    assert not {r["iri"] for r in closed} & {r["iri"] for r in found}
    assessed = sparql(
        bundled,
        "SELECT DISTINCT ?r WHERE { ?s unkg:organization <https://w3id.org/unkg/id/body/wipo> ; unkg:recommendation ?r }",
    )
    assert len(closed) + len(found) == len(assessed)


def test_before_any_status_nothing_is_open_or_closed(bundled: TestClient) -> None:
    for value in ("true", "false"):
        page = bundled.get(
            "/api/recommendations", params={"organization": "wipo", "open": value, "as_of": "2020-01-01"}
        ).json()
        assert page["total"] == 0 and page["items"] == []


def test_recommendations_filter_by_role_and_status(bundled: TestClient) -> None:
    legislative = every_item(bundled, "/api/recommendations?organization=wipo&role=legislative")
    assert legislative
    for recommendation in legislative:
        assert {"organization": "wipo", "role": "legislative"}.items() <= next(
            a for a in recommendation["addressees"] if a["organization"] == "wipo"
        ).items()
    implemented = every_item(bundled, "/api/recommendations?implementation=implemented")
    rows = sparql(
        bundled,
        "SELECT DISTINCT ?r WHERE { ?s unkg:recommendation ?r ; unkg:implementation/skos:notation 'implemented' }",
    )
    assert {r["iri"] for r in implemented} == {row["r"] for row in rows}
    considered = every_item(bundled, "/api/recommendations?acceptance=under_consideration&organization=wipo")
    assert all(r["statuses"][0]["acceptance"] == "under_consideration" for r in considered)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("acceptance=maybe", "acceptance"),
        ("implementation=done", "implementation"),
        ("role=judicial", "role"),
        ("organization=nobody", "organization"),
        ("report=JIU/REP/1900/1", "report"),
        ("as_of=2024-13-01", "as_of"),
        ("open=perhaps", "open"),
        ("kind=casual", "kind"),
        ("number=0", "number"),
    ],
)
def test_a_bad_filter_is_422_naming_the_parameter(bundled: TestClient, query: str, parameter: str) -> None:
    response = bundled.get(f"/api/recommendations?{query}")
    assert response.status_code == 422
    assert response.json()["parameter"] == parameter


def test_a_bad_status_value_lists_the_notations_of_its_scheme(bundled: TestClient) -> None:
    body = bundled.get("/api/recommendations?acceptance=maybe").json()
    assert body["allowed"] == ["accepted", "not_accepted", "not_relevant", "under_consideration"]
    body = bundled.get("/api/recommendations?kind=casual").json()
    assert body["problems"][0]["allowed"] == "'formal' or 'informal'"
