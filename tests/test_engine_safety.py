"""One anonymous request cannot take `unkg serve` down, keep it busy past its time, or use it against
its network: tried on the real server, over HTTP, with its real engine process.

- text that would overflow the engine's stack is refused with 400 naming the limit;
- an engine that dies anyway is started again while the server keeps answering;
- queries past their time are stopped, and their CPU and memory given back;
- SERVICE and LOAD reach nothing, however they are spelled (a listener counts connections).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from service.stores.supervised import resident_bytes
from service.tokens import TokenStore

ROOT = Path(__file__).resolve().parents[1]
SPARQL_QUERY = {"Content-Type": "application/sparql-query"}
SPARQL_UPDATE = "application/sparql-update"
# Sorting every pair of triples of the bundled graph: hundreds of millions of rows, gigabytes within
# seconds, and nothing written before the sort ends.
UNKG = "https://w3id.org/unkg/ontology#"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
RUNAWAY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it receives."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop:
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop = True
        self._thread.join()
        self.socket.close()


class Server:
    """`unkg serve` in a process of its own, on a store in `folder`."""

    def __init__(self, folder: Path, **settings: str) -> None:
        self.folder = folder
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        environment = dict(
            os.environ,
            UNKG_STORE_PATH=str(folder / "store"),
            UNKG_TOKENS_PATH=str(folder / "tokens.json"),
            UNKG_PORT=str(self.port),
            **{f"UNKG_{name.upper()}": value for name, value in settings.items()},
        )
        self.log = open(folder / "serve.log", "wb")  # closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "service", "serve"],
            cwd=ROOT,
            env=environment,
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "unkg serve exited"
            try:
                if httpx.get(f"{self.base}/health", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise AssertionError("unkg serve did not answer")

    def engine(self) -> dict[str, int]:
        engine: dict[str, int] = httpx.get(f"{self.base}/health", timeout=30).json()["store"]["engine"]
        return engine

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)
        self.log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("serve")
    started = Server(folder, query_timeout="2", query_workers="3", engine_max_memory=str(6 * 1024**3))
    yield started
    started.stop()


@pytest.fixture(scope="module")
def curator(server: Server) -> str:
    """A curator's bearer token: the server reads the tokens file again when it changes."""
    _, secret = TokenStore(server.folder / "tokens.json").create(name="engine safety test", role="curator")
    return secret


def _post_query(server: Server, query: str) -> httpx.Response:
    return httpx.post(f"{server.base}/sparql", content=query.encode(), headers=SPARQL_QUERY, timeout=60)


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("braces", "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000),
        ("parentheses", "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"),
        ("functions", "SELECT * WHERE { BIND(" + "CONCAT(" * 2000 + "'a'" + ")" * 2000 + " AS ?x) }"),
        ("unions", "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 10000) + " }"),
        ("joins", "SELECT * WHERE { " + " . ".join(f"?s{i} ?p ?o" for i in range(10000)) + " }"),
        ("sums", "SELECT * WHERE { BIND(" + " + ".join(["1"] * 10000) + " AS ?x) }"),
        ("binds", "SELECT * WHERE { " + " ".join(f"BIND(1 AS ?b{i})" for i in range(20000)) + " }"),
        ("paths", "SELECT * WHERE { ?s " + "/".join(["<urn:p>"] * 20000) + " ?o }"),
        ("quoted triples", "SELECT * WHERE { ?s ?p " + "<< " * 20000 + "?a ?b ?c" + " >>" * 20000 + " }"),
        ("exists", "SELECT * WHERE { ?s ?p ?o " + "FILTER EXISTS { ?s ?p ?o " * 2000 + "}" * 2000 + " }"),
    ],
)
def test_text_that_would_overflow_the_engine_is_refused_with_400_naming_the_limit(
    server: Server, name: str, query: str
) -> None:
    engine = server.engine()
    response = _post_query(server, query)
    assert response.status_code == 400, name
    assert response.json()["error"] == "query_too_complex"
    assert "at most" in response.json()["detail"]
    # Refused before it ran: the same engine still answers.
    assert server.engine()["pid"] == engine["pid"]
    assert server.engine()["restarts"] == engine["restarts"]


