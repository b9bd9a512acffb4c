"""Fixtures: settings, a fresh in-memory store per test, the app, its client, the CLI runner,
and a real Oxigraph server on 127.0.0.1 for the remote backend."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from service.app import create_app
from service.settings import IN_MEMORY, Settings
from service.stores import OxigraphStore, RemoteStore, VersionedStore, versioned

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        store_path=IN_MEMORY,
        ontology_path=ROOT / "ontology",
        shapes_path=ROOT / "shapes",
        data_path=tmp_path / "data",
        queries_path=ROOT / "queries",
    )


@pytest.fixture
def store(settings: Settings) -> Iterator[VersionedStore]:
    """An embedded store in memory, as the app wraps it: what tests load into it keeps the default
    graph the union of the data graphs, as the service's own loads do."""
    store = versioned(OxigraphStore(), settings)
    yield store
    store.close()


@pytest.fixture
def app(settings: Settings, store: VersionedStore) -> FastAPI:
    return create_app(settings, store=store)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def vary(response: httpx.Response) -> set[str]:
    """The request headers an answer says it varies by."""
    return {name.strip() for name in response.headers.get("vary", "").split(",") if name.strip()}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def oxigraph_binary() -> str:
    """The `oxigraph` command of the test environment (installed from PyPI with the tests)."""
    beside_python = Path(sys.executable).parent / "oxigraph"
    found = str(beside_python) if beside_python.exists() else shutil.which("oxigraph")
    if found is None:
        pytest.fail("the oxigraph server is not installed: pip install -e '.[test]'")
    return found


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server, in memory, on 127.0.0.1; stopped by PID at the end of the session."""
    port = free_port()
    log = tmp_path_factory.mktemp("oxigraph") / "server.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [oxigraph_binary(), "serve", "--bind", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"{url}/query", params={"query": "ASK {}"}, timeout=1).raise_for_status()
            break
        except httpx.HTTPError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                process.wait()
                pytest.fail(f"the Oxigraph server did not start: {log.read_text()}")
            time.sleep(0.1)
    try:
        yield url
    finally:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()


def empty_remote_store(url: str, *, graph_store: bool = True, empty: bool = True) -> RemoteStore:
    """A RemoteStore over the Oxigraph server at `url`, emptied first (unless `empty` is False: a second
    server sharing the data); with or without its Graph Store."""
    if empty:
        httpx.post(
            f"{url}/update", content=b"DROP ALL", headers={"Content-Type": "application/sparql-update"}
        )
    return RemoteStore(
        httpx.Client(timeout=30),
        query_url=f"{url}/query",
        update_url=f"{url}/update",
        graph_store_url=f"{url}/store" if graph_store else None,
    )
