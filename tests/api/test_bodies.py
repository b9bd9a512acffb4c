"""/api/bodies and /api/networks: structure, and for an organization where it stands."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import every_item


def test_an_organization_shows_its_recommendations_and_a_summary_of_its_statuses(bundled: TestClient) -> None:
    body = bundled.get("/api/bodies/wipo").json()
    assert body["iri"] == "https://w3id.org/unkg/id/body/wipo"
    assert body["label"] == {"en": "World Intellectual Property Organization", "zh": "世界知识产权组织"}
    assert body["kind"] == "organization"
    assert "wipo-pbc" in [child["id"] for child in body["children"]]
    summary = body["statusSummary"]
    assert (
        summary["assessed"] == sum(summary["acceptance"].values()) == sum(summary["implementation"].values())
    )
    assert summary["open"] == 8
    addressed = every_item(bundled, "/api/recommendations?organization=wipo")
    assert [r["id"] for r in body["recommendations"]] == [r["id"] for r in addressed]
    earlier = bundled.get("/api/bodies/wipo?as_of=2020-01-01").json()["statusSummary"]
    assert earlier == {"asOf": "2020-01-01", "assessed": 0, "open": 0, "acceptance": {}, "implementation": {}}


def test_a_committee_shows_its_parent_and_children(bundled: TestClient) -> None:
    body = bundled.get("/api/bodies/hlcm").json()
    assert body["parent"]["id"] == "ceb"
    assert "hlcm-procurement-network" in [child["id"] for child in body["children"]]
    assert "recommendations" not in body  # nothing is addressed to it


def test_bodies_filter_by_kind_and_parent(bundled: TestClient) -> None:
    networks = every_item(bundled, "/api/bodies?kind=network")
    assert networks and all(body["kind"] == "network" for body in networks)
    under_hlcm = every_item(bundled, "/api/bodies?parent=hlcm")
    assert all(body["parent"]["id"] == "hlcm" for body in under_hlcm)
    ids = [body["id"] for body in every_item(bundled, "/api/bodies?limit=25")]
    assert ids == sorted(ids)


def test_networks_have_their_parent_committee(bundled: TestClient) -> None:
    networks = every_item(bundled, "/api/networks?parent=hlcm")
    assert [n["id"] for n in networks] == [
        "hlcm-digital-and-technology-network",
        "hlcm-finance-and-budget-network",
        "hlcm-human-resources-network",
        "hlcm-procurement-network",
    ]
    assert all(n["parent"]["id"] == "hlcm" and n["members"] == [] for n in networks)


def test_unknown_bodies_and_kinds_are_refused(bundled: TestClient) -> None:
    response = bundled.get("/api/bodies/nobody")
    assert response.status_code == 404 and "nobody" in response.json()["detail"]
    response = bundled.get("/api/bodies?kind=club")
    assert response.status_code == 422 and "network" in response.json()["allowed"]
    assert bundled.get("/api/networks?parent=nobody").json()["parameter"] == "parent"
