"""HTTP conventions every route keeps: HEAD wherever GET is, gzip for clients that accept it (with
conditional requests still working), and unknown query parameters refused by name."""

from __future__ import annotations

import gzip

import anyio
import pytest
from fastapi.testclient import TestClient

from tests.conftest import vary

GETS = [
    "/",
    "/health",
    "/api/recommendations?organization=wipo",
    "/api/bodies/wipo",
    "/sparql?query=ASK%20%7B%7D",
    "/.well-known/void",
    "/ontology",
    "/context.jsonld",
    "/symbol/A/RES/71/243",
    "/id/body/wipo",
    "/doc/body/wipo",
    "/dump.nq",
]
IDENTITY = {"Accept-Encoding": "identity"}


@pytest.mark.parametrize("url", GETS)
def test_every_get_answers_head_with_its_status_and_headers_and_no_body(
    bundled: TestClient, url: str
) -> None:
    got = bundled.get(url, follow_redirects=False, headers=IDENTITY)
    head = bundled.head(url, follow_redirects=False, headers=IDENTITY)
    assert head.status_code == got.status_code != 405
    assert head.content == b""
    for name in ("content-type", "content-length", "etag", "location", "vary", "last-modified"):
        assert head.headers.get(name) == got.headers.get(name), name


def test_head_is_still_refused_where_get_is(bundled: TestClient) -> None:
    response = bundled.head("/api/changesets/1/revert")
    assert response.status_code == 405 and "POST" in response.headers["allow"]


def test_answers_are_gzipped_for_clients_that_accept_it_and_304_works_in_either_encoding(
    bundled: TestClient,
) -> None:
    url = "/api/recommendations?organization=wipo"
    plain = bundled.get(url, headers=IDENTITY)
    # httpx would decode the body itself; read the bytes as they came.
    with bundled.stream("GET", url, headers={"Accept-Encoding": "gzip"}) as zipped:
        raw = b"".join(zipped.iter_raw())
        headers = zipped.headers
    assert "content-encoding" not in plain.headers
    assert headers["content-encoding"] == "gzip" and "Accept-Encoding" in vary(zipped)
    assert gzip.decompress(raw) == plain.content and len(raw) * 3 < len(plain.content)
    # Two encodings are two representations: two strong ETags, each good for its own 304.
    assert headers["etag"] == plain.headers["etag"][:-1] + '-gzip"'
    again = bundled.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": headers["etag"]})
    assert again.status_code == 304 and again.headers["etag"] == headers["etag"]
    again = bundled.get(url, headers={**IDENTITY, "If-None-Match": plain.headers["etag"]})
    assert again.status_code == 304 and again.headers["etag"] == plain.headers["etag"]


def test_a_misspelled_query_parameter_is_refused_naming_it_and_the_accepted_ones(bundled: TestClient) -> None:
    response = bundled.get("/api/recommendations?organisation=wipo")
    assert response.status_code == 422
    body = response.json()
    assert body["parameter"] == "organisation"
    assert "organization" in body["allowed"] and "limit" in body["allowed"]
    assert "organisation" in body["detail"]


def test_a_route_without_query_parameters_refuses_any(bundled: TestClient) -> None:
    response = bundled.get("/health?verbose=1")
    assert response.status_code == 422
    assert response.json()["parameter"] == "verbose"
    assert "takes none" in response.json()["detail"]


def test_declared_parameters_and_next_links_still_work(bundled: TestClient) -> None:
    first = bundled.get("/api/recommendations?organization=wipo&limit=2").json()
    assert first["next"] and "organisation" not in first["next"]
    assert bundled.get(first["next"]).status_code == 200


def test_a_body_that_is_not_json_is_a_400_naming_where_it_breaks(bundled: TestClient) -> None:
    response = bundled.post(
        "/api/changesets", content=b'{"graph":\n  "x", ', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["parameter"] == "body"
    assert response.json()["detail"].startswith("the body is not valid JSON")
    assert "line 2, column" in response.json()["detail"]


def test_a_sparql_post_without_content_type_says_which_to_send(bundled: TestClient) -> None:
    response = bundled.post("/sparql", content=b"ASK {}", headers={"Content-Type": ""})
    assert response.status_code == 415
    detail = response.json()["detail"]
    assert "the request had no Content-Type" in detail and "application/sparql-query" in detail
    assert "not no" not in detail


def test_a_request_without_a_token_is_told_how_to_send_one_and_not_a_role_any_token_has(
    bundled: TestClient,
) -> None:
    me = bundled.get("/api/me")
    assert me.status_code == 401 and me.headers["www-authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in me.json()["detail"] and "curator" not in me.json()["detail"]
    tokens = bundled.get("/api/tokens")
    assert tokens.status_code == 401 and "admin" in tokens.json()["detail"]


def test_a_conditional_header_that_is_not_utf8_is_no_server_error() -> None:
    """Header values are bytes of any kind; the test client re-encodes them, so the server's own
    middleware is called as a server calls it."""
    from starlette.responses import Response

    from service.conventions import Compressed

    sent: list[dict[str, object]] = []

    async def app(scope: dict[str, object], receive: object, send: object) -> None:
        await Response(b"x" * 2000, headers={"ETag": '"abc"'})(scope, receive, send)  # type: ignore[arg-type]

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b""}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "raw_path": b"/",
        "query_string": b"",
        "headers": [(b"accept-encoding", b"gzip"), (b"if-none-match", b'"\xff\xfe-gzip"')],
    }
    anyio.run(Compressed(app), scope, receive, send)  # type: ignore[arg-type]
    assert sent[0]["status"] == 200
    assert (b"etag", b'"abc-gzip"') in sent[0]["headers"]  # type: ignore[operator]
