"""The W3C SPARQL 1.1 test suites, run over HTTP against a live server: `unkg serve` started bare
(`UNKG_BARE=true`: a plain SPARQL store), or the raw Oxigraph server, to tell unkg's failures from the
engine's.

Every test starts from an empty store, emptied through the server itself (SPARQL Update `DROP ALL`),
and its data goes in the way a user's data does: Graph Store Protocol `PUT ?default` and `PUT
?graph=IRI`, the file sent as it is, with the Content-Type of its extension. Then:

- query tests send the query (POST application/sparql-query) with no dataset parameters, under a
  `BASE` of the query file's IRI unless the query has its own; results are compared as multisets of
  rows (as lists when the query orders them at its top level) up to blank-node renaming, numbers by
  value and type; graphs by isomorphism;
- result-format tests ask for CSV, TSV or JSON and compare the text as the suite's files have it: CSV
  cell by cell (it carries no types), TSV and JSON term by term, blank nodes up to renaming; the
  variables in any order, as Oxigraph's runner takes them (`SELECT *` leaves their order open);
- update tests send the update (POST application/sparql-update), then read back the default graph
  and each graph of the expected dataset (Graph Store GET), compared by isomorphism, and list the
  named graphs: a non-empty graph the expected dataset lacks fails the test ("extra graphs"); an empty
  one is only noted (a store may keep a graph that CLEAR emptied);
- syntax tests go through the endpoint too, on the empty store: a negative one must be answered 400,
  a positive one anything but 400 (it is executed, and may fail as the spec says it must: DROP of a
  graph that does not exist);
- protocol and Graph Store Protocol tests are the manifests' HTTP exchanges, sent in order, each
  response checked for its status, media type and body.

A test's outcome names the first step that went wrong, on one line (`reset: DROP ALL → 403 …`).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import httpx
import pyoxigraph
import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.term import Node

# Nothing from `service` (nor tests/conftest.py, which imports it) is imported: the harness talks to
# the server over HTTP only, and keeps working while the service's modules change under it.
ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT.parent / "shared" / "w3c" / "sparql" / "sparql11"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
RS = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"
XSD = "http://www.w3.org/2001/XMLSchema#"

#: unkg keeps its history and its curation settings as two named graphs of the store, in bare mode too;
#: they are the service's own, not the test's, so the comparison of update results leaves them out.
UNKG_GRAPHS = frozenset({"https://w3id.org/unkg/graph/history", "https://w3id.org/unkg/graph/system"})

_MEDIA_TYPES = {".ttl": "text/turtle", ".nt": "application/n-triples", ".rdf": "application/rdf+xml"}
_RDFLIB_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/trig": "trig",
    "application/n-quads": "nquads",
}
_RESULTS_FORMATS = {
    "application/sparql-results+json": pyoxigraph.QueryResultsFormat.JSON,
    "application/sparql-results+xml": pyoxigraph.QueryResultsFormat.XML,
    "text/tab-separated-values": pyoxigraph.QueryResultsFormat.TSV,
    "text/csv": pyoxigraph.QueryResultsFormat.CSV,
}
_RESULT_FILES = {
    ".srx": pyoxigraph.QueryResultsFormat.XML,
    ".srj": pyoxigraph.QueryResultsFormat.JSON,
    ".tsv": pyoxigraph.QueryResultsFormat.TSV,
}
_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"


# -- targets -------------------------------------------------------------------------------------------


@dataclass
class Target:
    """A live server and where its endpoints are; `auth` goes with every write."""

    name: str
    base: str
    query_path: str
    update_path: str
    graph_store_path: str
    client: httpx.Client
    auth: dict[str, str] = field(default_factory=dict)
    ignored_graphs: frozenset[str] = frozenset()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def oxigraph_binary() -> str:
    """The `oxigraph` command of the test environment (installed from PyPI with the tests)."""
    beside_python = Path(sys.executable).parent / "oxigraph"
    found = str(beside_python) if beside_python.exists() else shutil.which("oxigraph")
    if found is None:
        raise RuntimeError("the oxigraph server is not installed: pip install -e '.[test]'")
    return found


class _Process:
    """A server in a process of its own, stopped by its PID."""

    def __init__(
        self, command: list[str], *, env: dict[str, str], log: Path, ready: str, cwd: Path = ROOT
    ) -> None:
        self.log = log
        with log.open("wb") as output:
            self.process = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=output)
        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx.get(ready, timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{command[0]} did not start: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()


@contextmanager
def unkg_target(folder: Path, *, source: Path = ROOT) -> Iterator[Target]:
    """`unkg serve` bare, on a store in `folder`, with an admin's token for the writes; run from the
    checkout `source` (another one than this: a commit's `git archive`, say, to measure it)."""
    tokens = folder / "tokens.json"
    env = dict(os.environ, UNKG_BARE="true", UNKG_TOKENS_PATH=str(tokens))
    created = subprocess.run(
        [sys.executable, "-m", "service", "token", "create", "--role", "admin", "--name", "w3c"],
        cwd=source,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    secret = created.stdout.strip().splitlines()[-1]
    port = free_port()
    env |= {"UNKG_STORE_PATH": str(folder / "store"), "UNKG_PORT": str(port)}
    base = f"http://127.0.0.1:{port}"
    server = _Process(
        [sys.executable, "-m", "service", "serve"],
        env=env,
        log=folder / "serve.log",
        ready=f"{base}/health",
        cwd=source,
    )
    try:
        with httpx.Client(timeout=60) as client:
            yield Target(
                name="unkg",
                base=base,
                query_path="/sparql",
                update_path="/sparql",
                graph_store_path="/rdf-graph-store",
                client=client,
                auth={"Authorization": f"Bearer {secret}"},
                ignored_graphs=UNKG_GRAPHS,
            )
    finally:
        server.stop()


@contextmanager
def oxigraph_target(folder: Path) -> Iterator[Target]:
    """The raw Oxigraph server (`oxigraph serve`), standard default graph, on a store in `folder`."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = _Process(
        [oxigraph_binary(), "serve", "--location", str(folder / "store"), "--bind", f"127.0.0.1:{port}"],
        env=dict(os.environ),
        log=folder / "oxigraph.log",
        ready=f"{base}/query?query=ASK%7B%7D",
    )
    try:
        with httpx.Client(timeout=60) as client:
            yield Target(
                name="oxigraph",
                base=base,
                query_path="/query",
                update_path="/update",
                graph_store_path="/store",
                client=client,
            )
    finally:
        server.stop()


TARGETS: dict[str, Callable[[Path], Any]] = {"unkg": unkg_target, "oxigraph": oxigraph_target}


# -- outcomes and steps --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """Whether a test passed; if not, its first failing step (`cause`, one line) and the steps that
    failed after it (`then`: a failed set-up step does not stop a test). `extra_graphs` are named
    graphs an update left that the expected dataset lacks (non-empty ones fail the test)."""

    ok: bool
    cause: str = ""
    then: tuple[str, ...] = ()
    extra_graphs: tuple[str, ...] = ()
    empty_graphs: tuple[str, ...] = ()


class Failure(Exception):
    """A step of a test went wrong: what the step was and what the server said, on one line."""

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = " ".join(cause.split())[:300]


def said(response: httpx.Response) -> str:
    """The status and the gist of the body: `403 forbidden: DROP ALL is refused …`."""
    text = response.text
    try:
        body = response.json()
        if isinstance(body, dict) and "error" in body:
            text = f"{body['error']}: {body.get('detail', '')}"
    except ValueError:
        pass
    return f"{response.status_code} {' '.join(text.split())[:160]}".strip()


def _send(target: Target, method: str, url: str, **options: Any) -> httpx.Response:
    try:
        if method == "HEAD":
            # A connection of its own: a server that sends a body after HEAD (Oxigraph's 404) would
            # leave it in the shared connection, in front of the next response.
            with httpx.Client(timeout=target.client.timeout) as client:
                return client.request(method, url, **options)
        try:
            return target.client.request(method, url, **options)
        except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError):
            # A kept-alive connection the server closed (uvicorn does after a 500) fails the next
            # request sent on it before the server reads it: sent again on a new one, as browsers do.
            return target.client.request(method, url, **options)
    except httpx.HTTPError as exc:
        raise Failure(f"{method} {url.removeprefix(target.base)}: {type(exc).__name__} {exc}") from exc


def graph_store_url(target: Target, graph: str | None) -> str:
    """`?default` or `?graph=IRI` (percent-encoded), as the Graph Store Protocol writes them."""
    where = "default" if graph is None else f"graph={quote(graph, safe='')}"
    return f"{target.base}{target.graph_store_path}?{where}"


def reset(target: Target) -> None:
    """Empty the store through the server: SPARQL Update DROP ALL."""
    response = update(target, "DROP ALL")
    if not response.is_success:
        setup_failed(f"reset: DROP ALL → {said(response)}")


def payload(path: Path) -> bytes:
    """The file's bytes, told their own IRI as base: a relative IRI in the data (`<>` in Turtle,
    `rdf:resource=""` in RDF/XML) means the file, which a PUT would otherwise resolve against the
    Graph Store URL. N-Triples has no relative IRIs."""
    content = path.read_bytes()
    iri = path.as_uri().encode()
    if path.suffix == ".ttl":
        return b"@base <" + iri + b"> .\n" + content
    if path.suffix == ".rdf" and b"xml:base" not in content:
        return re.sub(rb"<rdf:RDF\b", b'<rdf:RDF xml:base="' + iri + b'"', content, count=1)
    return content


def load(target: Target, path: Path, graph: str | None = None, *, merge: bool = False) -> None:
    """PUT the file into the default graph or `graph` (POST, to merge it with what is there)."""
    method = "POST" if merge else "PUT"
    where = "?default" if graph is None else f"?graph={graph}"
    response = _send(
        target,
        method,
        graph_store_url(target, graph),
        content=payload(path),
        headers={"Content-Type": _MEDIA_TYPES[path.suffix], **target.auth},
    )
    if not response.is_success:
        setup_failed(f"load: Graph Store {method} {where} ({path.name}) → {said(response)}")


def load_dataset(target: Target, data: Sequence[Path], graphs: Sequence[tuple[str, Path]]) -> None:
    for number, path in enumerate(data):
        load(target, path, merge=number > 0)
    for graph, path in graphs:
        load(target, path, graph)


def query(target: Target, text: str, *, accept: str = _ACCEPT) -> httpx.Response:
    return _send(
        target,
        "POST",
        target.base + target.query_path,
        content=text.encode("utf-8"),
        headers={"Content-Type": "application/sparql-query", "Accept": accept},
    )


def update(target: Target, text: str) -> httpx.Response:
    return _send(
        target,
        "POST",
        target.base + target.update_path,
        content=text.encode("utf-8"),
        headers={"Content-Type": "application/sparql-update", **target.auth},
    )


def read_graph(target: Target, graph: str | None) -> Graph | None:
    """The default graph or `graph` by Graph Store GET; None for 404 (no such graph)."""
    response = _send(
        target, "GET", graph_store_url(target, graph), headers={"Accept": "application/n-triples"}
    )
    name = "?default" if graph is None else f"?graph={graph}"
    if response.status_code == 404 and graph is not None:
        return None
    if not response.is_success:
        raise Failure(f"read back: Graph Store GET {name} → {said(response)}")
    return parse_graph(response, f"read back {name}")


def named_graphs(target: Target, *, non_empty: bool) -> set[str]:
    """The named graphs of the store (only those with a triple, if `non_empty`)."""
    pattern = "{ ?s ?p ?o }" if non_empty else "{ }"
    response = query(target, f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {pattern} }}")
    if not response.is_success:
        raise Failure(f"list graphs: SELECT … GRAPH ?g → {said(response)}")
    result = parse_results(response, "list graphs")
    assert isinstance(result, pyoxigraph.QuerySolutions)
    return {solution["g"].value for solution in result}


def media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def parse_graph(response: httpx.Response, step: str) -> Graph:
    fmt = _RDFLIB_FORMATS.get(media_type(response))
    if fmt is None:
        raise Failure(f"{step}: answered {media_type(response) or 'no media type'}, not RDF")
    try:
        return Graph().parse(data=response.content, format=fmt)
    except Exception as exc:  # rdflib's parsers raise many kinds; any means the body is not the graph
        raise Failure(f"{step}: the {fmt} body does not parse: {exc}") from exc


def parse_results(response: httpx.Response, step: str) -> Any:
    fmt = _RESULTS_FORMATS.get(media_type(response))
    if fmt is None:
        raise Failure(f"{step}: answered {media_type(response) or 'no media type'}, not SPARQL results")
    try:
        return pyoxigraph.parse_query_results(response.content, format=fmt)
    except (SyntaxError, ValueError) as exc:
        raise Failure(f"{step}: the results do not parse: {exc}") from exc


_SETUP_FAILURES: ContextVar[list[str] | None] = ContextVar("setup_failures", default=None)


class _NotEmptied(Exception):
    """The reset failed: the test's own requests would run over the data of the tests before it."""


def setup_failed(cause: str) -> None:
    """A set-up step (reset, load) failed. Within a test's run it is noted and the set-up goes on, so
    that the outcome shows whether the next set-up steps fail too; outside, it is raised."""
    failures = _SETUP_FAILURES.get()
    if failures is None:
        raise Failure(cause)
    failures.append(Failure(cause).cause)


def set_up(target: Target, data: Sequence[Path] = (), graphs: Sequence[tuple[str, Path]] = ()) -> None:
    """Empty the store and load the test's data. When the store could not be emptied, the test stops
    after loading: what it would then send runs over the previous tests' data, which says nothing
    (and takes long: the W3C queries are not written for a store that holds anything else)."""
    failures = _SETUP_FAILURES.get()
    before = len(failures) if failures is not None else 0
    reset(target)
    emptied = failures is None or len(failures) == before
    load_dataset(target, data, graphs)
    if not emptied:
        raise _NotEmptied


def run_steps(steps: Callable[[], Outcome | None]) -> Outcome:
    """Run a test's steps; the first failure becomes the outcome's cause, the later ones its `then`."""
    failures: list[str] = []
    token = _SETUP_FAILURES.set(failures)
    try:
        outcome = steps() or Outcome(True)
    except Failure as failure:
        outcome = Outcome(False, failure.cause)
    except _NotEmptied:
        outcome = Outcome(True)
    finally:
        _SETUP_FAILURES.reset(token)
    if not failures:
        return outcome
    later = [*failures[1:], *([] if outcome.ok else [outcome.cause])]
    return replace(outcome, ok=False, cause=failures[0], then=tuple(later))


# -- SPARQL text, looked at without parsing it ---------------------------------------------------------

_TOKENS = re.compile(
    r"""(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)"""
    r"""|(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\""""
    r"""|'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")"""
    r"|(?P<comment>#[^\n\r]*)"
    r"|(?P<name>[?$]?[A-Za-z_][\w\-.]*(?::[\w\-.:%]*)?|:[\w\-.:%]*)"
    r"|(?P<other>\S)"
)
_OPERATIONS = re.compile(
    r"SELECT|CONSTRUCT|DESCRIBE|ASK|INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH", re.I
)


def _words(text: str) -> Iterator[tuple[str, int]]:
    """The names and punctuation of `text` (no IRIs, strings or comments), each with its brace depth."""
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if match.lastgroup in ("iri", "string", "comment"):
            continue
        if token == "}":
            depth -= 1
        yield token, depth
        if token == "{":
            depth += 1


def has_base(text: str) -> bool:
    """Whether the prologue (before the first query form or update operation) declares a BASE."""
    for word, _ in _words(text):
        if _OPERATIONS.fullmatch(word):
            return False
        if word.upper() == "BASE":
            return True
    return False


def with_base(text: str, path: Path) -> str:
    """The query or update with its file's IRI as BASE, unless it declares one itself."""
    return text if has_base(text) else f"BASE <{path.as_uri()}>\n{text}"


def ordered(text: str) -> bool:
    """Whether the query orders its solutions at its top level (ORDER BY outside every group)."""
    words = list(_words(text))
    return any(
        word.upper() == "ORDER" and depth == 0 and following.upper() == "BY"
        for (word, depth), (following, _) in zip(words, words[1:], strict=False)
    )


def is_update(path: Path) -> bool:
    return path.suffix == ".ru"


# -- comparing results ---------------------------------------------------------------------------------

Row = tuple[tuple[str, Any], ...]
_NUMERIC = {XSD + name for name in ("integer", "decimal", "double", "float")}


@dataclass(frozen=True)
class Solutions:
    variables: tuple[str, ...]
    rows: list[Row]


Result = Solutions | bool | Graph


def solutions(parsed: Any) -> Solutions | bool:
    if isinstance(parsed, pyoxigraph.QueryBoolean):
        return bool(parsed)
    variables = tuple(v.value for v in parsed.variables)
    rows = [tuple((v, row[v]) for v in variables if row[v] is not None) for row in parsed]
    return Solutions(variables, rows)


def expected_result(path: Path) -> Result:
    """The result file: SPARQL results (srx, srj, tsv), a graph, or a result set written as a graph."""
    if path.suffix in _RESULT_FILES:
        return solutions(pyoxigraph.parse_query_results(path.read_bytes(), format=_RESULT_FILES[path.suffix]))
    fmt = pyoxigraph.RdfFormat.RDF_XML if path.suffix == ".rdf" else pyoxigraph.RdfFormat.TURTLE
    triples = list(pyoxigraph.parse(path.read_bytes(), format=fmt, base_iri=path.as_uri()))
    result_set = _result_set(triples)
    if result_set is not None:
        return result_set
    return Graph().parse(path, format="xml" if path.suffix == ".rdf" else "turtle")


def _result_set(triples: list[pyoxigraph.Triple]) -> Solutions | bool | None:
    """A result set in the rs: vocabulary (the suite's .ttl results of SELECT and ASK), or None."""
    by_subject: dict[Any, list[tuple[str, Any]]] = {}
    for triple in triples:
        by_subject.setdefault(triple.subject, []).append((triple.predicate.value, triple.object))
    roots = [
        s
        for s, pairs in by_subject.items()
        if (str(RDF.type), pyoxigraph.NamedNode(RS + "ResultSet")) in pairs
    ]
    if not roots:
        return None
    pairs = by_subject[roots[0]]
    for predicate, value in pairs:
        if predicate == RS + "boolean":
            return value.value == "true"
    variables = tuple(value.value for predicate, value in pairs if predicate == RS + "resultVariable")
    indexed = []
    for predicate, solution in pairs:
        if predicate != RS + "solution":
            continue
        row, index = [], 0
        for key, binding in by_subject.get(solution, []):
            if key == RS + "index":
                index = int(binding.value)
            elif key == RS + "binding":
                fields = dict(by_subject.get(binding, []))
                row.append((fields[RS + "variable"].value, fields[RS + "value"]))
        indexed.append((index, tuple(sorted(row, key=_variable))))
    indexed.sort(key=lambda pair: pair[0])
    return Solutions(variables, [row for _, row in indexed])


def same_rows(want: list[Row], got: list[Row], *, in_order: bool) -> bool:
    """Equal multisets (or lists) of rows, up to a consistent renaming of blank nodes."""
    if len(want) != len(got):
        return False

    def match(i: int, remaining: list[int], mapping: dict[str, str]) -> bool:
        if i == len(want):
            return True
        candidates = [remaining[0]] if in_order else remaining
        for j in candidates:
            extended = _unify(want[i], got[j], mapping)
            if extended is not None and match(i + 1, [k for k in remaining if k != j], extended):
                return True
        return False

    return match(0, list(range(len(got))), {})


def _unify(want: Row, got: Row, mapping: dict[str, str]) -> dict[str, str] | None:
    if len(want) != len(got):
        return None
    mapping = dict(mapping)
    pairs = zip(sorted(want, key=_variable), sorted(got, key=_variable), strict=True)
    for (want_var, want_term), (got_var, got_term) in pairs:
        if want_var != got_var:
            return None
        if isinstance(want_term, pyoxigraph.BlankNode) and isinstance(got_term, pyoxigraph.BlankNode):
            if not _rename(mapping, want_term.value, got_term.value):
                return None
        elif _canonical(want_term) != _canonical(got_term):
            return None
    return mapping


def _rename(mapping: dict[str, str], want: str, got: str) -> bool:
    """Extend the blank-node renaming with want → got; False if it contradicts it."""
    if mapping.setdefault(want, got) != got:
        return False
    return list(mapping.values()).count(got) == 1


def _canonical(value: Any) -> Any:
    """Numbers by value and type ("1.0" and "1" as xsd:decimal are one number); other terms as they are."""
    if isinstance(value, pyoxigraph.Literal) and value.datatype.value in _NUMERIC:
        try:
            return value.datatype.value, float(value.value)
        except ValueError:
            return value
    return value


def _variable(binding: tuple[str, Any]) -> str:
    return binding[0]


def compare(want: Result, got: Result, *, in_order: bool) -> None:
    """Raise Failure saying how `got` differs from `want`."""
    if isinstance(want, Graph) or isinstance(got, Graph):
        if not (isinstance(want, Graph) and isinstance(got, Graph)):
            raise Failure(f"result: got {_kind(got)}, expected {_kind(want)}")
        if not isomorphic(want, got):
            raise Failure(f"result: graph not isomorphic ({len(got)} triples, expected {len(want)})")
        return
    if isinstance(want, bool) or isinstance(got, bool):
        if want != got or type(want) is not type(got):
            raise Failure(f"result: got {_kind(got)} {got!s:.60}, expected {_kind(want)} {want!s:.60}")
        return
    if not same_rows(want.rows, got.rows, in_order=in_order):
        order = " (in order)" if in_order else ""
        raise Failure(f"result: rows differ{order} ({len(got.rows)} rows, expected {len(want.rows)})")


def _kind(result: Result) -> str:
    return "graph" if isinstance(result, Graph) else "boolean" if isinstance(result, bool) else "solutions"


# -- manifests -----------------------------------------------------------------------------------------


def _path(node: Node) -> Path:
    return Path(str(node).removeprefix("file://"))


def manifests(top: Path) -> Iterator[tuple[Path, Graph]]:
    """Each manifest the top manifest includes (or the top one itself), parsed with its file IRI."""
    graph = Graph().parse(top, format="turtle", publicID=top.as_uri())
    include = next(graph.objects(None, MF.include), None)
    if include is None:
        yield top, graph
        return
    for node in Collection(graph, include):
        yield from manifests(_path(node))


def entries(manifest: Graph) -> list[Node]:
    return list(Collection(manifest, next(manifest.objects(None, MF.entries))))


def entry_name(path: Path, entry: Node) -> str:
    return f"{path.parent.name}/{str(entry).rsplit('#', 1)[-1]}"


def kinds(manifest: Graph, entry: Node) -> set[str]:
    return {str(kind).rsplit("#", 1)[-1] for kind in manifest.objects(entry, RDF.type)}


def graph_data(manifest: Graph, node: Node, predicate: Node) -> tuple[tuple[str, Path], ...]:
    """Named graphs of an action or result: ut:graphData [ ut:graph <file> ; rdfs:label "IRI" ], or
    qt:graphData <file>, which names the graph by the file's IRI."""
    graphs = []
    for value in manifest.objects(node, predicate):
        file = manifest.value(value, UT.graph)
        if file is None:
            graphs.append((str(value), _path(value)))
        else:
            graphs.append((str(manifest.value(value, RDFS.label)), _path(file)))
    return tuple(sorted(graphs))


T = TypeVar("T")


@dataclass(frozen=True)
class Suite(Generic[T]):
    """A manifest's tests and how one is run against a target."""

    name: str
    tests: list[T]
    run: Callable[[Target, T], Outcome]

    def names(self) -> list[str]:
        return [test.name for test in self.tests]  # type: ignore[attr-defined]

    def cases(self, xfail: dict[str, str]) -> list[Any]:
        """The tests as pytest parameters, named by their manifest ids; those in `xfail` (name →
        reason) marked as strict expected failures, so that a fix shows up as XPASS."""
        return [
            pytest.param(
                test,
                id=test.name,  # type: ignore[attr-defined]
                marks=[pytest.mark.xfail(strict=True, reason=xfail[test.name])]  # type: ignore[attr-defined]
                if test.name in xfail  # type: ignore[attr-defined]
                else [],
            )
            for test in self.tests
        ]


# -- query evaluation and syntax -----------------------------------------------------------------------


@dataclass(frozen=True)
class QueryTest:
    name: str
    kind: str  # "eval", "positive" or "negative"
    query: Path
    data: tuple[Path, ...] = ()
    graphs: tuple[tuple[str, Path], ...] = ()
    result: Path | None = None


def query_tests(top: Path = SUITE / "manifest-sparql11-query.ttl") -> list[QueryTest]:
    if not top.exists():
        return []
    tests = []
    for path, manifest in manifests(top):
        for entry in entries(manifest):
            types, action = kinds(manifest, entry), manifest.value(entry, MF.action)
            name = entry_name(path, entry)
            if "QueryEvaluationTest" in types:
                result = manifest.value(entry, MF.result)
                tests.append(
                    QueryTest(
                        name=name,
                        kind="eval",
                        query=_path(manifest.value(action, QT.query)),
                        data=tuple(sorted(_path(d) for d in manifest.objects(action, QT.data))),
                        graphs=graph_data(manifest, action, QT.graphData),
                        result=_path(result) if result is not None else None,
                    )
                )
            elif types & {"PositiveSyntaxTest11", "NegativeSyntaxTest11"}:
                kind = "positive" if "PositiveSyntaxTest11" in types else "negative"
                tests.append(QueryTest(name=name, kind=kind, query=_path(action)))
    return tests


def run_syntax(target: Target, path: Path, *, positive: bool) -> Outcome:
    """A syntax test through the endpoint, on the empty store: positive → anything but 400 (executed),
    negative → 400."""

    def steps() -> None:
        set_up(target)
        text = with_base(path.read_text(encoding="utf-8"), path)
        response = update(target, text) if is_update(path) else query(target, text)
        what = "update" if is_update(path) else "query"
        if positive and response.status_code == 400:
            raise Failure(f"valid {what} → {said(response)}")
        if not positive and response.status_code != 400:
            raise Failure(f"invalid {what} → {said(response)}, not 400")

    # unkg never loads (it refuses LOAD once the update has parsed): it is sent there; another engine
    # would fetch the IRI.
    if (
        positive
        and is_update(path)
        and target.name != "unkg"
        and _reaches_out(path.read_text(encoding="utf-8"))
    ):
        return Outcome(False, "not run: its LOAD would reach beyond 127.0.0.1")
    return run_steps(steps)


def _reaches_out(text: str) -> bool:
    """Whether an update LOADs from an http(s) IRI off this machine (tests stay on 127.0.0.1)."""
    return bool(re.search(r"\bLOAD\b(\s+SILENT)?\s*<https?://(?!127\.0\.0\.1[:/])", text, re.I))


def run_query(target: Target, test: QueryTest) -> Outcome:
    if test.kind != "eval":
        return run_syntax(target, test.query, positive=test.kind == "positive")

    def steps() -> None:
        assert test.result is not None
        set_up(target, test.data, test.graphs)
        text = test.query.read_text(encoding="utf-8")
        response = query(target, with_base(text, test.query))
        if not response.is_success:
            raise Failure(f"query → {said(response)}")
        got: Result
        if media_type(response) in _RESULTS_FORMATS:
            got = solutions(parse_results(response, "query"))
        else:
            got = parse_graph(response, "query")
        compare(expected_result(test.result), got, in_order=ordered(text))

    return run_steps(steps)


# -- result formats (CSV, TSV, JSON) -------------------------------------------------------------------


@dataclass(frozen=True)
class ResultFormatTest:
    name: str
    format: str  # "csv", "tsv" or "json"
    query: Path
    data: tuple[Path, ...]
    result: Path


_FORMAT_MEDIA_TYPES = {
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "json": "application/sparql-results+json",
}


def result_format_tests(top: Path = SUITE / "manifest-sparql11-results.ttl") -> list[ResultFormatTest]:
    if not top.exists():
        return []
    tests = []
    for path, manifest in manifests(top):
        for entry in entries(manifest):
            action, result = manifest.value(entry, MF.action), _path(manifest.value(entry, MF.result))
            tests.append(
                ResultFormatTest(
                    name=entry_name(path, entry),
                    format={".csv": "csv", ".tsv": "tsv", ".srj": "json"}[result.suffix],
                    query=_path(manifest.value(action, QT.query)),
                    data=tuple(sorted(_path(d) for d in manifest.objects(action, QT.data))),
                    result=result,
                )
            )
    return tests


def run_result_format(target: Target, test: ResultFormatTest) -> Outcome:
    def steps() -> None:
        set_up(target, test.data)
        text = test.query.read_text(encoding="utf-8")
        want_type = _FORMAT_MEDIA_TYPES[test.format]
        response = query(target, with_base(text, test.query), accept=want_type)
        if not response.is_success:
            raise Failure(f"query → {said(response)}")
        if media_type(response) != want_type:
            raise Failure(f"asked for {want_type}, answered {media_type(response) or 'nothing'}")
        in_order = ordered(text)
        expected = test.result.read_text(encoding="utf-8")
        if test.format == "csv":
            compare_csv(expected, response.text, in_order=in_order)
        elif test.format == "tsv":
            want = solutions(pyoxigraph.parse_query_results(expected.encode(), format=_RESULT_FILES[".tsv"]))
            got = solutions(parse_results(response, "TSV"))
            assert isinstance(want, Solutions) and isinstance(got, Solutions)
            if sorted(want.variables) != sorted(got.variables):
                raise Failure(
                    f"TSV header: {list(got.variables)}, expected {list(want.variables)} (in any order)"
                )
            compare(want, got, in_order=in_order)
        else:
            compare_json(json.loads(expected), _json(response), in_order=in_order)

    return run_steps(steps)


def compare_csv(expected: str, got: str, *, in_order: bool) -> None:
    """CSV results cell by cell: each value as written (CSV has no types; a blank node is `_:label`,
    up to renaming), columns matched by their header; CRLF or LF line ends alike (the suite's files
    have LF)."""
    want_rows = list(csv.reader(io.StringIO(expected)))
    got_rows = list(csv.reader(io.StringIO(got)))
    if (
        not got_rows
        or sorted(got_rows[0]) != sorted(want_rows[0])
        or len(set(got_rows[0])) != len(got_rows[0])
    ):
        raise Failure(f"CSV header: {got_rows[:1]}, expected {want_rows[0]} (in any order)")
    if any(len(cells) != len(got_rows[0]) for cells in got_rows[1:]):
        raise Failure("CSV: a row has another number of fields than the header")

    def rows(table: list[list[str]]) -> list[Row]:
        return [
            tuple(
                sorted(
                    (name, pyoxigraph.BlankNode(cell[2:]) if cell.startswith("_:") else cell)
                    for name, cell in zip(table[0], cells, strict=True)
                )
            )
            for cells in table[1:]
        ]

    want, answered = rows(want_rows), rows(got_rows)
    if not same_rows(want, answered, in_order=in_order):
        raise Failure(f"CSV rows differ ({len(answered)} rows, expected {len(want)}): {got_rows[1:3]}")


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise Failure(f"the JSON results do not parse: {exc}") from exc


def compare_json(want: Any, got: Any, *, in_order: bool) -> None:
    """SPARQL JSON results member by member: `head.vars` in order, `boolean` as a JSON boolean, each
    binding's members exactly (`type`, `value`, `xml:lang`, `datatype`), blank nodes up to renaming.
    A literal typed xsd:string equals a simple literal (one term in RDF 1.1), whichever is written."""
    if not isinstance(got, dict) or not isinstance(got.get("head"), dict):
        raise Failure("JSON: no head object")
    if "boolean" in want:
        if got.get("boolean") is not want["boolean"]:
            raise Failure(f"JSON boolean: {got.get('boolean')!r}, expected {want['boolean']!r}")
        return
    variables = got["head"].get("vars")
    if not isinstance(variables, list) or sorted(variables) != sorted(want["head"]["vars"]):
        raise Failure(f"JSON head.vars: {variables}, expected {want['head']['vars']} (in any order)")
    bindings = got.get("results", {}).get("bindings")
    if not isinstance(bindings, list):
        raise Failure("JSON: no results.bindings list")

    def row(binding: dict[str, Any]) -> Row:
        return tuple((name, _json_term(term)) for name, term in binding.items())

    want_rows = [row(binding) for binding in want["results"]["bindings"]]
    got_rows = [row(binding) for binding in bindings]
    # A term is a blank node or a hashable tuple of its members; the row matcher takes either as it is.
    if not same_rows(want_rows, got_rows, in_order=in_order):
        raise Failure(f"JSON bindings differ ({len(got_rows)}, expected {len(want_rows)}): {bindings[:2]}")


def _json_term(term: dict[str, Any]) -> Any:
    members = dict(term)
    if members.get("type") == "bnode":
        return pyoxigraph.BlankNode(members["value"]) if isinstance(members.get("value"), str) else members
    if members.get("datatype") == XSD + "string":
        del members["datatype"]
    return tuple(sorted(members.items()))


# -- update evaluation and syntax ----------------------------------------------------------------------


@dataclass(frozen=True)
class UpdateTest:
    name: str
    kind: str  # "eval", "positive" or "negative"
    request: Path
    data: tuple[Path, ...] = ()
    graphs: tuple[tuple[str, Path], ...] = ()
    result_data: tuple[Path, ...] = ()
    result_graphs: tuple[tuple[str, Path], ...] = ()


def update_tests(top: Path = SUITE / "manifest-sparql11-update.ttl") -> list[UpdateTest]:
    if not top.exists():
        return []
    tests = []
    for path, manifest in manifests(top):
        for entry in entries(manifest):
            types, action = kinds(manifest, entry), manifest.value(entry, MF.action)
            name = entry_name(path, entry)
            if "UpdateEvaluationTest" in types:
                result = manifest.value(entry, MF.result)
                tests.append(
                    UpdateTest(
                        name=name,
                        kind="eval",
                        request=_path(manifest.value(action, UT.request)),
                        data=tuple(sorted(_path(d) for d in manifest.objects(action, UT.data))),
                        graphs=graph_data(manifest, action, UT.graphData),
                        result_data=tuple(sorted(_path(d) for d in manifest.objects(result, UT.data))),
                        result_graphs=graph_data(manifest, result, UT.graphData),
                    )
                )
            elif types & {"PositiveUpdateSyntaxTest11", "NegativeUpdateSyntaxTest11", "NegativeSyntaxTest11"}:
                kind = "positive" if "PositiveUpdateSyntaxTest11" in types else "negative"
                tests.append(UpdateTest(name=name, kind=kind, request=_path(action)))
    return tests


def _file_graph(paths: Sequence[Path]) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format=_RDFLIB_FORMATS[_MEDIA_TYPES[path.suffix]], publicID=path.as_uri())
    return graph


