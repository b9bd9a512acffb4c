"""Issue 15, points 4 and 5: bad input gets a 4xx naming what was wrong, never a 500, and RDF/XML never
expands entities nor is parsed on the event loop. Each test failed on the main of 2026-12-07."""

from __future__ import annotations

import gc
import importlib
import io
import json
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pkgutil import iter_modules

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from httpx2 import Response

from service.app import create_app
from service.routers import __path__ as routers_path
from service.settings import Settings
from service.stores import OxigraphStore
from service.tokens import TokenStore
from tests.conftest import ROOT, empty_remote_store

NOTES = "https://w3id.org/unkg/graph/notes"
NOTE = "https://w3id.org/unkg/id/note/1"
COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
UPDATE = {"Content-Type": "application/sparql-update"}
TERM_LIMIT = "a literal may hold at most 16 MiB (an IRI or a comment too)"
MAX_OFFSET = 2**53 - 1


@pytest.fixture
def tokens(tmp_path_factory: pytest.TempPathFactory) -> TokenStore:
    return TokenStore(tmp_path_factory.mktemp("var") / "tokens.json")


@pytest.fixture
def app(settings: Settings, store: OxigraphStore, tokens: TokenStore) -> FastAPI:
    return create_app(settings.model_copy(update={"tokens_path": tokens.path}), store=store)


def bearer(tokens: TokenStore, role: str) -> dict[str, str]:
    _, secret = tokens.create(name=f"A {role}", role=role)  # type: ignore[arg-type]
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def curator(tokens: TokenStore) -> dict[str, str]:
    return bearer(tokens, "curator")


@pytest.fixture
def admin(tokens: TokenStore) -> dict[str, str]:
    """Writes a graph the service does not know yet (a curator may only change existing ones)."""
    return bearer(tokens, "admin")


def put_notes(client: TestClient, body: bytes | str, *, media_type: str, token: dict[str, str]) -> Response:
    """PUT `body` as the graph of notes (Graph Store Protocol)."""
    content = body.encode() if isinstance(body, str) else body
    headers = {**token, "Content-Type": media_type}
    return client.put("/rdf-graph-store", params={"graph": NOTES}, content=content, headers=headers)


def snapshot(store: OxigraphStore) -> set[bytes]:
    """Every quad of the store, the service's own graphs (history, versions) included."""
    output = io.BytesIO()
    store.dump(output, media_type="application/n-quads")
    return set(output.getvalue().splitlines())


# Offsets and limits


