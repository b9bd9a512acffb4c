"""The W3C SPARQL 1.1 Protocol tests, run against unkg served over HTTP on 127.0.0.1.

Each test's data (ut:graphData) is loaded into a fresh store, its requests are sent as written (the
manifest's '/sparql/' path mapped to '/sparql'), and each response is checked for the status class,
result format and boolean the manifest expects. The manifest comes from ../shared/w3c, which CI has
beside the clone; the suite is skipped where it is not.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph
import pytest
from rdflib import RDFS, Graph, Literal, Namespace
from rdflib.collection import Collection

from service.app import create_app
from service.settings import IN_MEMORY, Settings
from service.stores import OxigraphStore, VersionedStore, versioned
from service.tokens import TokenStore
from tests.conftest import ROOT
from tests.live import live_server

PROTOCOL = ROOT.parent / "shared" / "w3c" / "sparql" / "sparql11" / "protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")

# Tests that do not apply, and why. Updates are changesets through the SHACL gate (an admin's token
# is sent with them here), and a changeset changes one named graph: these updates begin with CLEAR
# ALL (every graph, the history included) and then run a WHERE operation after others, which the
# gate refuses with its reason (see service/curation/updates.py).
NOT_APPLYING = {
    "update_dataset_default_graph": "CLEAR ALL, then INSERT … WHERE after other operations",
    "update_dataset_default_graphs": "CLEAR ALL, then INSERT … WHERE after other operations",
    "update_dataset_named_graphs": "CLEAR ALL, then INSERT … WHERE after other operations",
    "update_dataset_full": "CLEAR ALL, then INSERT … WHERE after other operations",
    "update_post_form": "CLEAR ALL: a changeset changes one named graph",
    "update_post_direct": "CLEAR ALL: a changeset changes one named graph",
}


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: tuple[str, ...]
    format: str | None
    boolean: bool | None


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    data: tuple[tuple[Path, str], ...]
    requests: tuple[Request, ...]


def _tests() -> list[ProtocolTest]:
    if not (PROTOCOL / "manifest.ttl").exists():
        return []
    manifest = Graph().parse(PROTOCOL / "manifest.ttl", format="turtle", publicID="http://w3c.test/protocol/")
    entries = Collection(manifest, next(manifest.objects(None, MF.entries)))
    tests = []
    for entry in entries:
        name = str(entry).rsplit("#", 1)[-1]
        data = tuple(
            (
                PROTOCOL / str(manifest.value(node, UT.graph)).rsplit("/", 1)[-1],
                str(manifest.value(node, RDFS.label)),
            )
            for node in manifest.objects(entry, UT.graphData)
        )
        connection = manifest.value(entry, MF.action)
        requests = []
        for node in Collection(manifest, manifest.value(connection, HT.requests)):
            headers = {}
            for header in (
                Collection(manifest, manifest.value(node, HT.headers))
                if manifest.value(node, HT.headers)
                else []
            ):
                headers[str(manifest.value(header, HT.fieldName))] = str(
                    manifest.value(header, HT.fieldValue)
                )
            body_node = manifest.value(node, HT.body)
            body = None
            if body_node is not None:
                encoding = str(manifest.value(body_node, CNT.characterEncoding) or "UTF-8")
                body = str(manifest.value(body_node, CNT.chars)).encode(encoding.lower())
            response = manifest.value(node, HT.resp)
            boolean = manifest.value(response, MF.expectedBoolean)
            fmt = manifest.value(response, MF.expectedFormat)
            requests.append(
                Request(
                    method=str(manifest.value(node, HT.methodName)),
                    path=str(manifest.value(node, HT.absolutePath)).replace("/sparql/", "/sparql", 1),
                    headers=headers,
                    body=body,
                    statuses=tuple(
                        str(s).rsplit("#StatusCode", 1)[-1]
                        for s in manifest.objects(response, MF.expectedStatus)
                    ),
                    format=str(fmt) if fmt is not None else None,
                    boolean=bool(boolean.toPython()) if isinstance(boolean, Literal) else None,
                )
            )
        tests.append(ProtocolTest(name=name, data=data, requests=tuple(requests)))
    return tests


TESTS = _tests()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, VersionedStore, dict[str, str]]]:
    """unkg on a real uvicorn server, over a store the tests fill through its versioned wrapper (so
    that no cached result outlives the data it came from)."""
    settings = Settings(
        store_path=IN_MEMORY,
        ontology_path=ROOT / "ontology",
        shapes_path=ROOT / "shapes",
        data_path=ROOT / "tests" / "fixtures" / "no-data",
        tokens_path=tmp_path_factory.mktemp("var") / "tokens.json",
    )
    _, secret = TokenStore(settings.tokens_path).create(name="W3C protocol tests", role="admin")
    store = versioned(OxigraphStore(), settings)
    with live_server(create_app(settings, store=store)) as url:
        yield url, store, {"Authorization": f"Bearer {secret}"}
    store.close()


def _boolean(response: httpx.Response) -> bool:
    fmt = pyoxigraph.QueryResultsFormat.from_media_type(response.headers["content-type"].split(";")[0])
    assert fmt is not None
    result = pyoxigraph.parse_query_results(response.content, format=fmt)
    assert isinstance(result, pyoxigraph.QueryBoolean)
    return bool(result)


def _format(content_type: str) -> str:
    media_type = content_type.split(";")[0].strip()
    if media_type in ("application/sparql-results+json", "application/sparql-results+xml"):
        return "results"
    if media_type in (
        "text/turtle",
        "application/n-triples",
        "application/ld+json",
        "application/rdf+xml",
        "application/trig",
        "application/n-quads",
    ):
        return "RDF"
    return media_type


@pytest.mark.skipif(not TESTS, reason="the W3C suite is not beside the clone (../shared/w3c)")
@pytest.mark.parametrize("test", TESTS, ids=[test.name for test in TESTS])
def test_w3c_protocol(server: tuple[str, VersionedStore, dict[str, str]], test: ProtocolTest) -> None:
    if test.name in NOT_APPLYING:
        pytest.xfail(f"does not apply: {NOT_APPLYING[test.name]}")
    url, store, admin = server
    store.update("DROP SILENT ALL")
    for path, graph in test.data:
        store.load(path.read_bytes(), media_type="application/n-triples", graph=graph)
    for request in test.requests:
        headers = request.headers
        if b"update=" in (request.body or b"") or "sparql-update" in headers.get("content-type", ""):
            headers = {**headers, **admin}  # updates are a curator's or an admin's (creating a graph)
        response = httpx.request(
            request.method, url + request.path, headers=headers, content=request.body, timeout=30
        )
        assert str(response.status_code)[0] + "xx" in request.statuses, (response.status_code, response.text)
        if request.format in ("boolean", "tabular"):
            assert _format(response.headers["content-type"]) in (
                "results",
                "text/csv",
                "text/tab-separated-values",
            )
        elif request.format == "RDF":
            assert _format(response.headers["content-type"]) == "RDF"
        if request.boolean is not None:
            assert _boolean(response) is request.boolean


def test_every_manifest_entry_is_run_or_stated_as_not_applying_yet() -> None:
    if not TESTS:
        pytest.skip("the W3C suite is not beside the clone (../shared/w3c)")
    names = {test.name for test in TESTS}
    assert len(TESTS) == 34
    assert set(NOT_APPLYING) <= names
