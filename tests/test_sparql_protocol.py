"""The SPARQL 1.1 Protocol at /sparql, through HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Namespace, URIRef
from rdflib.compare import isomorphic

from service.settings import Settings
from service.stores import OxigraphStore
from tests.conftest import empty_remote_store, vary

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
G1 = "https://w3id.org/unkg/graph/test-1"
G2 = "https://w3id.org/unkg/graph/test-2"
DATA1 = b'<https://w3id.org/unkg/id/body/wipo> <http://www.w3.org/2004/02/skos/core#prefLabel> "WIPO"@en .'
DATA2 = b'<https://w3id.org/unkg/id/body/who> <http://www.w3.org/2004/02/skos/core#prefLabel> "WHO"@en .'
# The app has installed the ontology too, whose concepts have labels of their own.
LABELS = (
    "SELECT ?label WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?label "
    "FILTER(?label IN ('WHO'@en, 'WIPO'@en)) } ORDER BY ?label"
)


@pytest.fixture
def loaded(client: TestClient, store: OxigraphStore) -> TestClient:
    store.load(DATA1, media_type="application/n-triples", graph=G1)
    store.load(DATA2, media_type="application/n-triples", graph=G2)
    return client


def labels(body: bytes) -> list[str]:
    return [row["label"]["value"] for row in json.loads(body)["results"]["bindings"]]


def test_query_by_get_answers_sparql_json_over_the_union_of_graphs(loaded: TestClient) -> None:
    response = loaded.get(
        "/sparql", params={"query": LABELS}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-results+json"
    assert vary(response) >= {"Accept"}
    assert labels(response.content) == ["WHO", "WIPO"]


def test_query_by_post_form_and_by_post_direct_answer_the_same(loaded: TestClient) -> None:
    form = loaded.post("/sparql", data={"query": LABELS}, headers={"Accept": "application/json"})
    direct = loaded.post(
        "/sparql",
        content=LABELS.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/json"},
    )
    assert (form.status_code, direct.status_code) == (200, 200)
    assert form.headers["content-type"] == direct.headers["content-type"] == "application/sparql-results+json"
    assert labels(form.content) == labels(direct.content) == ["WHO", "WIPO"]


def test_default_graph_uri_makes_the_default_graph(loaded: TestClient) -> None:
    response = loaded.get("/sparql", params={"query": LABELS, "default-graph-uri": G2, "format": "json"})
    assert labels(response.content) == ["WHO"]


def test_named_graph_uri_limits_the_named_graphs(loaded: TestClient) -> None:
    query = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = loaded.get("/sparql", params={"query": query, "named-graph-uri": G1, "format": "json"})
    assert [row["g"]["value"] for row in json.loads(response.content)["results"]["bindings"]] == [G1]


def test_format_parameter_chooses_csv_for_browsers(loaded: TestClient) -> None:
    response = loaded.get("/sparql", params={"query": LABELS, "format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.splitlines() == ["label", "WHO", "WIPO"]


def test_construct_answers_turtle_by_accept(loaded: TestClient) -> None:
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}"
    response = loaded.get("/sparql", params={"query": query}, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    assert isomorphic(
        Graph().parse(data=response.content, format="turtle"), Graph().parse(data=DATA1, format="nt")
    )


def test_a_malformed_query_is_400_with_the_parser_position(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert response.json() == {
        "error": "query_syntax",
        "detail": "error at 1:25: the query does not parse here (expected e.g. LATERAL, SERVICE)",
    }


def test_an_unacceptable_accept_is_406_listing_what_is_offered(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.json()["error"] == "not_acceptable"
    assert "application/sparql-results+json" in response.json()["detail"]


def test_a_wrong_body_type_is_415(client: TestClient) -> None:
    response = client.post("/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    assert response.json() == {
        "error": "unsupported_media_type",
        "detail": "send the body as application/x-www-form-urlencoded, application/sparql-query or "
        "application/sparql-update, with that Content-Type; text/plain is none of these",
    }


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ([("query", "ASK {}"), ("query", "ASK {}")], "give one 'query' parameter, not 2"),
        ([("update", "CLEAR ALL")], "SPARQL Update is sent by POST, never by GET"),
        ([("query", "ASK {}"), ("format", "png")], "unknown format 'png'"),
    ],
)
def test_bad_requests_are_400_and_say_why(
    client: TestClient, params: list[tuple[str, str]], detail: str
) -> None:
    response = client.get("/sparql", params=params)
    assert response.status_code == 400
    assert response.json()["error"] == "bad_request"
    assert response.json()["detail"].startswith(detail)


def test_a_query_that_is_not_utf8_is_400(client: TestClient) -> None:
    body = "ASK { ?s ?p '标签' }".encode("utf-16")
    response = client.post("/sparql", content=body, headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("the query is not UTF-8")


@pytest.mark.parametrize(
    ("content", "content_type"),
    [(b"update=CLEAR+ALL", "application/x-www-form-urlencoded"), (b"CLEAR ALL", "application/sparql-update")],
)
def test_updates_are_refused_until_curation_opens_them(
    loaded: TestClient, store: OxigraphStore, content: bytes, content_type: str
) -> None:
    response = loaded.post("/sparql", content=content, headers={"Content-Type": content_type})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="unkg"'
    assert response.json()["error"] == "unauthorized"
    rows = store.query(f"ASK {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}", accept="application/sparql-results+json")
    assert json.loads(rows.content)["boolean"] is True


def test_without_a_query_the_endpoint_describes_itself(client: TestClient) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    assert vary(response) >= {"Accept"}
    description = Graph().parse(data=response.content, format="turtle")
    service = next(description.subjects(SD.endpoint, URIRef("http://testserver/sparql")))
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in description
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) in description
    assert (service, SD.feature, SD.UnionDefaultGraph) in description


def test_a_query_the_engine_cannot_evaluate_is_422_and_says_why(client: TestClient) -> None:
    # Well-formed (a W3C positive syntax test has one): not a 400, which says the text is wrong.
    response = client.get("/sparql", params={"query": "SELECT (<urn:no-such-function>(1) AS ?x) WHERE {}"})
    assert response.status_code == 422
    assert response.json()["error"] == "query_evaluation"
    assert "urn:no-such-function" in response.json()["detail"]


def test_a_form_with_too_many_fields_is_refused_with_400_naming_the_limit(client: TestClient) -> None:
    body = "query=ASK%7B%7D&" + "&".join(f"f{i}=1" for i in range(1_001))
    response = client.post(
        "/sparql", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 400
    assert response.json() == {"error": "bad_request", "detail": "the form has more than 1000 fields"}
    # A form of the protocol's usual size is read as before.
    ok = client.post(
        "/sparql", data={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"}
    )
    assert ok.status_code == 200 and ok.json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ?p }",
        "SELECT * WHERE {\n  ?s unknown:p ?o }",
        "INSERT DATA { <urn:a> <urn:b> 1 }",
    ],
)
def test_a_remote_store_reports_a_syntax_error_as_the_embedded_one_does(
    client: TestClient, oxigraph_server: str, tmp_path: Path, query: str
) -> None:
    from service.app import create_app

    embedded = client.get("/sparql", params={"query": query})
    settings = Settings(store_path=str(tmp_path / "unused"), bare=True)
    store = empty_remote_store(oxigraph_server)
    try:
        with TestClient(create_app(settings, store=store)) as remote_client:
            remote = remote_client.get("/sparql", params={"query": query})
    finally:
        store.close()
    assert embedded.status_code == remote.status_code == 400
    assert remote.json()["detail"] == embedded.json()["detail"], (remote.json(), embedded.json())
