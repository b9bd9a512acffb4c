"""After issue 16: what its union layout left behind. A store whose first lay-out fails is not served
as if its default graph were whole; a load copies its own triples into the union, nothing else; and
`GRAPH ?g` leaves unkg's own graphs out in the union layout as on a bare store."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from service.app import create_app
from service.cli import app as cli
from service.errors import LayoutError
from service.settings import IN_MEMORY, Settings
from service.stores import OxigraphStore, open_store
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


def an_older_store(path: Path, triples: int) -> None:
    """A store pyoxigraph wrote, without unkg's layouts: `triples` in one named graph."""
    raw = pyoxigraph.Store(str(path))
    predicate, graph = pyoxigraph.NamedNode("urn:p"), pyoxigraph.NamedNode("urn:big")
    raw.bulk_extend(
        pyoxigraph.Quad(pyoxigraph.NamedNode(f"urn:s{i}"), predicate, pyoxigraph.Literal(f"value {i}"), graph)
        for i in range(triples)
    )
    raw.flush()
    del raw


def test_a_store_whose_first_lay_out_fails_is_not_served_and_the_next_start_lays_it_out(
    tmp_path: Path,
) -> None:
    an_older_store(tmp_path / "store", 60_000)
    # The copy of 60k triples grows the engine (about 70 MiB idle) past 100 MiB: it is killed.
    capped = settings(tmp_path, store_path=str(tmp_path / "store"), engine_max_memory=100 << 20)
    with pytest.raises(LayoutError, match="the default graph could not be laid out") as failed:
        with TestClient(create_app(capped)):
            pytest.fail("served a store whose default graph is not laid out")
    assert "the next start tries again" in str(failed.value)
    # Nothing says the store is laid out: the next start (no limit) copies the union whole.
    unlimited = settings(tmp_path, store_path=str(tmp_path / "store"), engine_max_memory=None)
    with TestClient(create_app(unlimited)) as client:
        assert count(client, "?s <urn:p> ?o") == 60_000
        health = client.get("/health")
        assert health.status_code == 200 and health.json()["status"] == "ok"


def test_the_cli_lays_an_older_store_out_graph_by_graph_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    an_older_store(tmp_path / "store", 10)
    monkeypatch.setenv("UNKG_STORE_PATH", str(tmp_path / "store"))
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s <urn:p> ?o }"
    first = CliRunner().invoke(cli, ["query", query, "--format", "csv"])
    assert first.exit_code == 0, first.output
    assert first.output.split() == ["n", "10"]
    store = open_store(Settings(store_path=str(tmp_path / "store")))
    try:
        assert store.arrange() is False  # laid out by the command above: not again
    finally:
        store.close()


def loaded_quads(graph: str, n: int, *, start: int = 0) -> bytes:
    return "".join(f'<urn:s{i}> <urn:p> "{i}" <{graph}> .\n' for i in range(start, start + n)).encode()


def test_a_load_copies_its_own_triples_into_the_union_and_leaves_the_rest(tmp_path: Path) -> None:
    store = open_store(settings(tmp_path))
    try:
        store.arrange()
        store.load(loaded_quads("urn:a", 5), media_type="application/n-quads")
        # A triple put into the default graph by hand (not the union's): a load must not touch it,
        # as it did when each load copied every graph and moved the default graph's strays.
        store.store.update("INSERT DATA { <urn:stray> <urn:p> 'x' }")
        dataset = loaded_quads("urn:b", 3, start=10) + b'<urn:d> <urn:p> _:blank .\n_:blank <urn:p> "own" .\n'
        assert store.load(dataset, media_type="application/n-quads") == 5
        with TestClient(create_app(settings(tmp_path), store=store)) as client:
            assert count(client, "GRAPH <urn:b> { ?s ?p ?o }") == 3
            # The dataset's default graph went to the write graph, its blank node the same node.
            assert count(client, f"GRAPH <{WRITE}> {{ <urn:d> <urn:p> ?b . ?b <urn:p> 'own' }}") == 1
            assert count(client, "<urn:d> <urn:p> ?b . ?b <urn:p> 'own'") == 1
            assert count(client, "?s <urn:p> ?o") == 5 + 3 + 2 + 1
            assert count(client, "<urn:stray> ?p ?o") == 1
            assert count(client, f"GRAPH <{WRITE}> {{ <urn:stray> ?p ?o }}") == 0
    finally:
        store.close()


def test_a_triples_load_into_a_graph_copies_its_triples_alone(tmp_path: Path) -> None:
    store = open_store(settings(tmp_path))
    try:
        store.arrange()
        store.load(loaded_quads("urn:a", 4), media_type="application/n-quads")
        store.store.update("DELETE DATA { <urn:s0> <urn:p> '0' }")  # out of the union by hand
        assert store.load(b"<urn:t> <urn:p> 't' .", media_type="text/turtle", graph="urn:a") == 1
        with TestClient(create_app(settings(tmp_path), store=store)) as client:
            assert count(client, "?s <urn:p> ?o") == 4
            assert count(client, "<urn:t> <urn:p> 't'") == 1
    finally:
        store.close()


def test_a_load_that_does_not_parse_names_its_line_and_writes_nothing(tmp_path: Path) -> None:
    store = open_store(settings(tmp_path))
    try:
        store.arrange()
        version = store.version()
        broken = loaded_quads("urn:a", 2) + b"<urn:x> <urn:p> .\n"
        with pytest.raises(Exception, match="line 3"):
            store.load(broken, media_type="application/n-quads")
        assert store.version() == version
        assert list(store.solutions("SELECT * WHERE { ?s <urn:p> ?o }")) == []
    finally:
        store.close()


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
            client,
            "SELECT ?g WHERE { BIND(1 AS ?x) OPTIONAL { GRAPH ?g { ?s <https://w3id.org/unkg/ontology#version> ?v } } }",
        )
        assert optional == [{}]
        minus = "SELECT ?s WHERE { GRAPH <urn:notes> { ?s ?p ?o } MINUS { GRAPH ?g { ?s ?q ?r } } }"
        assert rows(client, minus) == []
        sub = "SELECT ?g WHERE { { SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } } }"
        assert not {row["g"] for row in rows(client, sub)} & {HISTORY, SYSTEM}
        # Around a subquery the engine leaves ?g unbound: there a dataset of the data graphs hides them.
        around = "SELECT DISTINCT ?x WHERE { GRAPH ?g { { SELECT ?x WHERE { ?x ?p ?y } } } }"
        subjects = {row["x"] for row in rows(client, around)}
        assert "urn:n" in subjects and SYSTEM not in subjects
        # A dataset of the query's own: what it asks for.
        named = f"SELECT DISTINCT ?g FROM NAMED <{SYSTEM}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
        assert rows(client, named) == [{"g": SYSTEM}]
    store.close()
