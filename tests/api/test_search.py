"""/api/search: one box across documents, recommendations and bodies, in Chinese and English."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import every_item


def test_chinese_text_matches_by_substring_with_a_snippet(bundled: TestClient) -> None:
    hits = every_item(bundled, "/api/search?q=相互承认&limit=50")
    kinds = {hit["kind"] for hit in hits}
    assert kinds == {"document", "recommendation", "body"}
    assert "jiu-rep-2024-4" in [hit["id"] for hit in hits if hit["kind"] == "document"]
    for hit in hits:
        start, end = hit["highlight"]
        assert hit["snippet"][start:end] == "相互承认"
    scores = [hit["score"] for hit in hits]
    assert scores == sorted(scores, reverse=True)


def test_english_matches_without_regard_to_case_and_names_rank_first(bundled: TestClient) -> None:
    hits = bundled.get("/api/search", params={"q": "PROCUREMENT NETWORK"}).json()["items"]
    assert hits[0]["id"] == "hlcm-procurement-network"
    assert hits[0]["field"] == "label"
    wipo = bundled.get("/api/search", params={"q": "wipo", "kind": "body"}).json()["items"]
    assert wipo[0]["id"] == "wipo" and wipo[0]["field"] == "acronym"
    assert all(hit["kind"] == "body" for hit in wipo)


def test_words_apart_still_match(bundled: TestClient) -> None:
    hits = bundled.get("/api/search", params={"q": "committee management"}).json()["items"]
    assert "hlcm" in [hit["id"] for hit in hits]


def test_an_empty_query_is_422(bundled: TestClient) -> None:
    response = bundled.get("/api/search?q=")
    assert response.status_code == 422 and response.json()["parameter"] == "q"