def query_parameters(dependant: Dependant) -> set[str]:
    """The query parameters of a route, its dependencies' included."""
    names = {parameter.name for parameter in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= query_parameters(dependency)
    return names


def paged_paths() -> list[str]:
    """Every GET route of our routers with an `offset` query parameter."""
    routers = [
        importlib.import_module(f"service.routers.{module.name}") for module in iter_modules(routers_path)
    ]
    return sorted(
        route.path
        for router in routers
        for route in getattr(router, "router", APIRouter()).routes
        if isinstance(route, APIRoute)
        and "GET" in route.methods
        and "offset" in query_parameters(route.dependant)
    )


def test_every_paged_list_refuses_an_offset_json_cannot_keep_exact_with_422_naming_offset_and_the_limit(
    client: TestClient,
) -> None:
    paths = paged_paths()
    lists = ["/api/bodies", "/api/changesets", "/api/documents", "/api/networks", "/api/recommendations"]
    assert paths == sorted([*lists, "/api/search"])
    for path in paths:
        given = {"q": "wipo"} if path == "/api/search" else {}
        for offset in ("100000000000000000000", str(2**64), str(MAX_OFFSET + 1)):
            response = client.get(path, params={**given, "offset": offset})
            assert response.status_code == 422, (path, offset, response.text)
            body = response.json()
            assert (body["error"], body["parameter"]) == ("invalid_parameter", "offset")
            assert body["detail"] == f"offset: Input should be less than or equal to {MAX_OFFSET}"
        for limit in ("100000000000000000000", "501"):
            response = client.get(path, params={**given, "limit": limit})
            assert response.status_code == 422, (path, limit, response.text)
            assert response.json()["detail"] == "limit: Input should be less than or equal to 500"
        # The largest offset is answered: a page past the end, empty.
        last = client.get(path, params={**given, "offset": str(MAX_OFFSET)})
        assert last.status_code == 200, (path, last.text)
        page = last.json()
        assert (page["offset"], page["items"], page["next"]) == (MAX_OFFSET, [], None)


# Paths whose bytes make no IRI


@pytest.mark.parametrize(
    ("path", "resource"),
    [
        ("/doc/%FF%FE", "\ufffd\ufffd"),
        ("/id/%FF%FE", "\ufffd\ufffd"),
        ("/doc/%FF%FE.ttl", "\ufffd\ufffd"),
        ("/doc/body/%00", "body/\x00"),
        ("/doc/%ED%A0%80", "\ufffd\ufffd\ufffd"),
        ("/doc/body/%25zz", "body/%zz"),
        ("/doc/%5B%5D", "[]"),
    ],
)
def test_a_resource_path_that_makes_no_iri_is_400_in_the_users_terms_without_query_text(
    client: TestClient, path: str, resource: str
) -> None:
    response = client.get(path)  # /id/… follows its 303 to /doc/…
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "invalid_iri"
    assert body["detail"].startswith(f"not an absolute IRI: {'https://w3id.org/unkg/id/' + resource!r} (")
    for query_text in ("CONSTRUCT", "SELECT", "WHERE", "error at", "expected"):
        assert query_text not in body["detail"]


@pytest.mark.parametrize("graph", ["http://x:port/g", "https://w3id.org/unkg/graph/%zz", "urn:\ufffd"])
def test_a_graph_parameter_that_is_no_iri_is_400_in_the_users_terms(client: TestClient, graph: str) -> None:
    response = client.get("/rdf-graph-store", params={"graph": graph})
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "invalid_iri"
    assert body["detail"].startswith(f"not an absolute IRI: {graph!r} (")
    assert "error at" not in body["detail"]


# An update with no operation


@pytest.mark.parametrize("update", ["", "  # nothing to do\n", "PREFIX dct: <http://purl.org/dc/terms/>"])
def test_an_update_without_an_operation_is_a_valid_update_that_changes_nothing(
    client: TestClient, store: OxigraphStore, curator: dict[str, str], update: str
) -> None:
    before = snapshot(store)
    direct = client.post("/sparql", content=update.encode(), headers={**UPDATE, **curator})
    assert (direct.status_code, direct.content) == (204, b"")
    form = client.post("/sparql", data={"update": update}, headers=curator)
    assert (form.status_code, form.content) == (204, b"")
    assert client.post("/sparql", content=update.encode(), headers=UPDATE).status_code == 401
    assert snapshot(store) == before


# Literals over what pyoxigraph's parsers hold (16 MiB)

BIG = "x" * ((16 << 20) + 1)
NS = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#"'
BIG_BODIES = {
    "application/n-triples": f'<{NOTE}> <{COMMENT}> "{BIG}" .\n',
    "text/turtle": f'<{NOTE}> <{COMMENT}> """{BIG}""" .\n',
    "application/ld+json": json.dumps({"@id": NOTE, COMMENT: BIG}),
    # RDF/XML's parser takes it: refused all the same, before it is written.
    "application/rdf+xml": f'<rdf:RDF {NS}><rdf:Description rdf:about="{NOTE}">'
    f"<rdfs:comment>{BIG}</rdfs:comment></rdf:Description></rdf:RDF>",
}
TOO_LARGE = {"error": "term_too_large", "detail": TERM_LIMIT}


@pytest.mark.parametrize("media_type", BIG_BODIES)
def test_a_graph_store_put_with_a_literal_over_16_mib_is_400_naming_the_limit_and_writes_nothing(
    client: TestClient, store: OxigraphStore, admin: dict[str, str], media_type: str
) -> None:
    before = snapshot(store)
    response = put_notes(client, BIG_BODIES[media_type], media_type=media_type, token=admin)
    assert (response.status_code, response.json()) == (400, TOO_LARGE)
    assert snapshot(store) == before


def test_a_changeset_or_update_with_a_literal_over_16_mib_is_400_naming_the_limit_and_writes_nothing(
    client: TestClient, store: OxigraphStore, admin: dict[str, str]
) -> None:
    before = snapshot(store)
    added = client.post(
        "/rdf-graph-store",
        params={"graph": NOTES},
        content=BIG_BODIES["application/n-triples"].encode(),
        headers={**admin, "Content-Type": "application/n-triples"},
    )
    assert (added.status_code, added.json()) == (400, TOO_LARGE)
    for format in ("application/n-triples", "text/turtle", "application/ld+json"):
        changeset = {"graph": NOTES, "message": "big", "format": format, "additions": BIG_BODIES[format]}
        response = client.post("/api/changesets", json=changeset, headers=admin)
        assert (response.status_code, response.json()) == (400, TOO_LARGE), format
    # SPARQL's parser takes it: refused all the same, before it is written.
    update = f'INSERT DATA {{ GRAPH <{NOTES}> {{ <{NOTE}> <{COMMENT}> "{BIG}" }} }}'
    response = client.post("/sparql", content=update.encode(), headers={**UPDATE, **admin})
    assert (response.status_code, response.json()) == (400, TOO_LARGE)
    assert snapshot(store) == before


def test_a_change_the_history_could_not_give_back_is_400_and_writes_nothing(
    client: TestClient, store: OxigraphStore, admin: dict[str, str]
) -> None:
    """Each literal under 16 MiB, but the history keeps the change as one literal, its RDF Patch: over
    16 MiB, every list of changesets would have failed from then on (500)."""
    before = snapshot(store)
    half = "y" * (9 << 20)
    body = f'<{NOTE}> <{COMMENT}> "{half}" .\n<{NOTE}> <{COMMENT}> "{half}z" .\n'
    response = put_notes(client, body, media_type="application/n-triples", token=admin)
    assert response.status_code == 400, response.text[:300]
    assert response.json() == {
        "error": "term_too_large",
        "detail": f"the history keeps a change as one literal, its RDF Patch, and {TERM_LIMIT}: this "
        "change's takes 18.0 MiB; send it in parts",
    }
    # 9 MiB of newlines take 18 written out (each escaped), which is what the parsers measure.
    lines = "\n" * (9 << 20)
    update = f'INSERT DATA {{ GRAPH <{NOTES}> {{ <{NOTE}> <{COMMENT}> """{lines}""" }} }}'
    response = client.post("/sparql", content=update.encode(), headers={**UPDATE, **admin})
    assert (response.status_code, response.json()) == (400, TOO_LARGE)
    message = {"graph": NOTES, "message": BIG, "additions": f'<{NOTE}> <{COMMENT}> "small" .'}
    response = client.post("/api/changesets", json=message, headers=admin)
    assert (response.status_code, response.json()) == (400, {**TOO_LARGE, "detail": f"message: {TERM_LIMIT}"})
    assert snapshot(store) == before
    assert client.get("/api/changesets").status_code == 200


def test_a_rejection_whose_reason_is_over_16_mib_is_400_and_the_changeset_stays_submitted(
    client: TestClient,
    store: OxigraphStore,
    tokens: TokenStore,
    admin: dict[str, str],
    curator: dict[str, str],
) -> None:
    note = f'<{NOTE}> <{COMMENT}> "kept" .\n'
    put = put_notes(client, note, media_type="application/n-triples", token=admin)
    assert put.status_code == 201, put.text
    review = client.put(
        "/api/graphs/settings", params={"graph": NOTES}, json={"reviewRequired": True}, headers=admin
    )
    assert review.status_code == 200, review.text
    second = f'<{NOTE}2> <{COMMENT}> "waits" .'
    submitted = client.post(
        "/api/changesets", json={"graph": NOTES, "message": "m", "additions": second}, headers=curator
    )
    assert submitted.status_code == 202, submitted.text
    url = f"/api/changesets/{submitted.json()['id']}"
    reviewer = bearer(tokens, "reviewer")
    before = snapshot(store)
    response = client.post(f"{url}/reject", json={"reason": BIG}, headers=reviewer)
    assert (response.status_code, response.json()) == (400, {**TOO_LARGE, "detail": f"reason: {TERM_LIMIT}"})
    assert snapshot(store) == before
    assert client.get(url).json()["status"] == "submitted"
    assert client.post(f"{url}/reject", json={"reason": "too long"}, headers=reviewer).status_code == 200


# RDF/XML: entities are never expanded, and parsing is off the event loop

RDF_XML = "application/rdf+xml"


def billion_laughs(levels: int = 7, *, before_doctype: str = "") -> bytes:
    """Entities nested `levels` deep, ten of the previous in each: 40 × 10^levels characters expanded
    (7 levels: 400 MB, which took pyoxigraph 2.7 s and 1.6 GB; 8 levels of 20: 28 s and 7.9 GB)."""
    entities = [f'<!ENTITY e0 "{"lo" * 20}">'] + [
        f'<!ENTITY e{level} "' + f"&e{level - 1};" * 10 + '">' for level in range(1, levels + 1)
    ]
    return (
        f'<?xml version="1.0"?>\n{before_doctype}<!DOCTYPE rdf:RDF [\n'
        + "\n".join(entities)
        + f"\n]>\n<rdf:RDF {NS}>"
        + f'<rdf:Description rdf:about="{NOTE}"><rdfs:comment>&e{levels};</rdfs:comment></rdf:Description>'
        + "</rdf:RDF>\n"
    ).encode()


def test_rdf_xml_with_a_doctype_is_400_naming_it_unexpanded_and_nothing_is_written(
    client: TestClient, store: OxigraphStore, curator: dict[str, str]
) -> None:
    body = billion_laughs()
    assert len(body) < 1024
    before = snapshot(store)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB
    for method in ("PUT", "POST"):
        started = time.monotonic()
        response = client.request(
            method,
            "/rdf-graph-store",
            params={"graph": NOTES},
            content=body,
            headers={**curator, "Content-Type": RDF_XML},
        )
        assert time.monotonic() - started < 2
        assert response.status_code == 400, response.text[:300]
        assert response.json() == {
            "error": "rdf_syntax",
            "detail": "line 2, column 19: RDF/XML with a DOCTYPE is refused: the entities it declares are "
            "not expanded here; send the document without it (IRIs and text written out)",
        }
    # Expanded, the entity alone would have taken 400 MB.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak < 100_000
    assert snapshot(store) == before


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        # pyoxigraph takes a DOCTYPE in lower case, or after the root element, and expands it there.
        (
            billion_laughs().replace(b"<!DOCTYPE", b"<!doctype"),
            "line 2, column 1: not well-formed XML: syntax error",
        ),
        (
            f'<rdf:RDF {NS}><!DOCTYPE x [<!ENTITY e "e">]><rdf:Description rdf:about="{NOTE}">'
            "<rdfs:comment>&e;</rdfs:comment></rdf:Description></rdf:RDF>".encode(),
            "line 1, column 119: not well-formed XML: not well-formed (invalid token)",
        ),
        (
            billion_laughs().decode().replace('"1.0"', '"1.0" encoding="UTF-16"').encode("utf-16"),
            "line 2, column 19: RDF/XML with a DOCTYPE is refused",
        ),
        (
            billion_laughs(1).replace(b'"lolololololololololo"', b'SYSTEM "file:///etc/hostname"'),
            "line 2, column 19: RDF/XML with a DOCTYPE is refused",
        ),
    ],
    ids=["lower-case", "after-the-root", "utf-16", "external"],
)
def test_a_doctype_however_written_is_refused_before_any_rdf_xml_parser_reads_it(
    client: TestClient, store: OxigraphStore, curator: dict[str, str], body: bytes, detail: str
) -> None:
    before = snapshot(store)
    response = put_notes(client, body, media_type=RDF_XML, token=curator)
    assert response.status_code == 400, response.text[:300]
    assert response.json()["error"] == "rdf_syntax"
    assert response.json()["detail"].startswith(detail)
    assert snapshot(store) == before


