"""Issue 15, point 5: what schemathesis found over /openapi.json (tests/test_openapi_fuzz.py), each case
through HTTP. Every answer must be one the document describes: its status, its content type and its
body; a document that cannot be built is a 500. Each test failed on the main of 2026-12-08."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from httpx2 import Response

from service.app import create_app
from service.stores import OxigraphStore
from service.tokens import TokenStore
from tests.curation.conftest import UNKG, a_wipo_status, quads, versions
from tests.ingest.conftest import ingest_settings
from tests.regressions.test_issue_15_input import snapshot

NOTES = "https://w3id.org/unkg/graph/notes"


@pytest.fixture(scope="module")
def tokens(tmp_path_factory: pytest.TempPathFactory) -> TokenStore:
    return TokenStore(tmp_path_factory.mktemp("var") / "tokens.json")


@pytest.fixture(scope="module")
def client(tokens: TokenStore) -> Iterator[TestClient]:
    """The app over the bundled data; no test here may change it (each asserts so)."""
    store = OxigraphStore()
    settings = ingest_settings().model_copy(update={"tokens_path": tokens.path})
    with TestClient(create_app(settings, store=store)) as test_client:
        yield test_client
    store.close()


@pytest.fixture(scope="module")
def admin(tokens: TokenStore) -> dict[str, str]:
    _, secret = tokens.create(name="An admin", role="admin")
    return {"Authorization": f"Bearer {secret}"}


def assert_documented(client: TestClient, method: str, template: str, response: Response) -> None:
    """`response` is one /openapi.json describes for `method` `template`: status, media type, body."""
    spec = client.get("/openapi.json").json()
    described = spec["paths"][template][method.lower()]["responses"]
    status = str(response.status_code)
    assert status in described, f"{status} is not documented for {method} {template}: {sorted(described)}"
    media_type = response.headers.get("content-type", "").split(";")[0]
    if media_type:
        assert media_type in described[status].get("content", {}), (media_type, described[status])
    operation = schemathesis.openapi.from_dict(spec)[template][method.upper()]
    operation.validate_response(response)


def test_the_openapi_document_is_served_and_each_operation_has_its_own_id(client: TestClient) -> None:
    """GET and HEAD on one route shared an operation id: FastAPI warns, which our pytest settings make
    an error, so /openapi.json failed (and the fuzzer could not load it)."""
    response = client.get("/openapi.json")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    ids = Counter(
        operation["operationId"]
        for operations in response.json()["paths"].values()
        for operation in operations.values()
    )
    assert [name for name, count in ids.items() if count > 1] == []
    for path in ("/rdf-graph-store", "/doc/{path}", "/dump.trig", "/dump.nq"):
        assert {"get", "head"} <= set(response.json()["paths"][path]), path


def test_a_parameter_of_the_wrong_type_is_422_in_the_body_the_document_describes(
    client: TestClient,
) -> None:
    """The document promised FastAPI's HTTPValidationError ({"detail": [...]}); we send our own."""
    response = client.get("/api/documents", params={"limit": "many"})
    assert response.status_code == 422
    body = response.json()
    assert (body["error"], body["parameter"]) == ("invalid_parameter", "limit")
    assert body["problems"][0]["in"] == "query" and body["detail"].startswith("limit: ")
    assert_documented(client, "GET", "/api/documents", response)
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert "HTTPValidationError" not in schemas


def test_a_changeset_that_breaks_the_shapes_is_422_with_an_error_code_and_detail_and_writes_nothing(
    client: TestClient, admin: dict[str, str]
) -> None:
    """The report had an "error" sentence and no "detail": not the error body every other 4xx has."""
    status, graph = a_wipo_status(client)
    before = snapshot(client.app.state.store)  # type: ignore[attr-defined]
    additions = f"<{status}> <{UNKG}acceptance> <https://w3id.org/unkg/id/acceptance-status/maybe> ."
    body = {"graph": graph, "message": "a mistake", "additions": additions}
    headers = {**admin, **versions(client, status), "Accept-Language": "en"}
    response = client.post("/api/changesets", json=body, headers=headers)
    assert response.status_code == 422, response.text
    report = response.json()
    assert report["error"] == "shapes_violated" and report["conforms"] is False
    assert report["detail"].startswith(f"the change breaks the shapes ({len(report['results'])} results)")
    assert "nothing was written" in report["detail"]
    assert_documented(client, "POST", "/api/changesets", response)
    assert snapshot(client.app.state.store) == before  # type: ignore[attr-defined]


# (method, URL, request options, the route's template, status, error code or None)
FOUND: list[tuple[str, str, dict[str, Any], str, int, str | None]] = [
    ("GET", "/symbol/0", {}, "/symbol/{symbol}", 404, "not_found"),
    ("GET", "/ontology0", {}, "/ontology{suffix}", 404, "not_found"),
    ("GET", "/doc/I%01x", {}, "/doc/{path}", 400, "invalid_iri"),
    ("HEAD", "/doc/I%01x", {}, "/doc/{path}", 400, None),
    ("GET", "/id/%0AX", {}, "/id/{path}", 404, "not_found"),
    ("GET", "/id/body/wipo", {"follow_redirects": False}, "/id/{path}", 303, None),
    ("GET", "/context.jsonld", {}, "/context.jsonld", 200, None),
    ("GET", "/api/context.jsonld", {}, "/api/context.jsonld", 200, None),
    ("GET", "/sparql?format=html", {}, "/sparql", 200, None),
    ("GET", "/sparql?query=SELEKT", {}, "/sparql", 400, "query_syntax"),
    (
        "GET",
        "/sparql?query=ASK{}",
        {"headers": {"Authorization": "Bearer x"}},
        "/sparql",
        401,
        "unauthorized",
    ),
    (
        "PUT",
        "/api/graphs/settings?graph=",
        {"json": {"reviewRequired": False}},
        "/api/graphs/settings",
        400,
        "invalid_iri",
    ),
    (
        "POST",
        "/api/changesets/x/revert",
        {"content": b"\xff{", "headers": {"Content-Type": "application/json"}},
        "/api/changesets/{id}/revert",
        400,
        "bad_request",
    ),
    ("DELETE", f"/rdf-graph-store?graph={NOTES}", {}, "/rdf-graph-store", 404, "not_found"),
    (
        "POST",
        "/sparql",
        {"content": b"ASK {", "headers": {"Content-Type": "application/sparql-query"}},
        "/sparql",
        400,
        "query_syntax",
    ),
    (
        "PUT",
        f"/rdf-graph-store?graph={NOTES}",
        {"content": b"<a> <b", "headers": {"Content-Type": "text/turtle"}},
        "/rdf-graph-store",
        400,
        "rdf_syntax",
    ),
]


@pytest.mark.parametrize(("method", "url", "options", "template", "status", "error"), FOUND)
def test_what_the_fuzzer_received_is_answered_as_the_document_says(
    client: TestClient,
    admin: dict[str, str],
    method: str,
    url: str,
    options: dict[str, Any],
    template: str,
    status: int,
    error: str | None,
) -> None:
    before = snapshot(client.app.state.store)  # type: ignore[attr-defined]
    headers = {**admin, **options.pop("headers", {})}
    response = client.request(method, url, headers=headers, **options)
    assert response.status_code == status, response.text
    if error is not None:
        assert response.json()["error"] == error and response.json()["detail"]
    assert_documented(client, method, template, response)
    assert snapshot(client.app.state.store) == before  # type: ignore[attr-defined]
    assert quads(client) > 0
