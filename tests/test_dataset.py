"""/.well-known/void (VoID and DCAT) and the full dumps, with their ETag and Last-Modified."""

from __future__ import annotations

import pyoxigraph
import pytest
from fastapi.testclient import TestClient
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, VOID

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
UNKG = Namespace("https://w3id.org/unkg/ontology#")
DATASET = URIRef("http://testserver/.well-known/void#dataset")


def void(client: TestClient, **headers: str) -> Graph:
    response = client.get("/.well-known/void", headers=headers)
    assert response.status_code == 200
    return Graph().parse(data=response.text, format="turtle")


def test_void_counts_every_graph_as_health_does(client: TestClient) -> None:
    health = client.get("/health").json()
    graph = void(client)
    assert (DATASET, RDF.type, VOID.Dataset) in graph
    assert (DATASET, RDF.type, DCAT.Dataset) in graph
    assert graph.value(DATASET, VOID.triples) == Literal(health["triples"])
    subsets = {
        str(graph.value(subset, SD.name)): int(graph.value(subset, VOID.triples))
        for subset in graph.objects(DATASET, VOID.subset)
    }
    assert subsets == health["graphs"]
    assert len(subsets) >= 3  # the ontology, the shapes and the system graph at least


def test_void_counts_the_entities_of_each_class(client: TestClient) -> None:
    graph = void(client)
    partitions = {
        graph.value(partition, VOID["class"]): int(graph.value(partition, VOID.entities))
        for partition in graph.objects(DATASET, VOID.classPartition)
    }
    query = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a <http://www.w3.org/2002/07/owl#Class> }"
    expected = int(
        client.get("/sparql", params={"query": query}).json()["results"]["bindings"][0]["n"]["value"]
    )
    assert partitions[URIRef("http://www.w3.org/2002/07/owl#Class")] == expected > 0
    assert graph.value(DATASET, VOID.classes) == Literal(len(partitions))


def test_void_links_the_endpoint_the_dumps_and_the_licence(client: TestClient) -> None:
    graph = void(client)
    assert graph.value(DATASET, VOID.sparqlEndpoint) == URIRef("http://testserver/sparql")
    dumps = set(graph.objects(DATASET, VOID.dataDump))
    assert dumps == {URIRef("http://testserver/dump.trig"), URIRef("http://testserver/dump.nq")}
    downloads = {graph.value(d, DCAT.downloadURL) for d in graph.objects(DATASET, DCAT.distribution)}
    assert dumps <= downloads
    services = [
        d for d in graph.objects(DATASET, DCAT.distribution) if (d, RDF.type, DCAT.DataService) in graph
    ]
    assert graph.value(services[0], DCAT.endpointURL) == URIRef("http://testserver/sparql")
    assert graph.value(DATASET, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert graph.value(DATASET, DCTERMS.modified) is not None
    assert {title.language for title in graph.objects(DATASET, DCTERMS.title)} == {"en", "zh"}


def test_void_is_negotiated(client: TestClient) -> None:
    response = client.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert response.headers["content-type"].startswith("application/ld+json")
    assert "Accept" in response.headers["vary"]
    assert len(Graph().parse(data=response.text, format="json-ld")) > 20
    assert client.get("/.well-known/void", headers={"Accept": "image/png"}).status_code == 406


@pytest.mark.parametrize("path", ["/.well-known/void", "/dump.nq", "/dump.trig"])
def test_a_current_copy_is_304_and_any_write_makes_it_stale(client: TestClient, path: str) -> None:
    first = client.get(path)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('W/"unkg-')
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(path, headers={"If-None-Match": 'W/"other"'}).status_code == 200
    client.app.state.store.update("INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> <urn:o> } }")  # type: ignore[attr-defined]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 200
    assert again.headers["etag"] != etag


@pytest.mark.parametrize(
    ("path", "fmt", "media_type"),
    [
        ("/dump.nq", pyoxigraph.RdfFormat.N_QUADS, "application/n-quads"),
        ("/dump.trig", pyoxigraph.RdfFormat.TRIG, "application/trig"),
    ],
)
def test_a_dump_holds_every_quad(
    client: TestClient, path: str, fmt: pyoxigraph.RdfFormat, media_type: str
) -> None:
    health = client.get("/health").json()
    response = client.get(path)
    assert response.headers["content-type"] == media_type
    assert "attachment" in response.headers["content-disposition"]
    quads = list(pyoxigraph.parse(response.content, format=fmt))
    graphs: dict[str, int] = {}
    for quad in quads:
        graphs[quad.graph_name.value] = graphs.get(quad.graph_name.value, 0) + 1  # type: ignore[union-attr]
    assert graphs == health["graphs"]


def test_head_of_a_dump_gives_its_validators_without_the_dump(client: TestClient) -> None:
    response = client.head("/dump.nq")
    assert response.status_code == 200
    assert response.headers["etag"].startswith('W/"unkg-')
    assert response.content == b""