def test_deep_text_by_get_is_refused_too(server: Server) -> None:
    query = "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
    response = httpx.get(f"{server.base}/sparql", params={"query": query}, timeout=60)
    assert response.status_code == 400
    assert response.json()["detail"] == "the query nests brackets 5002 deep; at most 100 levels are allowed"
    # The limits are stated where clients look for them: the service description.
    description = httpx.get(f"{server.base}/sparql", headers={"Accept": "application/n-triples"}, timeout=30)
    assert f'<{UNKG}maxQueryDepth> "100"^^<{XSD_INTEGER}>' in description.text
    assert f'<{UNKG}maxQueryOperators> "2000"^^<{XSD_INTEGER}>' in description.text


def test_an_engine_that_dies_is_started_again_while_the_server_keeps_answering(server: Server) -> None:
    documents = httpx.get(f"{server.base}/api/documents", timeout=30).json()
    engine = server.engine()
    # Whatever crash the checks did not foresee: the engine dies as it would of a stack overflow.
    os.kill(engine["pid"], signal.SIGSEGV)
    # The server itself answers at once, the JSON API from what it already read.
    assert httpx.get(f"{server.base}/api/documents", timeout=30).json() == documents
    deadline = time.monotonic() + 30
    while (now := server.engine())["pid"] in (None, engine["pid"]):
        assert time.monotonic() < deadline, "the engine was not started again"
        time.sleep(0.1)
    assert now["restarts"] == engine["restarts"] + 1
    response = _post_query(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert response.status_code == 200
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) > 10_000


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_runaway_queries_are_stopped_at_their_deadline_and_give_their_memory_back(server: Server) -> None:
    before = server.engine()
    in_hand: list[int] = []
    attacking = threading.Event()
    attacking.set()

    def watch() -> None:
        while attacking.is_set():
            in_hand.append(server.engine()["calls"])
            time.sleep(0.1)

    watcher = threading.Thread(target=watch)
    watcher.start()
    started = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(lambda _: _post_query(server, RUNAWAY), range(8)))
    took = time.monotonic() - started
    attacking.clear()
    watcher.join()
    # Never more evaluations than workers (3): a slot is given back only when its evaluation is over.
    assert len(in_hand) > 10 and max(in_hand) == 3, in_hand
    # 8 queries, 3 at a time, each stopped a second past its 2 s: a few rounds, never their own end.
    # A query in flight when another is stopped goes with it (the engine is killed), and may be sent
    # again: 503 all the same.
    assert [response.status_code for response in responses] == [503] * 8
    assert {response.json()["error"] for response in responses} <= {"query_timeout", "engine_restarted"}
    assert "query_timeout" in {response.json()["error"] for response in responses}
    assert took < 40
    # Stopped, not abandoned: within a few seconds an engine of the old size is idle again.
    deadline = time.monotonic() + 15
    while True:
        engine = server.engine()
        time.sleep(0.5)
        if engine["pid"] is not None and server.engine()["pid"] == engine["pid"]:
            if resident_bytes(engine["pid"]) < before["memory_bytes"] + 300 * 1024**2:
                break
        assert time.monotonic() < deadline, "the engine kept the memory of the stopped queries"
    assert engine["restarts"] > before["restarts"]
    busy = _cpu_seconds(engine["pid"])
    time.sleep(2)
    assert _cpu_seconds(engine["pid"]) - busy < 0.5
    # And it still answers.
    assert _post_query(server, "ASK { ?s ?p ?o }").json() == {"head": {}, "boolean": True}