def run_update(target: Target, test: UpdateTest) -> Outcome:
    if test.kind != "eval":
        return run_syntax(target, test.request, positive=test.kind == "positive")

    def steps() -> Outcome:
        set_up(target, test.data, test.graphs)
        response = update(target, with_base(test.request.read_text(encoding="utf-8"), test.request))
        if not response.is_success:
            raise Failure(f"update → {said(response)}")
        got = read_graph(target, None) or Graph()
        want = _file_graph(test.result_data)
        if not isomorphic(got, want):
            raise Failure(f"default graph: not isomorphic ({len(got)} triples, expected {len(want)})")
        for graph, path in test.result_graphs:
            got = read_graph(target, graph) or Graph()
            want = _file_graph([path])
            if not isomorphic(got, want):
                raise Failure(f"graph {graph}: not isomorphic ({len(got)} triples, expected {len(want)})")
        expected = {graph for graph, _ in test.result_graphs} | target.ignored_graphs
        extra = sorted(named_graphs(target, non_empty=True) - expected)
        empty = sorted(named_graphs(target, non_empty=False) - expected - set(extra))
        if extra:
            return Outcome(False, f"extra graphs: {', '.join(extra)}", tuple(extra), tuple(empty))
        return Outcome(True, empty_graphs=tuple(empty))

    return run_steps(steps)


