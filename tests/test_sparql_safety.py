"""/sparql is safe to expose: a time limit that stops queries, caps on results, SERVICE only to the
allow-list, no LOAD, and all of it stated in the service description."""

from __future__ import annotations

import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, Namespace, URIRef
from typer.testing import CliRunner

from service.app import create_app
from service.settings import Settings
from service.stores import OxigraphStore
from service.tokens import TokenStore

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
UNKG = Namespace("https://w3id.org/unkg/ontology#")
# Every pair of the 600 subjects, and far more rows than any test reads: an endless query.
CROSS_JOIN = "SELECT * WHERE { ?a <urn:p> ?x . ?b <urn:p> ?y . ?c <urn:p> ?z }"  # 600³ = 216 million rows
# Over 200 subjects, 8 million combinations to filter before the one row it yields: about 2.5 s here.
COUNTED_SLOWLY = "SELECT (COUNT(*) AS ?n) WHERE { ?a <urn:p> ?x . ?b <urn:p> ?y . ?c <urn:p> ?z FILTER(CONCAT(?x, ?y) = ?z) }"


def _data(count: int) -> bytes:
    return "".join(f'<urn:s{i}> <urn:p> "{i}" .\n' for i in range(count)).encode()


@contextmanager
def _client(
    settings: Settings, store: OxigraphStore, subjects: int = 600, **limits: object
) -> Iterator[TestClient]:
    app = create_app(settings.model_copy(update=limits), store=store)
    with TestClient(app) as client:
        store.load(_data(subjects), media_type="application/n-triples", graph="urn:g")
        yield client


@pytest.fixture
def limited(settings: Settings, store: OxigraphStore) -> Iterator[TestClient]:
    with _client(settings, store, query_timeout=1.0, max_result_rows=50, max_result_bytes=200_000) as client:
        yield client


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def test_a_query_past_its_time_is_stopped_and_answered_503(settings: Settings, store: OxigraphStore) -> None:
    with _client(settings, store, query_timeout=1.0, max_result_rows=None, max_result_bytes=None) as client:
        started = time.monotonic()
        response = client.get("/sparql", params={"query": CROSS_JOIN})
        took = time.monotonic() - started
        assert response.status_code == 503
        assert response.json()["error"] == "query_timeout"
        assert "1 s limit" in response.json()["detail"]
        assert took < 5
        # Stopped, not abandoned: the process spends (almost) no more CPU once the answer is out.
        before = _cpu_seconds()
        time.sleep(1.0)
        assert _cpu_seconds() - before < 0.3


def test_a_query_that_cannot_be_interrupted_is_still_answered_at_its_deadline(
    settings: Settings, store: OxigraphStore
) -> None:
    with _client(settings, store, subjects=200, query_timeout=0.5) as client:
        started = time.monotonic()
        response = client.get("/sparql", params={"query": COUNTED_SLOWLY})
        assert response.status_code == 503
        assert response.json()["error"] == "query_timeout"
        assert time.monotonic() - started < 2.5  # the deadline and its grace: 2 s


def test_rows_past_the_cap_are_cut_and_the_response_says_so(limited: TestClient) -> None:
    response = limited.get("/sparql", params={"query": "SELECT ?s WHERE { ?s <urn:p> ?o }"})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == 50
    assert response.headers["unkg-truncated"] == "rows; limit=50"
    # CSV is cut the same way, and stays a whole document: a header and 50 rows.
    csv = limited.get("/sparql", params={"query": "SELECT ?s WHERE { ?s <urn:p> ?o }", "format": "csv"})
    assert csv.text.count("\r\n") == 51


def test_the_caps_are_for_anonymous_requests_a_token_lifts_them(
    settings: Settings, store: OxigraphStore, tmp_path: Path
) -> None:
    tokens = TokenStore(tmp_path / "tokens.json")
    _, secret = tokens.create(name="Integrator", role="curator")
    limits = {"max_result_rows": 50, "max_result_bytes": 200_000, "tokens_path": tokens.path}
    with _client(settings, store, **limits) as client:
        query = {"query": "SELECT ?s WHERE { ?s <urn:p> ?o }"}
        signed = client.get("/sparql", params=query, headers={"Authorization": f"Bearer {secret}"})
        assert len(signed.json()["results"]["bindings"]) == 600 and "unkg-truncated" not in signed.headers
        wrong = client.get("/sparql", params=query, headers={"Authorization": "Bearer unkg_00000000_nope"})
        assert wrong.status_code == 401
        assert len(client.get("/sparql", params=query).json()["results"]["bindings"]) == 50


def test_a_result_within_the_caps_is_whole_and_not_marked(limited: TestClient) -> None:
    response = limited.get("/sparql", params={"query": "SELECT ?s WHERE { ?s <urn:p> ?o } LIMIT 10"})
    assert len(response.json()["results"]["bindings"]) == 10
    assert "unkg-truncated" not in response.headers


