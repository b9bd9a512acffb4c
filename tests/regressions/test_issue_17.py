"""Issue 17: what issue 16's union layout left behind: `GRAPH ?g` leaves unkg's own graphs out in the
union layout as on a bare store."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import IN_MEMORY, Settings
from service.stores import OxigraphStore
from service.tokens import TokenStore
from tests.conftest import ROOT

HISTORY = "https://w3id.org/unkg/graph/history"
SYSTEM = "https://w3id.org/unkg/graph/system"
WRITE = "https://w3id.org/unkg/graph/default"
UPDATE = {"Content-Type": "application/sparql-update"}


def settings(tmp_path: Path, **given: object) -> Settings:
    given = {"store_path": IN_MEMORY, **given}
    return Settings(
        ontology_path=ROOT / "ontology",
        shapes_path=ROOT / "shapes",
        data_path=tmp_path / "data",
        tokens_path=tmp_path / "tokens.json",
        **given,  # type: ignore[arg-type]
    )


def rows(client: TestClient, query: str) -> list[dict[str, str]]:
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "application/json"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/sparql-results+json"
    bindings = response.json()["results"]["bindings"]
    return [{name: value["value"] for name, value in row.items()} for row in bindings]


def count(client: TestClient, where: str) -> int:
    return int(rows(client, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")[0]["n"])


@pytest.mark.parametrize("bare", [False, True])
def test_graph_variables_range_over_the_data_graphs_in_both_layouts(tmp_path: Path, bare: bool) -> None:
    tokens = TokenStore(tmp_path / "tokens.json")
    _, admin = tokens.create(name="Admin", role="admin")
    store = OxigraphStore()
    with TestClient(create_app(settings(tmp_path, bare=bare), store=store)) as client:
        headers = {**UPDATE, "Authorization": f"Bearer {admin}"}
        note = "INSERT DATA { GRAPH <urn:notes> { <urn:n> <urn:says> 'hello' } }"
        assert client.post("/sparql", content=note, headers=headers).status_code == 201
        graphs = {row["g"] for row in rows(client, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")}
        assert "urn:notes" in graphs and not graphs & {HISTORY, SYSTEM}
        # Read by name, the bookkeeping is there; so where a query names it and binds ?g to it.
        assert count(client, f"GRAPH <{SYSTEM}> {{ ?s ?p ?o }}") > 0
        assert count(client, f"VALUES ?g {{ <{SYSTEM}> }} GRAPH ?g {{ ?s ?p ?o }}") > 0
        # In an OPTIONAL, a MINUS and a subquery alike.
        optional = rows(
            client, f"SELECT ?g WHERE {{ BIND(1 AS ?x) OPTIONAL {{ GRAPH ?g {{ ?s ?p <{SYSTEM}> }} }} }}"
        )
        assert optional == [{}]
        minus = "SELECT ?s WHERE { GRAPH <urn:notes> { ?s ?p ?o } MINUS { GRAPH ?g { ?s ?q ?r } } }"
        assert rows(client, minus) == []
        sub = "SELECT ?g WHERE { { SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } } }"
        assert not {row["g"] for row in rows(client, sub)} & {HISTORY, SYSTEM}
        # A dataset of the query's own: what it asks for.
        named = f"SELECT DISTINCT ?g FROM NAMED <{SYSTEM}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
        assert rows(client, named) == [{"g": SYSTEM}]
    store.close()
