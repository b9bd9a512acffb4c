"""Real clients against the live service: SPARQLWrapper, rdflib's SPARQLStore, and pyld expanding our
JSON-LD documents (their inline context, and the one published at /context.jsonld)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pyld import jsonld
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper

from service.app import create_app
from service.settings import IN_MEMORY, Settings
from service.stores import OxigraphStore
from tests.conftest import ROOT
from tests.live import live_server

ACCEPTED = "https://w3id.org/unkg/id/acceptance-status/accepted"
LABEL_QUERY = f"SELECT ?label WHERE {{ <{ACCEPTED}> <{SKOS.prefLabel}> ?label }} ORDER BY ?label"


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings(
        store_path=IN_MEMORY,
        ontology_path=ROOT / "ontology",
        shapes_path=ROOT / "shapes",
        data_path=tmp_path_factory.mktemp("no-data"),
    )
    store = OxigraphStore()
    with live_server(create_app(settings, store=store)) as base:
        yield base
    store.close()


def test_sparqlwrapper_reads_json_and_xml_results(url: str) -> None:
    for fmt in (JSON, XML):
        client = SPARQLWrapper(f"{url}/sparql")
        client.setQuery(LABEL_QUERY)
        client.setReturnFormat(fmt)
        result = client.queryAndConvert()
        if fmt == JSON:
            labels = {(b["label"]["value"], b["label"]["xml:lang"]) for b in result["results"]["bindings"]}  # type: ignore[index]
        else:
            labels = {
                (node.firstChild.data, node.getAttribute("xml:lang"))  # type: ignore[union-attr]
                for node in result.getElementsByTagName("literal")  # type: ignore[union-attr]
            }
        assert ("accepted", "en") in labels, fmt
        assert any(lang == "zh" for _, lang in labels), fmt


def test_sparqlwrapper_posts_and_reads_a_construct_as_turtle(url: str) -> None:
    client = SPARQLWrapper(f"{url}/sparql")
    client.setMethod("POST")
    client.setQuery(f"CONSTRUCT {{ <{ACCEPTED}> ?p ?o }} WHERE {{ <{ACCEPTED}> ?p ?o }}")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.queryAndConvert(), format="turtle")  # type: ignore[arg-type]
    assert (URIRef(ACCEPTED), SKOS.prefLabel, Literal("accepted", lang="en")) in graph


def test_rdflib_sparqlstore_reads_the_graph_as_a_graph(url: str) -> None:
    graph = Graph(SPARQLStore(f"{url}/sparql", returnFormat="json"))
    assert Literal("accepted", lang="en") in set(graph.objects(URIRef(ACCEPTED), SKOS.prefLabel))
    rows = list(graph.query(LABEL_QUERY))
    assert Literal("accepted", lang="en") in {row[0] for row in rows}  # type: ignore[index]
    assert graph.query(f"ASK {{ <{ACCEPTED}> ?p ?o }}").askAnswer is True


def _nquads(document: object) -> Graph:
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    return Graph().parse(data=nquads, format="nt")


def test_pyld_expands_our_json_ld_to_the_same_triples_as_turtle(url: str) -> None:
    doc = httpx.get(
        f"{url}/id/acceptance-status/accepted",
        headers={"Accept": "application/ld+json"},
        follow_redirects=True,
    )
    assert doc.headers["content-type"].startswith("application/ld+json")
    expanded = jsonld.expand(doc.json())
    assert any(node.get("@id") == ACCEPTED for node in expanded)
    turtle = httpx.get(
        f"{url}/id/acceptance-status/accepted", headers={"Accept": "text/turtle"}, follow_redirects=True
    )
    assert isomorphic(_nquads(doc.json()), Graph().parse(data=turtle.text, format="turtle"))


def test_pyld_resolves_the_published_context(url: str, tmp_path: Path) -> None:
    document = {
        "@context": f"{url}/context.jsonld",
        "@id": ACCEPTED,
        "skos:prefLabel": {"@value": "accepted", "@language": "en"},
    }
    expanded = jsonld.expand(document, {"documentLoader": jsonld.requests_document_loader(timeout=10)})
    assert expanded == [{"@id": ACCEPTED, str(SKOS.prefLabel): [{"@value": "accepted", "@language": "en"}]}]
