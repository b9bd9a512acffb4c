"""Reading graphs through the Graph Store HTTP Protocol."""

from __future__ import annotations

from fastapi.testclient import TestClient
from rdflib import Graph
from rdflib.compare import isomorphic

from service.stores import OxigraphStore
from tests.conftest import vary

G1 = "https://w3id.org/unkg/graph/test-1"
DATA = b'<https://w3id.org/unkg/id/body/wipo> <http://www.w3.org/2004/02/skos/core#prefLabel> "WIPO"@en .'


def test_a_named_graph_is_read_in_the_syntax_accepted(client: TestClient, store: OxigraphStore) -> None:
    store.load(DATA, media_type="application/n-triples", graph=G1)
    for media_type, fmt in (
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
    ):
        response = client.get("/rdf-graph-store", params={"graph": G1}, headers={"Accept": media_type})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(media_type)
        assert vary(response) >= {"Accept"}
        assert isomorphic(
            Graph().parse(data=response.content, format=fmt), Graph().parse(data=DATA, format="nt")
        )


def test_the_default_graph_is_read_with_default(client: TestClient, store: OxigraphStore) -> None:
    # Triples loaded without a graph go to the write graph, and so into the default graph, the union
    # of the data graphs (the ontology and shapes with them here).
    store.load(DATA, media_type="application/n-triples")
    response = client.get("/rdf-graph-store?default", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    union = Graph().parse(data=response.content, format="nt")
    assert set(Graph().parse(data=DATA, format="nt")) <= set(union)
    ontology = client.get(
        "/rdf-graph-store",
        params={"graph": "https://w3id.org/unkg/graph/ontology"},
        headers={"Accept": "application/n-triples"},
    )
    assert set(Graph().parse(data=ontology.content, format="nt")) <= set(union)
    written = client.get(
        "/rdf-graph-store",
        params={"graph": "https://w3id.org/unkg/graph/default"},
        headers={"Accept": "application/n-triples"},
    )
    assert isomorphic(Graph().parse(data=written.content, format="nt"), Graph().parse(data=DATA, format="nt"))


def test_an_unknown_graph_is_404_naming_it(client: TestClient) -> None:
    response = client.get("/rdf-graph-store", params={"graph": "https://w3id.org/unkg/graph/nothing"})
    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "detail": "no graph https://w3id.org/unkg/graph/nothing"}


def test_a_graph_that_is_not_an_iri_is_400(client: TestClient) -> None:
    response = client.get("/rdf-graph-store", params={"graph": "not an iri"})
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_iri", "detail": "not an absolute IRI: 'not an iri'"}


def test_neither_graph_nor_default_is_400(client: TestClient) -> None:
    response = client.get("/rdf-graph-store")
    assert response.status_code == 400
    assert response.json() == {
        "error": "bad_request",
        "detail": "give graph=IRI or default (or name the graph by its URL)",
    }