# -- SPARQL 1.1 Protocol -------------------------------------------------------------------------------

_STATUSES = {
    "OK": "200",
    "Created": "201",
    "NoContent": "204",
    "NotFound": "404",
    "BadRequest": "400",
}


@dataclass(frozen=True)
class Exchange:
    """One request of a protocol test and what its response must be."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: tuple[str, ...]  # "200", "2xx", …
    format: str | None = None
    boolean: bool | None = None
    location: str | None = None  # the template the Location header's value replaces later on
    response_type: str | None = None
    response_body: str | None = None


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    requests: tuple[Exchange, ...]
    graphs: tuple[tuple[str, Path], ...] = ()


def _headers(manifest: Graph, node: Node | None) -> dict[str, str]:
    if node is None:
        return {}
    headers = {}
    for header in Collection(manifest, node):
        headers[str(manifest.value(header, HT.fieldName)).lower()] = str(
            manifest.value(header, HT.fieldValue)
        )
    return headers


def _body(manifest: Graph, node: Node | None) -> bytes | None:
    if node is None:
        return None
    encoding = str(manifest.value(node, CNT.characterEncoding) or "UTF-8")
    return str(manifest.value(node, CNT.chars)).encode(encoding.lower())


def _exchanges(manifest: Graph, connection: Node) -> tuple[Exchange, ...]:
    exchanges = []
    for node in Collection(manifest, manifest.value(connection, HT.requests)):
        response = manifest.value(node, HT.resp)
        statuses = tuple(
            _STATUSES.get(code, code.removeprefix("StatusCode"))
            for code in sorted(
                str(s).rsplit("#", 1)[-1] for s in manifest.objects(response, MF.expectedStatus)
            )
        )
        boolean = manifest.value(response, MF.expectedBoolean)
        fmt = manifest.value(response, MF.expectedFormat)
        location = manifest.value(response, MF.expectedLocation)
        body = _body(manifest, manifest.value(response, HT.body))
        exchanges.append(
            Exchange(
                method=str(manifest.value(node, HT.methodName)),
                path=str(manifest.value(node, HT.absolutePath)),
                headers=_headers(manifest, manifest.value(node, HT.headers)),
                body=_body(manifest, manifest.value(node, HT.body)),
                statuses=statuses,
                format=str(fmt) if fmt is not None else None,
                boolean=bool(boolean.toPython()) if isinstance(boolean, Literal) else None,
                location=str(location) if location is not None else None,
                response_type=_headers(manifest, manifest.value(response, HT.headers)).get("content-type"),
                response_body=body.decode("utf-8") if body is not None else None,
            )
        )
    return tuple(exchanges)


def protocol_tests(top: Path = SUITE / "protocol" / "manifest.ttl") -> list[ProtocolTest]:
    if not top.exists():
        return []
    tests = []
    for _, manifest in manifests(top):
        for entry in entries(manifest):
            tests.append(
                ProtocolTest(
                    name=str(entry).rsplit("#", 1)[-1],
                    requests=_exchanges(manifest, manifest.value(entry, MF.action)),
                    graphs=graph_data(manifest, entry, UT.graphData),
                )
            )
    return tests


def _status_matches(status: int, expected: Sequence[str]) -> bool:
    return str(status) in expected or f"{str(status)[0]}xx" in expected


def _is_update_request(exchange: Exchange) -> bool:
    form = exchange.headers.get("content-type", "").startswith("application/x-www-form-urlencoded")
    return (
        "sparql-update" in exchange.headers.get("content-type", "")
        or "update=" in exchange.path
        or (form and b"update=" in (exchange.body or b""))
    )


def _results_format(content_type: str) -> str:
    if content_type in ("application/sparql-results+json", "application/sparql-results+xml"):
        return "results"
    if content_type in _RDFLIB_FORMATS:
        return "RDF"
    return content_type


def run_protocol(target: Target, test: ProtocolTest) -> Outcome:
    """The manifest's requests in order, '/sparql/' standing for the target's query or update path."""

    def steps() -> None:
        set_up(target, graphs=test.graphs)
        for number, exchange in enumerate(test.requests, 1):
            is_write = _is_update_request(exchange)
            path = target.update_path if is_write else target.query_path
            headers = {**exchange.headers, **(target.auth if is_write else {})}
            url = target.base + exchange.path.replace("/sparql/", path, 1)
            response = _send(target, exchange.method, url, headers=headers, content=exchange.body)
            step = f"request {number} ({exchange.method}{' update' if is_write else ''})"
            if not _status_matches(response.status_code, exchange.statuses):
                raise Failure(f"{step} → {said(response)}, expected {'/'.join(exchange.statuses)}")
            answered = _results_format(media_type(response))
            if exchange.format in ("boolean", "tabular") and answered not in (
                "results",
                "text/csv",
                "text/tab-separated-values",
            ):
                raise Failure(f"{step}: answered {answered}, expected {exchange.format} results")
            if exchange.format == "RDF" and answered != "RDF":
                raise Failure(f"{step}: answered {answered}, expected RDF")
            if exchange.boolean is not None:
                result = parse_results(response, step)
                if not isinstance(result, pyoxigraph.QueryBoolean) or bool(result) is not exchange.boolean:
                    raise Failure(f"{step}: answered {result!s:.60}, expected {exchange.boolean}")

    return run_steps(steps)


# -- SPARQL 1.1 Graph Store HTTP Protocol --------------------------------------------------------------


@dataclass(frozen=True)
class GraphStoreTest:
    name: str
    requests: tuple[Exchange, ...]


def graph_store_tests(top: Path = SUITE / "graph-store-protocol" / "manifest.ttl") -> list[GraphStoreTest]:
    if not top.exists():
        return []
    tests = []
    for _, manifest in manifests(top):
        for entry in entries(manifest):
            tests.append(
                GraphStoreTest(
                    name=str(entry).rsplit("#", 1)[-1],
                    requests=_exchanges(manifest, manifest.value(entry, MF.action)),
                )
            )
    return tests


def run_graph_store(target: Target, test: GraphStoreTest) -> Outcome:
    """The manifest's requests in order, on an empty store ('/gsp' standing for the target's Graph
    Store path): each status, the media type and, where the manifest gives one, the graph answered.
    A Location the manifest names as a template ($LOCATION$) replaces it in the requests after it."""

    def steps() -> None:
        set_up(target)
        templates: dict[str, str] = {}
        for number, exchange in enumerate(test.requests, 1):
            path, body = exchange.path, exchange.body
            for template, value in templates.items():
                path = path.replace(template, value)
                body = body.replace(template.encode(), value.encode()) if body is not None else None
            is_write = exchange.method in ("PUT", "POST", "DELETE")
            headers = {**exchange.headers, **(target.auth if is_write else {})}
            url = target.base + target.graph_store_path + path.removeprefix("/gsp")
            response = _send(target, exchange.method, url, headers=headers, content=body)
            step = f"request {number} ({exchange.method} {path})"
            if not _status_matches(response.status_code, exchange.statuses):
                raise Failure(f"{step} → {said(response)}, expected {'/'.join(exchange.statuses)}")
            if exchange.location is not None:
                if "location" not in response.headers:
                    raise Failure(f"{step}: no Location header")
                templates[exchange.location] = response.headers["location"]
            if exchange.response_type is not None:
                _check_media_type(step, response, exchange.response_type)
            if exchange.response_body is not None and exchange.method != "HEAD":
                want = Graph().parse(data=exchange.response_body, format="turtle")
                got = parse_graph(response, step)
                if not isomorphic(want, got):
                    raise Failure(f"{step}: graph not isomorphic ({len(got)} triples, expected {len(want)})")

    return run_steps(steps)


def _check_media_type(step: str, response: httpx.Response, expected: str) -> None:
    """The media type as the manifest gives it; a charset, when there is one, as it says (Turtle is
    always UTF-8, so one left out is no error)."""
    want_type, _, want_parameters = expected.partition(";")
    if media_type(response) != want_type.strip().lower():
        raise Failure(f"{step}: Content-Type {response.headers.get('content-type')}, expected {expected}")
    answered = response.headers.get("content-type", "").lower().replace(" ", "")
    charset = re.search(r"charset=([^;]+)", answered)
    wanted = re.search(r"charset=([^;]+)", want_parameters.lower().replace(" ", ""))
    if charset and wanted and charset.group(1) != wanted.group(1):
        raise Failure(f"{step}: Content-Type {response.headers.get('content-type')}, expected {expected}")


# -- the suites ----------------------------------------------------------------------------------------

QUERY: Suite[QueryTest] = Suite("query", query_tests(), run_query)
RESULTS: Suite[ResultFormatTest] = Suite("results", result_format_tests(), run_result_format)
UPDATE: Suite[UpdateTest] = Suite("update", update_tests(), run_update)
PROTOCOL: Suite[ProtocolTest] = Suite("protocol", protocol_tests(), run_protocol)
GRAPH_STORE: Suite[GraphStoreTest] = Suite("graph-store", graph_store_tests(), run_graph_store)
SUITES: tuple[Suite[Any], ...] = (QUERY, RESULTS, UPDATE, PROTOCOL, GRAPH_STORE)
