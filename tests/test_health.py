"""/health and the first start of the service: through HTTP, and through a real `unkg serve`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from service.app import create_app
from service.bundle import bundled_graphs, install_bundle
from service.settings import Settings
from service.sparql.results import select
from service.stores import OxigraphStore, RemoteStore
from tests.conftest import ROOT, free_port

ONTOLOGY = "https://w3id.org/unkg/graph/ontology"
SHAPES = "https://w3id.org/unkg/graph/shapes"
SYSTEM = "https://w3id.org/unkg/graph/system"
SERVED = [
    ONTOLOGY,
    SHAPES,
    SYSTEM,
    "https://w3id.org/unkg/graph/reference",
    "https://w3id.org/unkg/graph/source/jiu-2024-mutual-recognition",
    "https://w3id.org/unkg/graph/source/wo-pbc-38-2-jiu-recommendations-progress",
]


def expected_counts() -> dict[str, int]:
    from service.validation import read_directory

    return {
        ONTOLOGY: len(read_directory(ROOT / "ontology")),
        SHAPES: len(read_directory(ROOT / "shapes")),
        # Two bundle checksums, the store's version and last modification, and how its default graph is
        # laid out.
        SYSTEM: 5,
    }


def test_health_reports_a_reachable_store_and_triples_per_graph(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    counts = expected_counts()
    assert response.json() == {
        "status": "ok",
        "version": "0.1.0",
        "store": {"backend": "oxigraph", "reachable": True, "error": None, "engine": None},
        "triples": sum(counts.values()),
        "graphs": counts,
    }


def test_health_with_an_unreachable_store_answers_503_and_says_why(settings: Settings) -> None:
    port = free_port()
    store = RemoteStore(
        httpx.Client(timeout=2),
        query_url=f"http://127.0.0.1:{port}/query",
        update_url=f"http://127.0.0.1:{port}/update",
    )
    with TestClient(create_app(settings.model_copy(update={"store": "remote"}), store=store)) as client:
        response = client.get("/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["store"]["reachable"] is False
    assert f"cannot reach http://127.0.0.1:{port}/query" in body["store"]["error"]


def test_starting_twice_installs_the_bundle_once(settings: Settings, store: OxigraphStore) -> None:
    with TestClient(create_app(settings, store=store)):
        pass
    before = select(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    again = install_bundle(
        store,
        bundled_graphs(settings),
        base_iri=settings.base_iri,
    )
    assert again == []
    assert select(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }") == before


def test_a_changed_bundle_file_replaces_its_graph(
    settings: Settings, store: OxigraphStore, tmp_path: Path
) -> None:
    reference = tmp_path / "data" / "reference"
    reference.mkdir(parents=True)
    bodies = reference / "bodies.ttl"
    bodies.write_text("<https://w3id.org/unkg/id/body/old> <urn:p> <urn:o> .", encoding="utf-8")
    assert install_bundle(store, bundled_graphs(settings), base_iri=settings.base_iri)[-1].endswith(
        "/graph/reference"
    )
    bodies.write_text("<https://w3id.org/unkg/id/body/new> <urn:p> <urn:o> .", encoding="utf-8")
    assert install_bundle(store, bundled_graphs(settings), base_iri=settings.base_iri) == [
        "https://w3id.org/unkg/graph/reference"
    ]
    rows = select(store, "SELECT ?s WHERE { GRAPH <https://w3id.org/unkg/graph/reference> { ?s ?p ?o } }")
    assert [str(row["s"]) for row in rows] == ["https://w3id.org/unkg/id/body/new"]


def test_unkg_serve_serves_the_bundled_graphs_from_a_store_on_disk(tmp_path: Path) -> None:
    port = free_port()
    environment = dict(os.environ, UNKG_STORE_PATH=str(tmp_path / "store"), UNKG_PORT=str(port))
    process = subprocess.Popen(
        [sys.executable, "-m", "service", "serve"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None, "unkg serve exited"
                assert time.monotonic() < deadline, "unkg serve did not answer"
                time.sleep(0.2)
        assert response.status_code == 200
        graphs = response.json()["graphs"]
        assert {name: graphs[name] for name in (ONTOLOGY, SHAPES)} == {
            name: count for name, count in expected_counts().items() if name != SYSTEM
        }
        # The bundled reference data and the sources unkg can read are there from the first start.
        assert set(graphs) >= set(SERVED)
        assert all(graphs[name] > 0 for name in SERVED)
        # Queries run in an engine process of its own, which nothing has had to restart.
        engine = response.json()["store"]["engine"]
        assert engine["pid"] not in (None, process.pid)
        assert engine["restarts"] == 0 and engine["memory_bytes"] > 0
    finally:
        os.kill(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    # The server let go of the store on shutdown, with what it installed on disk.
    reopened = OxigraphStore(str(tmp_path / "store"))
    try:
        rows = select(reopened, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
    finally:
        reopened.close()
    assert {str(row["g"]) for row in rows} >= set(SERVED)
