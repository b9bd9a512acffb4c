"""The W3C SPARQL 1.1 query evaluation and syntax tests (manifest-sparql11-query.ttl), through /sparql.

Each test runs twice over the same data: on a bare pyoxigraph Store (the embedded store's own
result) and through unkg's HTTP endpoint. A test the bare store fails is an expected failure here;
one it passes must pass through HTTP too, so that our layer loses nothing. `python -m
tests.w3c.test_query` prints both pass rates (the README quotes them).

How a test runs: its default-graph data goes into a graph named DEFAULT and its qt:graphData into
graphs named by their IRIs; the request names them as the protocol's dataset (default-graph-uri,
named-graph-uri), unless the query has a FROM of its own. The query is sent with a BASE of its file's
IRI, so that relative IRIs resolve as the manifest means them. Results are compared as multisets of
rows (as lists when the query has ORDER BY) up to blank-node renaming, numbers by value and type;
graphs by isomorphism.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph
import pytest
from rdflib import RDF, Graph, Namespace
from rdflib.collection import Collection
from rdflib.compare import isomorphic

from service.app import create_app
from service.lexing import declares_dataset, keywords_only
from service.settings import IN_MEMORY, Settings
from service.stores import OxigraphStore, VersionedStore, versioned
from tests.conftest import ROOT
from tests.live import live_server

SUITE = ROOT.parent / "shared" / "w3c" / "sparql" / "sparql11"
MANIFEST = SUITE / "manifest-sparql11-query.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
DEFAULT = "urn:x-w3c:default-graph"
_FORMATS = {".ttl": "text/turtle", ".nt": "application/n-triples", ".rdf": "application/rdf+xml"}
_RESULT_FORMATS = {".srx": pyoxigraph.QueryResultsFormat.XML, ".srj": pyoxigraph.QueryResultsFormat.JSON}


@dataclass(frozen=True)
class QueryTest:
    name: str
    kind: str  # "eval", "positive" or "negative"
    query: Path
    data: tuple[Path, ...] = ()
    graphs: tuple[tuple[str, Path], ...] = ()
    result: Path | None = None


def _path(node: Any) -> Path:
    return Path(str(node).removeprefix("file://"))


def _tests() -> list[QueryTest]:
    if not MANIFEST.exists():
        return []
    top = Graph().parse(MANIFEST, format="turtle")
    tests = []
    for include in Collection(top, next(top.objects(None, MF.include))):
        manifest_path = _path(include)
        manifest = Graph().parse(manifest_path, format="turtle", publicID=include)
        folder = manifest_path.parent.name
        for entry in Collection(manifest, next(manifest.objects(None, MF.entries))):
            kinds = set(manifest.objects(entry, RDF.type))
            action = manifest.value(entry, MF.action)
            name = f"{folder}/{str(entry).rsplit('#', 1)[-1]}"
            if MF.QueryEvaluationTest in kinds:
                if manifest.value(action, QT.serviceData) is not None:
                    continue  # federated: needs other endpoints, not part of this manifest's intent
                result = manifest.value(entry, MF.result)
                tests.append(
                    QueryTest(
                        name=name,
                        kind="eval",
                        query=_path(manifest.value(action, QT.query)),
                        data=tuple(_path(d) for d in manifest.objects(action, QT.data)),
                        graphs=tuple((str(g), _path(g)) for g in manifest.objects(action, QT.graphData)),
                        result=_path(result) if result is not None else None,
                    )
                )
            elif MF.PositiveSyntaxTest11 in kinds or MF.NegativeSyntaxTest11 in kinds:
                kind = "positive" if MF.PositiveSyntaxTest11 in kinds else "negative"
                tests.append(QueryTest(name=name, kind=kind, query=_path(action)))
    return tests


TESTS = _tests()


# -- what a runner returns: ("syntax-error", None) | ("boolean", bool) | ("rows", ...) | ("graph", Graph)
Outcome = tuple[str, Any]
Runner = Callable[[QueryTest], Outcome]


def _query_text(test: QueryTest) -> str:
    return f"BASE <file://{test.query}>\n" + test.query.read_text(encoding="utf-8")


def _dataset(test: QueryTest, text: str) -> tuple[list[str], list[str]]:
    if declares_dataset(text):
        return [], []
    return [DEFAULT], [name for name, _ in test.graphs]


def _fill(load: Callable[[bytes, str], None], test: QueryTest) -> None:
    """Load the test's data as N-Quads, its relative IRIs resolved against each file's own IRI."""
    files = [(path, DEFAULT) for path in test.data] + [(path, name) for name, path in test.graphs]
    quads = []
    for path, graph in files:
        fmt = pyoxigraph.RdfFormat.from_media_type(_FORMATS[path.suffix])
        for quad in pyoxigraph.parse(path.read_bytes(), format=fmt, base_iri=f"file://{path}"):
            quads.append(
                pyoxigraph.Quad(quad.subject, quad.predicate, quad.object, pyoxigraph.NamedNode(graph))
            )
    if quads:
        load(pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS) or b"", "application/n-quads")


def _solutions(content: bytes, fmt: pyoxigraph.QueryResultsFormat) -> Outcome:
    parsed = pyoxigraph.parse_query_results(content, format=fmt)
    if isinstance(parsed, pyoxigraph.QueryBoolean):
        return "boolean", bool(parsed)
    variables = [v.value for v in parsed.variables]
    rows = [tuple((v, row[v]) for v in variables if row[v] is not None) for row in parsed]
    return "rows", rows


def _graph(content: bytes, fmt: str) -> Outcome:
    return "graph", Graph().parse(data=content, format=fmt)


def run_embedded(test: QueryTest) -> Outcome:
    """The bare pyoxigraph Store, given the same data and dataset as the endpoint."""
    store = pyoxigraph.Store()

    def load(data: bytes, media_type: str) -> None:
        store.load(data, format=pyoxigraph.RdfFormat.N_QUADS)

    _fill(load, test)
    text = _query_text(test)
    default, named = _dataset(test, text)
    options: dict[str, Any] = {}
    if default or named:
        options = {
            "default_graph": [pyoxigraph.NamedNode(g) for g in default],
            "named_graphs": [pyoxigraph.NamedNode(g) for g in named],
        }
    else:
        options = {"use_default_graph_as_union": True}  # as unkg does for a query without FROM
    try:
        result = store.query(text, **options)
        if isinstance(result, pyoxigraph.QueryTriples):
            return _graph(result.serialize(format=pyoxigraph.RdfFormat.N_TRIPLES) or b"", "nt")
        return _solutions(
            result.serialize(format=pyoxigraph.QueryResultsFormat.JSON) or b"", _RESULT_FORMATS[".srj"]
        )
    except SyntaxError:
        return "syntax-error", None
    except (OSError, RuntimeError, ValueError) as exc:
        return "error", str(exc)


@contextmanager
def _served() -> Iterator[tuple[str, VersionedStore]]:
    """unkg on 127.0.0.1 without result caps, its store filled through the versioned wrapper."""
    settings = Settings(
        store_path=IN_MEMORY,
        ontology_path=ROOT / "ontology",
        shapes_path=ROOT / "shapes",
        data_path=ROOT / "tests" / "fixtures" / "no-data",
        max_result_rows=None,
        max_result_bytes=None,
    )
    store = versioned(OxigraphStore(), settings)
    try:
        with live_server(create_app(settings, store=store)) as url:
            yield url, store
    finally:
        store.close()


@pytest.fixture(scope="module")
def http_runner() -> Iterator[Runner]:
    with _served() as (url, store), httpx.Client(timeout=60) as client:
        yield lambda test: _run_http(client, url, store, test)


def _run_http(client: httpx.Client, url: str, store: VersionedStore, test: QueryTest) -> Outcome:
    store.update("DROP SILENT ALL")

    def load(data: bytes, media_type: str) -> None:
        store.load(data, media_type=media_type)

    _fill(load, test)
    text = _query_text(test)
    default, named = _dataset(test, text)
    params = [("default-graph-uri", g) for g in default] + [("named-graph-uri", g) for g in named]
    response = client.post(
        f"{url}/sparql",
        params=params,
        content=text.encode(),
        headers={
            "Content-Type": "application/sparql-query",
            "Accept": "application/sparql-results+json, application/n-triples;q=0.9",
        },
    )
    if response.status_code == 400 and response.json()["error"] == "query_syntax":
        return "syntax-error", None
    if not response.is_success:
        return "error", response.text
    if response.headers["content-type"].startswith("application/n-triples"):
        return _graph(response.content, "nt")
    return _solutions(response.content, pyoxigraph.QueryResultsFormat.JSON)


def expected(test: QueryTest) -> Outcome:
    assert test.result is not None
    if test.result.suffix in _RESULT_FORMATS:
        return _solutions(test.result.read_bytes(), _RESULT_FORMATS[test.result.suffix])
    return _graph(test.result.read_bytes(), "xml" if test.result.suffix == ".rdf" else "turtle")


def passes(test: QueryTest, outcome: Outcome) -> bool:
    kind, value = outcome
    if test.kind == "negative":
        return kind == "syntax-error"
    if test.kind == "positive":
        return kind != "syntax-error"
    if test.result is None or kind == "syntax-error":
        return False
    want_kind, want = expected(test)
    if kind != want_kind:
        return False
    if kind == "graph":
        return isomorphic(value, want)
    if kind == "boolean":
        return bool(value == want)
    ordered = "ORDER" in keywords_only(test.query.read_text(encoding="utf-8")).upper()
    return _same_rows(want, value, ordered=ordered)


def _same_rows(want: list[tuple[Any, ...]], got: list[tuple[Any, ...]], *, ordered: bool) -> bool:
    """Equal multisets (or lists) of rows, up to a consistent renaming of blank nodes."""
    if len(want) != len(got):
        return False

    def match(i: int, remaining: list[int], mapping: dict[str, str]) -> bool:
        if i == len(want):
            return True
        candidates = [remaining[0]] if ordered else remaining
        for j in candidates:
            extended = _unify(want[i], got[j], mapping)
            if extended is not None and match(i + 1, [k for k in remaining if k != j], extended):
                return True
        return False

    return match(0, list(range(len(got))), {})


def _unify(want: tuple[Any, ...], got: tuple[Any, ...], mapping: dict[str, str]) -> dict[str, str] | None:
    if len(want) != len(got):
        return None
    mapping = dict(mapping)
    pairs = zip(sorted(want, key=_key), sorted(got, key=_key), strict=True)
    for (want_var, want_term), (got_var, got_term) in pairs:
        if want_var != got_var:
            return None
        if isinstance(want_term, pyoxigraph.BlankNode) and isinstance(got_term, pyoxigraph.BlankNode):
            if mapping.setdefault(want_term.value, got_term.value) != got_term.value:
                return None
            if list(mapping.values()).count(got_term.value) > 1:
                return None
        elif _canonical(want_term) != _canonical(got_term):
            return None
    return mapping


_NUMERIC = {"http://www.w3.org/2001/XMLSchema#" + name for name in ("integer", "decimal", "double", "float")}


def _canonical(value: Any) -> Any:
    """Numbers by value and type ("1.0" and "1" as xsd:decimal are one number); other terms as they are."""
    if isinstance(value, pyoxigraph.Literal) and value.datatype.value in _NUMERIC:
        try:
            return value.datatype.value, float(value.value)
        except ValueError:
            return value
    return value


def _key(binding: tuple[str, Any]) -> str:
    return binding[0]


@pytest.mark.skipif(not TESTS, reason="the W3C suite is not beside the clone (../shared/w3c)")
@pytest.mark.parametrize("test", TESTS, ids=[test.name for test in TESTS])
def test_w3c_query(http_runner: Runner, test: QueryTest) -> None:
    if not passes(test, run_embedded(test)):
        pytest.xfail("the embedded store (pyoxigraph) fails this test too")
    assert passes(test, http_runner(test)), "passes on the embedded store, fails through /sparql"


def main() -> None:
    """Print the pass rates of the embedded store and of /sparql."""
    embedded = through_http = 0
    with _served() as (url, store), httpx.Client(timeout=60) as client:
        for test in TESTS:
            embedded_ok = passes(test, run_embedded(test))
            ok = passes(test, _run_http(client, url, store, test))
            embedded += embedded_ok
            through_http += ok
            if embedded_ok and not ok:
                sys.stderr.write(f"  passes embedded, fails through /sparql: {test.name}\n")
    sys.stdout.write(
        f"W3C SPARQL 1.1 query tests: {len(TESTS)}\n"
        f"  embedded pyoxigraph: {embedded} pass ({embedded / len(TESTS):.1%})\n"
        f"  unkg /sparql:        {through_http} pass ({through_http / len(TESTS):.1%})\n"
    )


if __name__ == "__main__":
    main()