def test_health_answers_promptly_while_a_large_rdf_xml_body_is_being_refused(
    client: TestClient, store: OxigraphStore, curator: dict[str, str]
) -> None:
    """A 24 MiB comment before the DOCTYPE: reading up to it takes a while, in a worker thread, while
    the event loop answers /health. (On the main of 2026-12-07 the body was parsed in the async
    handler: /health waited for the whole expansion.)"""
    body = billion_laughs(before_doctype="<!--" + "c" * (24 << 20) + "-->\n")
    before = snapshot(store)
    answered: dict[str, Response] = {}
    done = threading.Event()

    def put() -> None:
        answered["put"] = put_notes(client, body, media_type=RDF_XML, token=curator)
        done.set()

    writer = threading.Thread(target=put)
    writer.start()
    waits, during = [], 0
    while not done.is_set():
        started = time.monotonic()
        health = client.get("/health")
        waits.append(time.monotonic() - started)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        during += not done.is_set()
    writer.join()
    assert max(waits) < 1, waits
    assert during >= 2, waits
    response = answered["put"]
    assert response.status_code == 400
    assert "RDF/XML with a DOCTYPE is refused" in response.json()["detail"]
    assert snapshot(store) == before


# Nesting that pyoxigraph's parsers cannot take


def nested_json_ld(depth: int) -> bytes:
    return ('{"@id": "urn:ex:a", "urn:ex:p": ' * depth + '"x"' + "}" * depth).encode()


