"""Repeated queries come from a cache keyed by the graph's version: exact, since any write changes it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings
from service.stores import OxigraphStore

QUERY = "SELECT ?o WHERE { <urn:s> <urn:p> ?o } ORDER BY ?o"


def values(response: object) -> list[str]:
    return [row["o"]["value"] for row in response.json()["results"]["bindings"]]  # type: ignore[attr-defined]


def test_a_repeated_query_is_a_hit_with_the_same_answer(client: TestClient) -> None:
    first = client.get("/sparql", params={"query": QUERY})
    second = client.get("/sparql", params={"query": QUERY})
    assert (first.headers["unkg-cache"], second.headers["unkg-cache"]) == ("miss", "hit")
    assert first.content == second.content


def test_another_format_or_dataset_is_another_entry(client: TestClient) -> None:
    client.get("/sparql", params={"query": QUERY})
    assert client.get("/sparql", params={"query": QUERY, "format": "csv"}).headers["unkg-cache"] == "miss"
    named = {"query": QUERY, "default-graph-uri": "urn:g"}
    assert client.get("/sparql", params=named).headers["unkg-cache"] == "miss"


@pytest.mark.parametrize("write", ["update", "load"])
def test_any_write_makes_the_next_answer_fresh(client: TestClient, write: str) -> None:
    store = client.app.state.store  # type: ignore[attr-defined]
    # In the graph and in the default graph, the union of the data graphs, as the service writes.
    store.update("INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> 'one' } <urn:s> <urn:p> 'one' }")
    assert values(client.get("/sparql", params={"query": QUERY})) == ["one"]
    assert client.get("/sparql", params={"query": QUERY}).headers["unkg-cache"] == "hit"
    if write == "update":
        store.update("INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> 'two' } <urn:s> <urn:p> 'two' }")
    else:
        store.load(b'<urn:s> <urn:p> "two" .', media_type="application/n-triples", graph="urn:g")
    response = client.get("/sparql", params={"query": QUERY})
    assert response.headers["unkg-cache"] == "miss"
    assert values(response) == ["one", "two"]


@pytest.fixture
def uncached(settings: Settings) -> Iterator[TestClient]:
    # A store of its own: the app wraps it with the settings given here, its cache off.
    store = OxigraphStore()
    with TestClient(create_app(settings.model_copy(update={"cache_bytes": 0}), store=store)) as client:
        yield client
    store.close()


def test_cache_bytes_zero_turns_the_cache_off(uncached: TestClient) -> None:
    for _ in range(2):
        assert uncached.get("/sparql", params={"query": QUERY}).headers["unkg-cache"] == "miss"
