"""An acknowledged changeset survives a crash: `unkg serve` is killed with SIGKILL in the middle of a
stream of writes, started again on the same store, and every acknowledged changeset is there, whole;
none is there in part; and the graph still conforms to the shapes (`unkg validate`)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from tests.curation.conftest import DOCUMENT

ROOT = Path(__file__).resolve().parents[2]
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
NOTE = "https://w3id.org/unkg/id/note/durability-"
#: Triples each changeset adds: a changeset found with fewer was half-applied.
PER_CHANGESET = 4


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def environment(tmp: Path, port: int) -> dict[str, str]:
    return dict(
        os.environ,
        UNKG_STORE_PATH=str(tmp / "store"),
        UNKG_TOKENS_PATH=str(tmp / "tokens.json"),
        UNKG_PORT=str(port),
    )


def serve(tmp: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "service", "serve"],
        cwd=ROOT,
        env=environment(tmp, port),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        assert process.poll() is None, "unkg serve exited"
        try:
            if httpx.get(f"{base}/health", timeout=5).status_code == 200:
                return process, base
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise AssertionError("unkg serve did not answer")


def note(i: int) -> str:
    subject = f"<{NOTE}{i}>"
    return "\n".join(
        [
            f'{subject} <{RDFS}label> "note {i}" .',
            f'{subject} <{RDFS}comment> "written by the durability test" .',
            f"{subject} <{RDFS}seeAlso> <{DOCUMENT}> .",
            f'{subject} <{RDFS}comment> "number {i}" .',
        ]
    )


def test_every_acknowledged_changeset_survives_sigkill_whole(tmp_path: Path) -> None:
    process, base = serve(tmp_path)
    try:
        created = subprocess.run(
            [sys.executable, "-m", "service", "token", "create", "--role", "curator", "--name", "Writer"],
            cwd=ROOT,
            env=environment(tmp_path, 0),
            capture_output=True,
            text=True,
            check=True,
        )
        secret = created.stdout.strip()
        headers = {"Authorization": f"Bearer {secret}"}
        # A source graph, as a librarian's notes would go (not the ontology, first in the list).
        listed = httpx.get(f"{base}/api/graphs", timeout=30).json()["items"]
        graph = next(item["graph"] for item in listed if "/graph/source/" in item["graph"])
        acknowledged: dict[int, str] = {}
        stop = threading.Event()

        def write() -> None:
            with httpx.Client(timeout=30) as client:
                i = 0
                while not stop.is_set():
                    body = {
                        "graph": graph,
                        "message": f"note {i}",
                        "format": "text/turtle",
                        "additions": note(i),
                    }
                    try:
                        response = client.post(f"{base}/api/changesets", json=body, headers=headers)
                    except httpx.HTTPError:
                        return  # the server died under this request: not acknowledged
                    assert response.status_code == 201, response.text
                    acknowledged[i] = response.json()["id"]
                    i += 1

        writer = threading.Thread(target=write)
        writer.start()
        deadline = time.monotonic() + 120
        while len(acknowledged) < 15 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        stop.set()
        writer.join()
    finally:
        if process.poll() is None:
            process.kill()
    assert len(acknowledged) >= 15

    process, base = serve(tmp_path)
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            for i, id in acknowledged.items():
                read = client.get(f"/api/changesets/{id}")
                assert read.status_code == 200, f"acknowledged changeset {i} is lost"
            query = (
                f"SELECT ?note (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?note ?p ?o }} "
                f'FILTER(STRSTARTS(STR(?note), "{NOTE}")) }} GROUP BY ?note'
            )
            rows = client.get(
                "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
            ).json()["results"]["bindings"]
            counts = {int(row["note"]["value"].removeprefix(NOTE)): int(row["n"]["value"]) for row in rows}
            recorded = client.get("/api/changesets", params={"graph": graph, "limit": 1}).json()["total"]
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    assert set(acknowledged) <= set(counts), "an acknowledged changeset's triples are missing"
    assert all(count == PER_CHANGESET for count in counts.values()), f"half-applied: {counts}"
    # Every note in the graph has its record (the change and its history went in one update).
    assert recorded == len(counts)
    validated = subprocess.run(
        [sys.executable, "-m", "service", "validate"],
        cwd=ROOT,
        env=environment(tmp_path, 0),
        capture_output=True,
        text=True,
    )
    assert validated.returncode == 0, validated.stdout[-2000:]
