"""The default graph holds data only: the union of the data graphs (the bundled deployment), or the
store's own (a bare store); unkg's bookkeeping (versions, settings, checksums, the history) is never
in it, whatever writes happened, and a store laid out otherwise before is laid out again at start."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import IN_MEMORY, Settings
from service.stores import OxigraphStore
from service.tokens import TokenStore
from tests.conftest import ROOT

UPDATE = {"Content-Type": "application/sparql-update"}
ONTOLOGY = "https://w3id.org/unkg/graph/ontology"


def settings(tmp_path: Path, **given: object) -> Settings:
    return Settings(
        store_path=IN_MEMORY,
        ontology_path=ROOT / "ontology",
        shapes_path=ROOT / "shapes",
        data_path=tmp_path / "data",
        tokens_path=tmp_path / "tokens.json",
        **given,  # type: ignore[arg-type]
    )


def count(client: TestClient, where: str = "?s ?p ?o") -> int:
    response = client.get("/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"})
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def data_quads(client: TestClient) -> int:
    """Triples of the named graphs but unkg's own, counted once each."""
    return count(
        client,
        "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
        "FILTER(?g NOT IN (<https://w3id.org/unkg/graph/history>, <https://w3id.org/unkg/graph/system>)) }",
    )


def test_the_union_is_the_data_graphs_and_stays_so_through_writes(tmp_path: Path) -> None:
    tokens = TokenStore(tmp_path / "tokens.json")
    _, admin = tokens.create(name="Admin", role="admin")
    store = OxigraphStore()
    with TestClient(create_app(settings(tmp_path), store=store)) as client:
        assert count(client) == data_quads(client) > 0
        headers = {**UPDATE, "Authorization": f"Bearer {admin}"}
        note = "INSERT DATA { GRAPH <urn:notes> { <urn:n> <urn:says> 'hello' } }"
        assert client.post("/sparql", content=note, headers=headers).status_code == 201
        # The change and its record were written; the default graph gained the triple alone.
        assert count(client) == data_quads(client)
        assert count(client, "?c a <https://w3id.org/unkg/ontology#Changeset>") == 0
        assert count(client, "<https://w3id.org/unkg/graph/system> ?p ?o") == 0
        gone = "DELETE DATA { GRAPH <urn:notes> { <urn:n> <urn:says> 'hello' } }"
        assert client.post("/sparql", content=gone, headers=headers).status_code == 201
        assert count(client, "<urn:n> ?p ?o") == 0 and count(client) == data_quads(client)
        # A triple two graphs state stays in the union until neither does.
        both = "INSERT DATA { GRAPH <urn:notes> { <urn:n> <urn:says> 'x' } GRAPH <urn:more> { <urn:n> <urn:says> 'x' } }"
        assert client.post("/sparql", content=both, headers=headers).status_code == 201
        one = "DROP GRAPH <urn:notes>"
        assert client.post("/sparql", content=one, headers=headers).status_code == 201
        assert count(client, "<urn:n> <urn:says> 'x'") == 1
    store.close()


def test_graphs_left_out_of_the_union_are_named_graphs_only(tmp_path: Path) -> None:
    store = OxigraphStore()
    with TestClient(create_app(settings(tmp_path, union_excludes=[ONTOLOGY]), store=store)) as client:
        assert count(client, "?c a <http://www.w3.org/2002/07/owl#Class>") == 0
        assert count(client, f"GRAPH <{ONTOLOGY}> {{ ?c a <http://www.w3.org/2002/07/owl#Class> }}") > 0
        described = client.get("/sparql", headers={"Accept": "text/turtle"}).text
        assert f"unkg:notInDefaultGraph <{ONTOLOGY}>" in described or ONTOLOGY in described
    store.close()


def test_a_store_laid_out_before_gets_its_union_at_start_and_keeps_its_own_default_graph_data(
    tmp_path: Path,
) -> None:
    # A store written before: data in a named graph, and triples of the store's own default graph.
    store = OxigraphStore()
    raw = pyoxigraph.Store()
    raw.add(
        pyoxigraph.Quad(
            pyoxigraph.NamedNode("urn:a"),
            pyoxigraph.NamedNode("urn:p"),
            pyoxigraph.Literal("named"),
            pyoxigraph.NamedNode("urn:g"),
        )
    )
    raw.add(
        pyoxigraph.Quad(
            pyoxigraph.NamedNode("urn:b"), pyoxigraph.NamedNode("urn:p"), pyoxigraph.Literal("own")
        )
    )
    store.load(raw.dump(format=pyoxigraph.RdfFormat.N_QUADS), media_type="application/n-quads")
    with TestClient(create_app(settings(tmp_path, bare=False), store=store)) as client:
        assert count(client, "?s <urn:p> ?o") == 2
        # The store's own default graph data was kept, in the graph writes to the default graph go to.
        assert count(client, "GRAPH <https://w3id.org/unkg/graph/default> { <urn:b> <urn:p> 'own' }") == 1
    # Then served bare: the default graph is the store's own again, the union's copy gone.
    with TestClient(create_app(settings(tmp_path, bare=True), store=store)) as client:
        assert count(client) == 0
        assert count(client, "GRAPH <urn:g> { ?s ?p ?o }") == 1
    store.close()


def test_the_default_graph_of_graph_operations_is_the_write_graph_made_or_not(tmp_path: Path) -> None:
    tokens = TokenStore(tmp_path / "tokens.json")
    _, admin = tokens.create(name="Admin", role="admin")
    store = OxigraphStore()
    with TestClient(create_app(settings(tmp_path), store=store)) as client:
        headers = {**UPDATE, "Authorization": f"Bearer {admin}"}
        # The write graph holds nothing yet: copying it is copying an empty graph, no error.
        empty = client.post("/sparql", content="ADD DEFAULT TO <urn:copy>", headers=headers)
        assert empty.status_code == 204, empty.text
        note = "INSERT DATA { <urn:n> <urn:says> 'hello' }"
        written = client.post("/sparql", content=note, headers=headers)
        assert written.status_code == 201 and written.json()["graph"] == "https://w3id.org/unkg/graph/default"
        copied = client.post("/sparql", content="COPY DEFAULT TO <urn:copy>", headers=headers)
        assert copied.status_code == 201, copied.text
        assert count(client, "GRAPH <urn:copy> { <urn:n> <urn:says> 'hello' }") == 1
        assert count(client, "<urn:n> <urn:says> 'hello'") == 1  # one triple in the union, stated twice
    store.close()
