"""Issue 15, points 4 and 5: bad input gets a 4xx naming what was wrong, never a 500, and RDF/XML never
expands entities nor is parsed on the event loop. Each test failed on the main of 2026-12-07."""

from __future__ import annotations

import gc
import importlib
import io
import sys
from collections.abc import Iterator
from pkgutil import iter_modules

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from service.app import create_app
from service.routers import __path__ as routers_path
from service.settings import Settings
from service.stores import OxigraphStore
from service.tokens import TokenStore
from tests.conftest import empty_remote_store

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