def test_graphs_past_the_byte_cap_are_cut_at_a_whole_triple(settings: Settings, store: OxigraphStore) -> None:
    with _client(settings, store, max_result_rows=None, max_result_bytes=20_000) as client:
        response = client.get(
            "/sparql",
            params={"query": "CONSTRUCT { ?s <urn:q> ?y } WHERE { ?s <urn:p> ?o . ?x <urn:p> ?y }"},
            headers={"Accept": "application/n-triples"},
        )
        assert response.headers["unkg-truncated"] == "bytes; limit=20000"
        graph = Graph().parse(data=response.content, format="nt")  # parses: no triple is cut in two
        assert 0 < len(graph) < 600 * 600
        assert len(response.content) < 20_000 + 16_384  # the cap, and at most one write buffer more


def test_service_is_refused_unless_its_endpoint_is_allowed(client: TestClient) -> None:
    for query in (
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "PREFIX x: <http://127.0.0.1:9/> select * where { optional { service silent x:sparql { ?s ?p ?o } } }",
        "SELECT * WHERE { ?e ?p ?o SERVICE ?e { ?s ?p ?o } }",
        "ASK { FILTER EXISTS { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } } }",
    ):
        response = client.post("/sparql", data={"query": query})
        assert response.status_code == 403, query
        assert response.json()["error"] == "forbidden"
        assert "SERVICE" in response.json()["detail"]


def test_an_allowed_service_is_called(
    settings: Settings, store: OxigraphStore, oxigraph_server: str, tmp_path: Path
) -> None:
    endpoint = f"{oxigraph_server}/query"
    with _client(settings, store, service_allow_list=[endpoint]) as client:
        response = client.post("/sparql", data={"query": f"ASK {{ SERVICE <{endpoint}> {{ }} }}"})
        assert response.status_code == 200, response.text
        assert response.json()["boolean"] is True


def test_a_query_that_only_mentions_service_runs(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": 'SELECT ("SERVICE" AS ?word) WHERE {}'})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"][0]["word"]["value"] == "SERVICE"


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/sparql-update", "LOAD <http://127.0.0.1:9/data.ttl>"),
        ("application/x-www-form-urlencoded", "update=PREFIX+x%3A+%3Chttp%3A%2F%2Fa%2F%3E+load+x%3Ad"),
    ],
)
def test_load_is_refused_outright(
    settings: Settings, store: OxigraphStore, tmp_path: Path, content_type: str, body: str
) -> None:
    tokens = TokenStore(tmp_path / "tokens.json")
    _, secret = tokens.create(name="Curator", role="curator")
    with _client(settings, store, tokens_path=tokens.path) as client:
        before = client.get("/dump.nq").content
        anonymous = client.post("/sparql", content=body, headers={"Content-Type": content_type})
        assert anonymous.status_code == 401  # who is asking comes first: no update is read for nobody
        response = client.post(
            "/sparql",
            content=body,
            headers={"Content-Type": content_type, "Authorization": f"Bearer {secret}"},
        )
        assert response.status_code == 403
        assert response.json() == {
            "error": "forbidden",
            "detail": "LOAD is refused: nothing is loaded from the network",
        }
        assert client.get("/dump.nq").content == before
        # With SILENT the refusal is a failure that the standard says is no error: nothing happens.
        silent = client.post(
            "/sparql",
            content=body.replace("load+", "load+silent+").replace("LOAD ", "LOAD SILENT "),
            headers={"Content-Type": content_type, "Authorization": f"Bearer {secret}"},
        )
        assert silent.status_code == 204, silent.text
        assert client.get("/dump.nq").content == before


def test_long_text_naming_service_or_load_inside_words_is_answered_at_once(
    settings: Settings, store: OxigraphStore, tmp_path: Path
) -> None:
    """rdflib's parser took over ten minutes on a 650 KB update with a prefix named `download:` (it was
    asked to find LOAD in it), and hit its recursion limit on 1,500 patterns: long text is never
    handed to it to find SERVICE or LOAD."""
    tokens = TokenStore(tmp_path / "tokens.json")
    _, secret = tokens.create(name="Curator", role="curator")
    patterns = " ".join(f'<urn:s{i}> x:p "{i}" .' for i in range(20_000))
    # Under the 2,000 steps a query may take, but past what rdflib's parser can read.
    few = " ".join(f'<urn:s{i}> myservice:p "{i}" .' for i in range(1_800))
    with _client(settings, store, tokens_path=tokens.path) as client:
        started = time.monotonic()
        query = client.post(
            "/sparql",
            content=f"PREFIX myservice: <urn:x:> SELECT * WHERE {{ {few} }}",
            headers={"Content-Type": "application/sparql-query"},
        )
        assert query.status_code == 403
        assert (
            query.json()["detail"]
            == "SERVICE is refused: this endpoint calls no other (its allow-list is empty)"
        )
        anonymous = client.post(
            "/sparql",
            content=f"PREFIX download: <urn:x:> INSERT DATA {{ {patterns.replace('x:p', 'download:p')} }}",
            headers={"Content-Type": "application/sparql-update"},
        )
        assert anonymous.status_code == 401
        assert time.monotonic() - started < 10


