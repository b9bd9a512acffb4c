"""The supervised engine process itself: what it guarantees below the checks of /sparql."""

from __future__ import annotations

import ctypes.util
import io
import os
import signal
import socket
import time
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode

from service.errors import EngineRestarted, QueryTimeout, StoreError, StoreUnavailable
from service.stores import SupervisedStore
from service.stores.base import QueryLimits

XSD_INTEGER = NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def _threads(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/task"))
    except FileNotFoundError:
        return 0


SORTED_PAIRS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"


def test_an_engine_without_an_allow_list_reaches_no_address_even_unchecked(tmp_path: Path) -> None:
    """Below every check: the engine's own network is gone, so a SERVICE that got through calls nobody."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.settimeout(0.5)
        port = listener.getsockname()[1]
        store = SupervisedStore(str(tmp_path / "store"), network=False)
        try:
            with pytest.raises(StoreError):
                store.query(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}")
        finally:
            store.close()
        with pytest.raises(TimeoutError):
            listener.accept()


def test_a_query_past_its_deadline_is_stopped_by_a_new_engine_and_the_data_stays(tmp_path: Path) -> None:
    store = SupervisedStore(str(tmp_path / "store"), network=False, grace=0.5)
    try:
        store.update("INSERT DATA { " + " ".join(f"<urn:s{i}> <urn:p> {i} ." for i in range(300)) + " }")
        pid = store.engine_status().pid
        with pytest.raises(QueryTimeout, match="past the 1 s limit"):
            store.query(SORTED_PAIRS, limits=QueryLimits(timeout=1))
        assert store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").content.count(b'"300"') == 1
        status = store.engine_status()
        assert status.restarts == 1 and status.pid not in (None, pid)
    finally:
        store.close()


def test_a_store_another_process_holds_is_refused_at_start_saying_where(tmp_path: Path) -> None:
    first = SupervisedStore(str(tmp_path / "store"), network=False)
    try:
        with pytest.raises(StoreUnavailable, match=f"could not open the store at {tmp_path / 'store'}"):
            SupervisedStore(str(tmp_path / "store"), network=False, start_timeout=10)
    finally:
        first.close()
    # Closed, the store is free again.
    SupervisedStore(str(tmp_path / "store"), network=False).close()


def test_a_call_that_fails_in_the_engine_fails_alone_and_the_engine_stays(tmp_path: Path) -> None:
    store = SupervisedStore(str(tmp_path / "store"), network=False)
    try:
        pid = store.engine_status().pid
        with pytest.raises(StoreError, match="solutions\\(\\) needs a SELECT query"):
            list(store.solutions("ASK { ?s ?p ?o }"))
        assert list(store.solutions("SELECT (1 AS ?one) WHERE {}")) == [(Literal("1", datatype=XSD_INTEGER),)]
        assert store.engine_status().pid == pid and store.engine_status().restarts == 0
    finally:
        store.close()


def test_a_call_after_the_engine_died_waits_for_the_next_engine_and_is_answered(tmp_path: Path) -> None:
    store = SupervisedStore(str(tmp_path / "store"), network=False)
    try:
        store.update("INSERT DATA { <urn:s> <urn:p> 1 }")  # leaves a connection to the engine idle
        pid = store.engine_status().pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        # Dead once every thread has gone (the first to go leaves a zombie that still holds sockets).
        while _threads(pid) > 1:
            time.sleep(0.01)
        # The idle connection is dead: the call goes to the next engine instead of failing.
        assert store.query("ASK { <urn:s> <urn:p> 1 }").content == b'{"head":{},"boolean":true}'
        assert store.engine_status().restarts == 1
    finally:
        store.close()


def test_an_engine_past_its_memory_limit_is_replaced_before_the_query_times_out(tmp_path: Path) -> None:
    store = SupervisedStore(str(tmp_path / "store"), network=False, max_memory=400 * 1024**2)
    try:
        store.update("INSERT DATA { " + " ".join(f"<urn:s{i}> <urn:p> {i} ." for i in range(300)) + " }")
        started = time.monotonic()
        with pytest.raises(EngineRestarted):
            store.query(SORTED_PAIRS, limits=QueryLimits(timeout=120))
        assert time.monotonic() - started < 60
        # The next call waits for the next engine, which has the data.
        assert store.query("ASK { <urn:s1> <urn:p> 1 }").content == b'{"head":{},"boolean":true}'
        assert store.engine_status().restarts == 1
    finally:
        store.close()


@pytest.mark.parametrize("jemalloc", [True, False])
def test_the_engine_allocates_with_jemalloc_where_it_is_installed_unless_told_not_to(
    tmp_path: Path, jemalloc: bool
) -> None:
    if ctypes.util.find_library("jemalloc") is None:
        pytest.fail(
            "libjemalloc2 is not installed: ./scripts/test installs it (apt-get install libjemalloc2)"
        )
    store = SupervisedStore(str(tmp_path / "store"), network=False, jemalloc=jemalloc)
    try:
        maps = Path(f"/proc/{store.engine_status().pid}/maps").read_text()
        assert ("libjemalloc" in maps) is jemalloc
    finally:
        store.close()


def test_a_dump_larger_than_one_message_arrives_whole(tmp_path: Path) -> None:
    lines = b"".join(f'<urn:s:{i}> <urn:p> "{"x" * 40} {i}" .\n'.encode() for i in range(30_000))
    assert len(lines) > 1 << 20  # more than one chunk of the engine's stream
    store = SupervisedStore(str(tmp_path / "store"), network=False)
    try:
        store.load(lines, media_type="application/n-triples", graph="urn:g")
        output = io.BytesIO()
        store.dump(output, media_type="application/n-quads", graph="urn:g")
        assert sorted(output.getvalue().splitlines()) == sorted(lines.splitlines())
    finally:
        store.close()
