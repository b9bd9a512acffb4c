"""What RemoteStore sends, and how it translates what a real server will not do on demand."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from pydantic import SecretStr

from service.errors import QuerySyntaxError, RdfSyntaxError, StoreTimeout, StoreUnavailable
from service.settings import Settings
from service.stores import RemoteStore, open_store
from tests.conftest import free_port


def remote(handler: Callable[[httpx.Request], httpx.Response], *, graph_store: bool = True) -> RemoteStore:
    return RemoteStore(
        httpx.Client(transport=httpx.MockTransport(handler)),
        query_url="http://sparql.test/query",
        update_url="http://sparql.test/update",
        graph_store_url="http://sparql.test/store" if graph_store else None,
    )


def test_query_is_posted_as_sparql_query_with_dataset_parameters_and_answered_as_accepted() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200,
            content=b'{"head":{"vars":[]},"results":{"bindings":[]}}',
            headers={"Content-Type": "application/sparql-results+json; charset=utf-8"},
        )

    result = remote(handler).query(
        "SELECT * WHERE { ?s ?p ?o }",
        accept="text/csv",
        default_graphs=["urn:g1"],
        named_graphs=["urn:g2"],
    )
    (request,) = seen
    assert request.method == "POST"
    assert request.headers["content-type"] == "application/sparql-query"
    # Results come back as JSON (or N-Triples) and are written here in what the client accepts.
    assert request.headers["accept"] == "application/sparql-results+json, application/n-triples;q=0.9"
    assert request.url.params.get_list("default-graph-uri") == ["urn:g1"]
    assert request.url.params.get_list("named-graph-uri") == ["urn:g2"]
    assert request.content == b"SELECT * WHERE { ?s ?p ?o }"
    assert result.media_type == "text/csv"


def test_load_puts_to_the_graph_store_when_replacing_and_posts_otherwise() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return httpx.Response(204)

    store = remote(handler)
    store.load(b"<urn:a> <urn:b> <urn:c> .", media_type="application/n-triples", graph="urn:g", replace=True)
    store.load(b"<urn:a> <urn:b> <urn:c> .", media_type="text/turtle")
    assert [(r.method, str(r.url), r.headers["content-type"]) for r in seen] == [
        ("PUT", "http://sparql.test/store?graph=urn%3Ag", "application/n-triples"),
        ("POST", "http://sparql.test/store?default=", "text/turtle"),
    ]


def test_load_without_a_graph_store_sends_one_atomic_update() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    remote(handler, graph_store=False).load(
        b"<urn:a> <urn:b> <urn:c> .", media_type="text/turtle", graph="urn:g", replace=True
    )
    (request,) = seen
    assert str(request.url) == "http://sparql.test/update"
    assert request.headers["content-type"] == "application/sparql-update"
    assert request.content.decode() == (
        "DROP SILENT GRAPH <urn:g> ;\nINSERT DATA { GRAPH <urn:g> {\n<urn:a> <urn:b> <urn:c> .\n\n} }"
    )


def test_syntax_errors_in_data_are_found_before_anything_is_sent() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("nothing should be sent")

    with pytest.raises(RdfSyntaxError) as raised:
        remote(handler).load(b"<urn:a> <urn:b> .", media_type="text/turtle", graph="urn:g")
    assert (raised.value.line, raised.value.column) == (1, 17)


@pytest.mark.parametrize(
    ("status", "error"),
    [(400, QuerySyntaxError), (401, StoreUnavailable), (500, StoreUnavailable), (503, StoreUnavailable)],
)
def test_error_statuses_become_our_errors_with_the_server_message(
    status: int, error: type[Exception]
) -> None:
    store = remote(lambda request: httpx.Response(status, text="Parser error at 1:10"))
    with pytest.raises(error) as raised:
        store.query("SELECT")
    assert "Parser error at 1:10" in str(raised.value)


def test_a_server_that_hangs_raises_store_timeout() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with pytest.raises(StoreTimeout):
        remote(handler).update("CLEAR ALL")


def test_an_unreachable_endpoint_raises_store_unavailable() -> None:
    port = free_port()
    store = RemoteStore(
        httpx.Client(timeout=5),
        query_url=f"http://127.0.0.1:{port}/query",
        update_url=f"http://127.0.0.1:{port}/update",
    )
    with pytest.raises(StoreUnavailable) as raised:
        store.query("ASK {}")
    assert f"127.0.0.1:{port}" in str(raised.value)


class _RecordingHandler(BaseHTTPRequestHandler):
    headers_seen: list[str | None] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        type(self).headers_seen.append(self.headers.get("Authorization"))
        body = b'{"head":{},"boolean":true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def recording_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RecordingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_open_store_sends_the_configured_credentials(recording_server: str) -> None:
    _RecordingHandler.headers_seen = []
    settings = Settings(
        store="remote",
        sparql_query_url=f"{recording_server}/query",
        sparql_update_url=f"{recording_server}/update",
        sparql_username="librarian",
        sparql_password=SecretStr("s3cret"),
        cache_bytes=0,  # no version lookup before the query: the recording server answers only ASK
    )
    store = open_store(settings)
    try:
        assert store.query("ASK {}").content == b'{"head":{},"boolean":true}'
    finally:
        store.close()
    assert _RecordingHandler.headers_seen == ["Basic bGlicmFyaWFuOnMzY3JldA=="]


def test_remote_settings_without_endpoints_are_refused_at_startup() -> None:
    with pytest.raises(ValueError, match="UNKG_SPARQL_QUERY_URL"):
        Settings(store="remote")