def nested_rdf_xml(depth: int) -> bytes:
    """`depth` elements deep, the root counted (an odd number): a node in a property in a node…"""
    levels = (depth - 1) // 2
    return (
        f"<rdf:RDF {NS}>"
        + '<rdf:Description rdf:about="urn:ex:a"><rdfs:seeAlso>' * levels
        + "</rdfs:seeAlso></rdf:Description>" * levels
        + "</rdf:RDF>"
    ).encode()


JSON_LD = "application/ld+json"
TOO_DEEP_JSON = {
    "error": "rdf_syntax",
    "detail": "JSON-LD nested deeper than 100 arrays and objects is refused",
}


def test_json_ld_nested_deeper_than_100_is_400_naming_the_limit_and_nothing_is_written(
    client: TestClient, store: OxigraphStore, curator: dict[str, str]
) -> None:
    """3,000 nested objects took pyoxigraph 1.1 s; 5,000 overflow its stack (next test)."""
    before = snapshot(store)
    for depth in (101, 3000):
        started = time.monotonic()
        response = put_notes(client, nested_json_ld(depth), media_type=JSON_LD, token=curator)
        assert time.monotonic() - started < 0.5
        assert (response.status_code, response.json()) == (400, TOO_DEEP_JSON), depth
        changeset = {
            "graph": NOTES,
            "message": "deep",
            "format": "application/ld+json",
            "additions": nested_json_ld(depth).decode(),
        }
        response = client.post("/api/changesets", json=changeset, headers=curator)
        assert response.status_code == 422, depth
        assert response.json()["detail"] == f"additions: does not parse: {TOO_DEEP_JSON['detail']}"
    # 100 deep is read: the graph does not exist, which is what a curator is told next.
    response = put_notes(client, nested_json_ld(100), media_type=JSON_LD, token=curator)
    assert response.status_code == 422 and response.json()["parameter"] == "graph", response.text
    assert snapshot(store) == before


