"""Linked data: minted IRIs resolve here, as HTML for people and RDF for machines."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from service.stores import OxigraphStore
from tests.conftest import FIXTURES, vary

WIPO = "https://w3id.org/unkg/id/body/wipo"
PREFIXES = (FIXTURES / "shapes" / "prefixes.ttl").read_text(encoding="utf-8")
DATA = (
    PREFIXES
    + """
<https://w3id.org/unkg/id/body/wipo> a org:Organization ;
    skos:prefLabel "World Intellectual Property Organization"@en , "世界知识产权组织"@zh ;
    unkg:bodyKind id:body-kind\\/organization ;
    unkg:evidence <https://w3id.org/unkg/id/evidence/wo/1-1> .
<https://w3id.org/unkg/id/evidence/wo/1-1> a unkg:Evidence ;
    prov:wasQuotedFrom <https://w3id.org/unkg/id/source/wo> ;
    unkg:lineStart 22 ; unkg:lineEnd 22 ; unkg:quote "世界知识产权组织（产权组织）"@zh ;
    unkg:supports skos:prefLabel .
<https://w3id.org/unkg/id/source/wo> a unkg:SourceText ; rdfs:label "WO-PBC-38-2.zh.txt" .
<https://w3id.org/unkg/id/assessment/wo/1> unkg:organization <https://w3id.org/unkg/id/body/wipo> ;
    rdfs:label "assessment 1"@en .
"""
)


@pytest.fixture
def described(client: TestClient, store: OxigraphStore) -> TestClient:
    store.load(DATA.encode(), media_type="text/turtle", graph="https://w3id.org/unkg/graph/test")
    return client


def test_an_iri_redirects_303_to_its_description(described: TestClient) -> None:
    response = described.get("/id/body/wipo", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/doc/body/wipo"
    assert vary(response) >= {"Accept"}


@pytest.mark.parametrize(
    ("accept", "path", "media_type", "fmt"),
    [
        ("text/turtle", "/doc/body/wipo", "text/turtle", "turtle"),
        ("application/n-triples", "/doc/body/wipo", "application/n-triples", "nt"),
        ("application/rdf+xml", "/doc/body/wipo", "application/rdf+xml", "xml"),
        ("text/html", "/doc/body/wipo.ttl", "text/turtle", "turtle"),
        ("*/*", "/doc/body/wipo.nt", "application/n-triples", "nt"),
    ],
)
def test_the_description_comes_by_accept_or_extension(
    described: TestClient, accept: str, path: str, media_type: str, fmt: str
) -> None:
    response = described.get(path, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert vary(response) >= {"Accept"}
    graph = Graph().parse(data=response.content, format=fmt)
    wipo = URIRef(WIPO)
    assert {
        str(label) for label in graph.objects(wipo, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"))
    } == {"World Intellectual Property Organization", "世界知识产权组织"}
    # What points at it, and where its facts come from, come along.
    assert (
        URIRef("https://w3id.org/unkg/id/assessment/wo/1"),
        URIRef("https://w3id.org/unkg/ontology#organization"),
        wipo,
    ) in graph
    assert len(list(graph.triples((URIRef("https://w3id.org/unkg/id/evidence/wo/1-1"), None, None)))) == 6


def test_json_ld_is_compacted_with_the_published_context(described: TestClient) -> None:
    response = described.get("/doc/body/wipo", headers={"Accept": "application/ld+json"})
    assert response.status_code == 200
    document = json.loads(response.content)
    context = described.get("/context.jsonld").json()["@context"]
    assert document["@context"] == context
    expanded = Graph().parse(data=response.content, format="json-ld")
    turtle = Graph().parse(data=described.get("/doc/body/wipo.ttl").content, format="turtle")
    assert isomorphic(expanded, turtle)


def test_browsers_get_a_page_with_labels_links_and_sources(described: TestClient) -> None:
    response = described.get(
        "/doc/body/wipo", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = response.text
    assert "<h1>世界知识产权组织 <small>World Intellectual Property Organization</small></h1>" in page
    assert '<a href="/doc/body-kind/organization"' in page
    assert '<a href="/doc/assessment/wo/1"' in page
    assert "第 22 行" in page and "世界知识产权组织（产权组织）" in page
    assert '<a href="/doc/body/wipo.ttl">Turtle</a>' in page


def test_a_recommendation_page_is_titled_by_its_report_and_number(
    client: TestClient, store: OxigraphStore
) -> None:
    data = (
        PREFIXES
        + """
    <https://w3id.org/unkg/id/document/jiu-rep-2024-4> dcterms:title "审查联合国系统内相互承认原则的执行情况"@zh .
    <https://w3id.org/unkg/id/recommendation/jiu-rep-2024-4/informal/3> a unkg:InformalRecommendation ;
        unkg:recommendationNumber 3 ; unkg:inReport <https://w3id.org/unkg/id/document/jiu-rep-2024-4> .
    """
    )
    store.load(data.encode(), media_type="text/turtle", graph="https://w3id.org/unkg/graph/test")
    page = client.get("/doc/recommendation/jiu-rep-2024-4/informal/3", headers={"Accept": "text/html"}).text
    assert "<h1>审查联合国系统内相互承认原则的执行情况 · 非正式建议 3 <small></small></h1>" in page
    assert (
        '<th title="http://www.w3.org/1999/02/22-rdf-syntax-ns#type">类型 <span class="lang">type</span></th>'
        in page
    )


def test_an_unknown_iri_is_404_naming_it(client: TestClient) -> None:
    response = client.get("/doc/body/nowhere", headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    assert response.json() == {
        "error": "not_found",
        "detail": "nothing is known of https://w3id.org/unkg/id/body/nowhere",
    }


def test_a_symbol_resolves_303_to_its_document(client: TestClient, store: OxigraphStore) -> None:
    data = PREFIXES + '<https://w3id.org/unkg/id/document/a-res-71-243> unkg:symbol "A/RES/71/243" .'
    store.load(data.encode(), media_type="text/turtle", graph="https://w3id.org/unkg/graph/test")
    response = client.get("/symbol/A/RES/71/243", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/id/document/a-res-71-243"


def test_an_unknown_symbol_is_404_naming_it(client: TestClient) -> None:
    response = client.get("/symbol/A/RES/99/999")
    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "detail": "no document has the symbol A/RES/99/999"}


def test_the_ontology_iri_serves_documentation_and_rdf(client: TestClient) -> None:
    page = client.get("/ontology", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert 'id="StatusAssessment"' in page.text and "落实情况评估" in page.text
    turtle = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=turtle.content, format="turtle")
    assert (
        URIRef("https://w3id.org/unkg/ontology"),
        URIRef("http://www.w3.org/2002/07/owl#versionIRI"),
        URIRef("https://w3id.org/unkg/ontology/0.1.0"),
    ) in graph
    assert client.get("/ontology.ttl").content == turtle.content
    assert client.get("/ontology/0.1.0", headers={"Accept": "text/turtle"}).content == turtle.content