def _service_spellings(endpoint: str) -> list[str]:
    """The ways a query can call `endpoint`: keyword cases, what may stand right before it (numbers,
    booleans, literals, brackets), comments, prefixed names, a base, escapes in the IRI."""
    iri = f"<{endpoint}>"
    host, _, path = endpoint.rpartition("/")
    before = ["", " ", ".", "1", "1.5", "1e5", "true", "false", "'x'", "'x'^^<urn:t>", "[]", "(1)", ")", "}"]
    spellings = []
    for keyword in ("SERVICE", "service", "Service", "sErViCe", "SERVICE SILENT", "SERVICESILENT"):
        for prefix in before:
            spellings.append(
                f"SELECT * WHERE {{ ?s <urn:p> ?o . ?s <urn:p> {prefix}{keyword} {iri} {{ ?a ?b ?c }} }}"
            )
            spellings.append(f"SELECT * WHERE {{ ?s <urn:p>* {prefix}{keyword}{iri}{{ ?a ?b ?c }} }}")
        spellings.append(f"SELECT * WHERE {{ {keyword}#comment\n{iri} {{ ?a ?b ?c }} }}")
        spellings.append(f"PREFIX x: <{host}/> SELECT * WHERE {{ {keyword} x:{path} {{ ?a ?b ?c }} }}")
        spellings.append(
            f"PREFIX : <{host}/> SELECT * WHERE {{ ?s <urn:p> true{keyword}:{path} {{ ?a ?b ?c }} }}"
        )
        spellings.append(f"BASE <{host}/> SELECT * WHERE {{ {keyword} <{path}> {{ ?a ?b ?c }} }}")
        spellings.append(f"SELECT * WHERE {{ FILTER EXISTS {{ {keyword} {iri} {{ ?a ?b ?c }} }} }}")
        spellings.append(f"SELECT * WHERE {{ {{ SELECT * WHERE {{ {keyword} {iri} {{ ?a ?b ?c }} }} }} }}")
        spellings.append(f"ASK {{ OPTIONAL {{ {keyword} {iri} {{ ?a ?b ?c }} }} }}")
        spellings.append(f"CONSTRUCT {{ ?a ?b ?c }} WHERE {{ {keyword} {iri} {{ ?a ?b ?c }} }}")
        spellings.append(
            f"SELECT * WHERE {{ {keyword} <{endpoint[:-1]}\\u00{ord(endpoint[-1]):02x}> {{ ?a ?b ?c }} }}"
        )
        spellings.append(f"SELECT * WHERE {{ ?s ?p ?o MINUS {{ {keyword} {iri} {{ ?a ?b ?c }} }} }}")
        spellings.append(
            "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 90 + "1" + ")" * 90 + f") {keyword} {iri} {{}} }}"
        )
    return spellings


def test_service_reaches_nothing_off_the_allow_list_however_it_is_spelled(tmp_path: Path) -> None:
    """With an allow-list, the engine keeps its network: the checks alone must hold every spelling."""
    target, allowed = Listener(), Listener()
    server = Server(tmp_path, service_allow_list=f'["http://127.0.0.1:{allowed.port}/sparql"]')
    try:
        spellings = _service_spellings(f"http://127.0.0.1:{target.port}/x")
        assert len(spellings) > 150
        answers = {}
        for query in spellings:
            response = _post_query(server, query)
            answers[query] = response.status_code
        assert target.connections == 0
        assert set(answers.values()) <= {400, 403}, [
            q for q, status in answers.items() if status not in (400, 403)
        ]
        # The allowed endpoint is called (it answers nothing a SPARQL client can read: a 5xx says so).
        response = _post_query(
            server, f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{allowed.port}/sparql> {{}} }}"
        )
        assert allowed.connections >= 1 and response.status_code != 403
    finally:
        server.stop()
        target.close()
        allowed.close()


def test_load_reaches_nothing_however_it_is_spelled(server: Server, curator: str) -> None:
    target = Listener()
    try:
        iri = f"<http://127.0.0.1:{target.port}/data.ttl>"
        spellings = [
            f"{keyword} {silent}{iri}{into}"
            for keyword in ("LOAD", "load", "LoAd")
            for silent in ("", "SILENT ")
            for into in ("", " INTO GRAPH <urn:g>")
        ]
        spellings += [f"INSERT DATA {{ <urn:a> <urn:b> 1 }} ;{keyword} {iri}" for keyword in ("LOAD", "load")]
        spellings += [
            f"PREFIX x: <http://127.0.0.1:{target.port}/> LOAD x:data.ttl",
            f"CLEAR SILENT GRAPH <urn:g> ;LOAD{iri}",
        ]
        for update in spellings:
            response = httpx.post(
                f"{server.base}/sparql",
                content=update.encode(),
                headers={"Content-Type": SPARQL_UPDATE, "Authorization": f"Bearer {curator}"},
                timeout=30,
            )
            # Refused (403), or with SILENT a failure that is no error (204: nothing happened).
            assert response.status_code in (400, 403, 204), (update, response.text)
            assert response.status_code != 204 or "silent" in update.lower()
        assert target.connections == 0
    finally:
        target.close()