CRASH = """
import sys
from pathlib import Path
from fastapi.testclient import TestClient
from service.app import create_app
from service.settings import IN_MEMORY, Settings
from service.stores import OxigraphStore
from service.tokens import TokenStore
from tests.conftest import ROOT
from tests.regressions.test_issue_15_input import nested_json_ld

tokens = TokenStore(Path(sys.argv[1]))
_, secret = tokens.create(name="A curator", role="curator")
settings = Settings(
    store_path=IN_MEMORY, ontology_path=ROOT / "ontology", shapes_path=ROOT / "shapes",
    data_path=ROOT / "nothing", queries_path=ROOT / "queries", tokens_path=tokens.path,
)
with TestClient(create_app(settings, store=OxigraphStore())) as client:
    response = client.put(
        "/rdf-graph-store", params={"graph": "urn:ex:g"}, content=nested_json_ld(5000),
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/ld+json"},
    )
    print(response.status_code, response.json()["detail"])
"""


def test_json_ld_that_would_overflow_the_parsers_stack_is_refused_and_the_process_lives(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """In a process of its own: on the main of 2026-12-07 it died of SIGSEGV (a 135 KB body)."""
    tokens = tmp_path_factory.mktemp("crash") / "tokens.json"
    done = subprocess.run(
        [sys.executable, "-c", CRASH, str(tokens)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == f"400 {TOO_DEEP_JSON['detail']}"


def test_rdf_xml_nested_deeper_than_100_elements_is_400_naming_the_limit_and_nothing_is_written(
    client: TestClient, store: OxigraphStore, curator: dict[str, str]
) -> None:
    """30,000 elements deep took pyoxigraph 6.5 s, 100,000 over two minutes (the square of the depth)."""
    before = snapshot(store)
    for depth in (101, 30001):
        started = time.monotonic()
        response = put_notes(client, nested_rdf_xml(depth), media_type=RDF_XML, token=curator)
        assert time.monotonic() - started < 1
        assert response.status_code == 400, response.text[:300]
        assert response.json() == {
            "error": "rdf_syntax",
            "detail": "line 1, column 2703: RDF/XML nested deeper than 100 elements is refused",
        }
    # 99 deep is read: the graph does not exist, which is what a curator is told next.
    response = put_notes(client, nested_rdf_xml(99), media_type=RDF_XML, token=curator)
    assert response.status_code == 422 and response.json()["parameter"] == "graph", response.text
    assert snapshot(store) == before


# Text rdflib takes and the engine would not


@pytest.mark.parametrize(
    "body",
    [
        f"<< <{NOTE}> <{COMMENT}> <{NOTE}> >> <{COMMENT}> <{NOTE}> .",
        f"<{NOTE}> <{COMMENT}> <{NOTE}> {{| <{COMMENT}> <{NOTE}> |}} .",
        f"<{NOTE}> <{COMMENT}> <<( <{NOTE}> <{COMMENT}> <{NOTE}> )>> .",
    ],
    ids=["reified", "annotation", "triple-term"],
)
def test_a_triple_term_is_refused_naming_it_and_nothing_is_written(
    client: TestClient, store: OxigraphStore, admin: dict[str, str], body: str
) -> None:
    """pyoxigraph reads RDF 1.2 triple terms, which nothing after it can write: it was a 500."""
    before = snapshot(store)
    refused = "a triple term (<< … >>, RDF 1.2) is not taken here: send RDF 1.1 triples"
    response = put_notes(client, body, media_type="text/turtle", token=admin)
    assert (response.status_code, response.json()) == (400, {"error": "rdf_syntax", "detail": refused})
    changeset = {"graph": NOTES, "message": "m", "additions": body}
    response = client.post("/api/changesets", json=changeset, headers=admin)
    assert response.status_code == 422
    assert response.json()["detail"] == f"additions: does not parse: {refused}"
    assert snapshot(store) == before


@pytest.mark.parametrize(
    ("value", "error", "detail"),
    [
        ('"\\ud800"', "rdf_syntax", "not Unicode text: '\\ud800' (surrogates not allowed)"),
        (f'"x"@{"a" * 300}', "rdf_syntax", f"not a language tag: '{'a' * 300}' (A subtag may be eight "),
        ('"x"^^<urn:\\ud800>', "invalid_iri", "not an IRI: 'urn:\\ud800' ('utf-8' codec can't encode"),
    ],
    ids=["lone-surrogate", "language-tag", "datatype"],
)
def test_an_update_with_a_literal_the_engine_refuses_is_400_in_the_users_terms(
    client: TestClient, store: OxigraphStore, admin: dict[str, str], value: str, error: str, detail: str
) -> None:
    """A 500, or a 400 quoting the text of the update the service wrote ("error at 1:366")."""
    before = snapshot(store)
    update = f"INSERT DATA {{ GRAPH <{NOTES}> {{ <{NOTE}> <{COMMENT}> {value} }} }}"
    response = client.post("/sparql", content=update.encode(), headers={**UPDATE, **admin})
    assert response.status_code == 400, response.text[:300]
    assert response.json()["error"] == error
    assert response.json()["detail"].startswith(detail)
    assert snapshot(store) == before


def test_a_changeset_with_a_lone_surrogate_is_422_naming_the_field_and_nothing_is_written(
    client: TestClient, store: OxigraphStore, admin: dict[str, str]
) -> None:
    """JSON may escape half a character ("\\ud800"); such text encoded to UTF-8 was a 500."""
    before = snapshot(store)
    note = f'<{NOTE}> <{COMMENT}> "x" .'
    for field, changeset in (
        ("graph", {"graph": "urn:\ud800", "message": "m", "additions": note}),
        ("additions", {"graph": NOTES, "message": "m", "additions": note.replace('"x"', '"\ud800"')}),
    ):
        content = json.dumps(changeset).encode()
        response = client.post(
            "/api/changesets", content=content, headers={**admin, "Content-Type": "application/json"}
        )
        assert response.status_code == 422, response.text[:300]
        assert response.json()["parameter"] == field
    assert snapshot(store) == before


# A resource with a blank node as a value


def test_a_resource_with_a_blank_node_value_is_described_and_changed_with_its_etag(
    client: TestClient, store: OxigraphStore, admin: dict[str, str]
) -> None:
    """Its version hashed its statements through the query writer, which has no text for a blank node:
    /doc/… and every changeset touching it were 400 ("cannot write BNode(…) into a query")."""
    see_also = "http://www.w3.org/2000/01/rdf-schema#seeAlso"
    body = f'<{NOTE}> <{see_also}> [ <{COMMENT}> "a blank node" ] .'
    put = put_notes(client, body, media_type="text/turtle", token=admin)
    assert put.status_code == 201, put.text
    for accept in ("text/turtle", "text/html"):
        described = client.get("/doc/note/1", headers={"Accept": accept})
        assert described.status_code == 200, described.text[:300]
        assert described.headers["content-type"].startswith(accept)
    etag = described.headers["etag"]
    addition = f'<{NOTE}> <{COMMENT}> "changed" .'
    changeset = {"graph": NOTES, "message": "m", "additions": addition}
    response = client.post("/api/changesets", json=changeset, headers={**admin, "If-Match": etag})
    assert response.status_code == 201, response.text
    assert response.json()["touches"] == [NOTE]
    again = client.post(
        "/api/changesets",
        json={**changeset, "additions": f'<{NOTE}> <{COMMENT}> "again" .'},
        headers={**admin, "If-Match": etag},
    )
    assert again.status_code == 412, again.text


# A remote store's 406


@pytest.fixture
def remote_client(settings: Settings, oxigraph_server: str) -> Iterator[TestClient]:
    store = empty_remote_store(oxigraph_server)
    with TestClient(create_app(settings, store=store)) as client:
        yield client
    store.close()


@pytest.mark.parametrize(
    ("query", "offered"),
    [
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3", "text/turtle, application/n-triples, application/ld+json"),
        (
            "SELECT * WHERE { ?s ?p ?o } LIMIT 3",
            "application/sparql-results+json, application/sparql-results+xml",
        ),
        ("ASK { ?s ?p ?o }", "application/sparql-results+json, application/sparql-results+xml"),
    ],
)
def test_an_unacceptable_accept_over_a_remote_store_is_406_listing_what_is_offered(
    remote_client: TestClient, monkeypatch: pytest.MonkeyPatch, query: str, offered: str
) -> None:
    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    response = remote_client.get("/sparql", params={"query": query}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    body = response.json()
    assert body["error"] == "not_acceptable"
    assert body["detail"].startswith(f"acceptable media types are: {offered}")
    gc.collect()
    # pyoxigraph's results were dropped on the worker thread that made them, not on the event loop's.
    assert unraisable == []