def test_the_service_description_states_the_limits(settings: Settings, store: OxigraphStore) -> None:
    allowed = "https://query.wikidata.org/sparql"
    with _client(
        settings,
        store,
        query_timeout=12.5,
        max_result_rows=1000,
        max_result_bytes=5000,
        service_allow_list=[allowed],
    ) as client:
        response = client.get("/sparql", headers={"Accept": "text/turtle"})
        graph = Graph().parse(data=response.text, format="turtle")
        service = graph.value(predicate=SD.endpoint, object=URIRef("http://testserver/sparql"))
        assert float(graph.value(service, UNKG.queryTimeout)) == 12.5
        assert graph.value(service, UNKG.maxResultRows) == Literal(1000)
        assert graph.value(service, UNKG.maxResultBytes) == Literal(5000)
        assert graph.value(service, UNKG.allowedService) == URIRef(allowed)
        assert (service, SD.feature, SD.BasicFederatedQuery) in graph


def test_a_body_over_the_request_limit_is_refused_and_writes_nothing(
    settings: Settings, store: OxigraphStore, tmp_path: Path
) -> None:
    tokens = TokenStore(tmp_path / "tokens.json")
    _, secret = tokens.create(name="Librarian", role="admin")
    limits = {"max_request_bytes": 2_000, "tokens_path": tokens.path}
    with _client(settings, store, **limits) as client:
        padded = "ASK {}" + " " * 3_000
        response = client.post(
            "/sparql", content=padded, headers={"Content-Type": "application/sparql-query"}
        )
        assert response.status_code == 413
        assert response.json()["error"] == "content_too_large"
        assert "limit of 2000 bytes" in response.json()["detail"]
        # Sent in chunks, without a Content-Length to refuse it by: counted as it arrives.
        chunks = (padded[i : i + 500].encode() for i in range(0, len(padded), 500))
        chunked = client.post("/sparql", content=chunks, headers={"Content-Type": "application/sparql-query"})
        assert chunked.status_code == 413 and chunked.json()["error"] == "content_too_large"
        assert client.post(
            "/sparql", content="ASK {}", headers={"Content-Type": "application/sparql-query"}
        ).json()["boolean"]
        # A graph sent by PUT over the limit: refused, and the graph is as it was.
        before = client.get(
            "/rdf-graph-store", params={"graph": "urn:g"}, headers={"Accept": "application/n-triples"}
        )
        big = _data(600)  # 600 triples, far over 2,000 bytes
        put = client.put(
            "/rdf-graph-store",
            params={"graph": "urn:g"},
            content=big,
            headers={"Content-Type": "application/n-triples", "Authorization": f"Bearer {secret}"},
        )
        assert put.status_code == 413
        after = client.get(
            "/rdf-graph-store", params={"graph": "urn:g"}, headers={"Accept": "application/n-triples"}
        )
        assert after.content == before.content
        description = Graph().parse(data=client.get("/sparql", headers={"Accept": "text/turtle"}).text)
        assert Literal(2_000) in set(description.objects(predicate=UNKG.maxRequestBytes))


def _entity_document(path: Path, declaration: str) -> Path:
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY secret {declaration}> ]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="urn:ex:">\n'
        '  <rdf:Description rdf:about="urn:ex:s"><ex:p>&secret;</ex:p></rdf:Description>\n'
        "</rdf:RDF>\n"
    )
    return path


def test_rdf_xml_input_never_expands_external_entities(tmp_path: Path, runner: CliRunner) -> None:
    from service.cli import app as cli

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    external = _entity_document(tmp_path / "external.rdf", f'SYSTEM "file://{secret}"')
    internal = _entity_document(tmp_path / "internal.rdf", '"inline-value"')
    store = ["--store-path", str(tmp_path / "store")]

    refused = runner.invoke(cli, [*store, "load", str(external), "--graph", "urn:g"])
    assert refused.exit_code == 1
    assert "nothing of" in refused.output and "was loaded" in refused.output
    # The same document with an entity of its own loads, the entity expanded: entities are read.
    assert runner.invoke(cli, [*store, "load", str(internal), "--graph", "urn:g"]).exit_code == 0
    dump = runner.invoke(cli, [*store, "dump", "--format", "nquads"]).output
    assert '<urn:ex:s> <urn:ex:p> "inline-value" <urn:g> .' in dump
    assert "TOP-SECRET" not in dump

    # rdflib, which validation and ingestion use, reads the external entity as empty text.
    graph = Graph().parse(external, format="xml")
    assert [str(value) for value in graph.objects()] == [""]
