"""SupervisedStore: the embedded store on disk, evaluated in an engine process that unkg watches.

pyoxigraph cannot cancel a query, and a query it cannot read (nested thousands deep) kills the
process it runs in. So `unkg serve` keeps the store in a process of its own (service/stores/engine.py)
and calls it over a Unix socket. One thread, the supervisor, starts that process, watches it and
starts it again on the same store when it dies, whatever killed it: a crash, the memory limit, or
a query past its deadline, which is stopped by killing the engine (the only way to take its CPU and
memory back). The calls in flight on a dead engine fail with StoreUnavailable (a query past its own
deadline with QueryTimeout); the next calls wait for the new engine, which opens the store in well
under a second. Writes are transactions of the store, so a killed engine leaves each whole or absent.
"""

from __future__ import annotations

import ctypes.util
import logging
import os
import secrets
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from multiprocessing.connection import Client, Connection
from typing import IO, Any

from service.errors import EngineRestarted, QueryTimeout, StoreError, StoreUnavailable
from service.stores.base import (
    DEFAULT_ACCEPT,
    NO_LIMITS,
    Bindings,
    EngineStatus,
    QueryLimits,
    Solution,
    SparqlResult,
    SparqlStore,
)
from service.stores.engine import AUTHKEY_VARIABLE, PARENT_VARIABLE, decode_error

logger = logging.getLogger(__name__)

_ENGINE_MAIN = "import sys; from service.stores.engine import main; main(sys.argv[1:])"
#: Seconds between two looks at the engine's memory.
_WATCH_EVERY = 0.25
#: Seconds an engine that ran this long before dying counts as healthy: its restart is not delayed.
_HEALTHY_AFTER = 10.0


class SupervisedStore(SparqlStore):
    """The store at `path`, in an engine process restarted whenever it stops.

    `network` False (no SERVICE allow-list) runs the engine cut off from every network; `jemalloc`
    runs it with jemalloc for its memory where the library is installed (Debian's libjemalloc2). Past
    `max_memory` bytes the engine is restarted; None sets no limit. A query is given `grace` seconds
    past its deadline to stop by itself before the engine is killed. Raises StoreUnavailable when
    the engine cannot start within `start_timeout` (another process holds the store, say).
    """

    stops_its_queries = True

    def __init__(
        self,
        path: str,
        *,
        network: bool,
        max_memory: int | None = None,
        jemalloc: bool = True,
        grace: float = 1.0,
        start_timeout: float = 60.0,
    ) -> None:
        self.path = path
        self._network = network
        self._max_memory = max_memory
        # jemalloc, where installed: measured at 1M triples, the aggregate over all statuses under 4
        # threads took 0.60 s a query against 0.75 s with glibc's malloc (its arenas contend).
        self._preload = ctypes.util.find_library("jemalloc") if jemalloc else None
        self._grace = grace
        self._start_timeout = start_timeout
        self._authkey = secrets.token_hex(16)
        self._folder = tempfile.mkdtemp(prefix="unkg-engine-")  # 0700: the socket is ours alone
        self._changed = threading.Condition()
        self._process: subprocess.Popen[bytes] | None = None
        self._socket = ""
        self._generation = 0
        self._ready = False
        self._closing = False
        self._failure: str | None = None
        self._deliberate = False  # the running engine was killed on purpose
        self._idle: list[tuple[int, Connection]] = []
        #: How many times the engine was started again (after a crash, a kill or the memory limit).
        self.restarts = 0
        self._calls = 0
        # The supervisor thread starts every engine: the engine dies with the thread that started it
        # (PR_SET_PDEATHSIG), and this thread lives as long as the store.
        self._supervisor = threading.Thread(target=self._supervise, name="unkg-engine", daemon=True)
        self._supervisor.start()
        with self._changed:
            self._changed.wait_for(lambda: self._ready or self._failure is not None, timeout=start_timeout)
            if not self._ready:
                failure = self._failure or f"it did not answer within {start_timeout:g} s"
                self._closing = True
                shutil.rmtree(self._folder, ignore_errors=True)
                raise StoreUnavailable(f"the engine could not open the store at {path}: {failure}")

    # The supervisor

    def _supervise(self) -> None:
        delay = 0.1
        while not self._closing:
            try:
                process = self._start()
            except StoreUnavailable as exc:
                with self._changed:
                    self._failure = str(exc)
                    self._changed.notify_all()
                time.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            started = time.monotonic()
            self._watch(process)
            with self._changed:
                self._ready = False
                idle, self._idle = self._idle, []
                deliberate, self._deliberate = self._deliberate, False
            for _, connection in idle:
                connection.close()
            if self._closing:
                return
            self.restarts += 1
            logger.error("the engine stopped (%s); starting it again", _ending(process.returncode))
            # An engine that keeps dying on its own soon after it starts is given more time each time;
            # one stopped on purpose (a runaway query, the memory limit) is replaced at once, or every
            # runaway query would leave the service waiting longer.
            if deliberate or time.monotonic() - started > _HEALTHY_AFTER:
                delay = 0.1
            else:
                delay = min(delay * 2, 5.0)
            time.sleep(delay)

    def _start(self) -> subprocess.Popen[bytes]:
        socket = os.path.join(self._folder, f"engine-{self._generation + 1}.sock")
        # Not `-m service.stores.engine`: this package imports that module, and runpy warns.
        command = [sys.executable, "-c", _ENGINE_MAIN, socket, self.path]
        if not self._network:
            command.append("--no-network")
        environment = {
            **os.environ,
            AUTHKEY_VARIABLE: self._authkey,
            PARENT_VARIABLE: str(os.getpid()),
        }
        if self._preload:
            environment["LD_PRELOAD"] = " ".join(filter(None, [self._preload, os.environ.get("LD_PRELOAD")]))
        process = subprocess.Popen(command, stdout=subprocess.PIPE, env=environment)
        assert process.stdout is not None
        with process.stdout:  # the engine writes one line there, nothing after it
            readable, _, _ = select.select([process.stdout], [], [], self._start_timeout)
            line = process.stdout.readline() if readable else b""
        if line != b"ready\n":
            process.kill()
            raise StoreUnavailable(f"the engine did not start ({_ending(process.wait())})")
        with self._changed:
            self._process = process
            self._socket = socket
            self._generation += 1
            self._ready = True
            self._failure = None
            self._changed.notify_all()
        logger.info("engine %d ready (pid %d)", self._generation, process.pid)
        return process

    def _watch(self, process: subprocess.Popen[bytes]) -> None:
        """Return when `process` has ended; stop it first if it outgrows the memory limit.

        It waits on a pidfd, which wakes it the moment the engine dies and otherwise every
        `_WATCH_EVERY` seconds, without the GIL: Popen.wait(timeout) polls, waking up to 50 times a
        second and taking the GIL from the threads that answer requests."""
        generation = self._generation
        try:
            ended = os.pidfd_open(process.pid)
        except ProcessLookupError:
            process.wait()  # gone already (and reaped by a caller's poll)
            return
        try:
            while process.poll() is None:
                select.select([ended], [], [], _WATCH_EVERY)
                if self._max_memory is not None and process.poll() is None:
                    rss = resident_bytes(process.pid)
                    if rss > self._max_memory:
                        limit = self._max_memory >> 20
                        self._kill(generation, f"it holds {rss >> 20} MiB, over its limit of {limit} MiB")
        finally:
            os.close(ended)

    def _kill(self, generation: int, why: str) -> None:
        with self._changed:
            if generation != self._generation or self._process is None:
                return  # that engine is gone already
            logger.warning("stopping engine %d: %s", generation, why)
            self._ready = False
            self._deliberate = True
            self._process.kill()

    # Calls

    def _connect(self) -> tuple[int, Connection]:
        """A connection to the running engine; waits for one that is starting (again)."""
        deadline = time.monotonic() + self._start_timeout
        while True:
            with self._changed:
                if not self._changed.wait_for(
                    lambda: self._ready or self._closing or self._failure is not None,
                    timeout=max(deadline - time.monotonic(), 0),
                ):
                    raise StoreUnavailable("the engine is starting again and did not answer in time")
                if self._closing:
                    raise StoreUnavailable("the store is closed")
                if not self._ready:
                    # It fails to start (the store gone, or locked by another process): say so at once.
                    raise StoreUnavailable(f"the engine cannot start: {self._failure}")
                generation = self._generation
                while self._idle:
                    idle_generation, connection = self._idle.pop()
                    # An idle connection has nothing to read, unless its engine has hung up (died).
                    if idle_generation == generation and not connection.poll(0):
                        return generation, connection
                    connection.close()
                socket = self._socket
            try:
                return generation, Client(socket, family="AF_UNIX", authkey=self._authkey.encode())
            except (OSError, EOFError) as exc:
                # Most often an engine that has just died, before the supervisor saw it: wait for the
                # next one. A live one is tried again until the deadline.
                with self._changed:
                    process = self._process
                    if generation == self._generation and process is not None and process.poll() is not None:
                        self._ready = False
                if time.monotonic() > deadline:
                    raise StoreUnavailable(f"cannot reach the engine: {exc}") from exc
                time.sleep(0.05)

    def _release(self, generation: int, connection: Connection) -> None:
        with self._changed:
            if generation == self._generation and not self._closing:
                self._idle.append((generation, connection))
                return
        connection.close()

    def _receive(self, connection: Connection, generation: int, deadline: float | None) -> Any:
        if deadline is not None and not connection.poll(max(deadline - time.monotonic(), 0)):
            self._kill(generation, "a query ran past its time")
            raise QueryTimeout("the query ran past its time limit and was stopped")
        try:
            kind, payload = connection.recv()
        except (EOFError, OSError) as exc:
            if deadline is not None and time.monotonic() >= deadline:
                raise QueryTimeout("the query ran past its time limit and was stopped") from exc
            self._kill(generation, "it hung up while answering")
            raise EngineRestarted("the engine stopped while answering; it is starting again") from exc
        if kind == "error":
            raise decode_error(payload)
        if kind == "fault":
            raise StoreError(f"the engine refused the call: {payload}")
        return payload

    @contextmanager
    def _session(
        self, request: tuple[str, tuple[Any, ...], dict[str, Any]]
    ) -> Iterator[tuple[int, Connection]]:
        """A connection that has sent `request`, counted while the call lasts: a call ends only when
        the engine has answered it or is dead, so the count bounds the evaluations running in it."""
        generation, connection = self._connect()
        with self._changed:
            self._calls += 1
        try:
            try:
                connection.send(request)
            except (OSError, EOFError) as exc:
                self._kill(generation, "it hung up before a call")
                raise EngineRestarted("the engine stopped before the call; it is starting again") from exc
            yield generation, connection
        except BaseException:
            # Failed or stopped early: what may still be on its way makes the connection unusable.
            connection.close()
            raise
        else:
            self._release(generation, connection)
        finally:
            with self._changed:
                self._calls -= 1

    def _call(self, call: str, *args: Any, deadline: float | None = None, **kwargs: Any) -> Any:
        with self._session((call, args, kwargs)) as (generation, connection):
            return self._receive(connection, generation, deadline)

    # The store interface

    def query(
        self,
        query: str,
        *,
        accept: str = DEFAULT_ACCEPT,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        base_iri: str | None = None,
        limits: QueryLimits = NO_LIMITS,
        bindings: Bindings | None = None,
    ) -> SparqlResult:
        deadline = None if limits.timeout is None else time.monotonic() + limits.timeout + self._grace
        try:
            result: SparqlResult = self._call(
                "query",
                query,
                accept=accept,
                default_graphs=tuple(default_graphs),
                named_graphs=tuple(named_graphs),
                base_iri=base_iri,
                limits=limits,
                bindings=dict(bindings) if bindings else None,
                deadline=deadline,
            )
        except QueryTimeout as exc:
            raise QueryTimeout(f"the query ran past the {limits.timeout:g} s limit and was stopped") from exc
        return result

    def solutions(self, query: str) -> Iterator[Solution]:
        with self._session(("solutions", (query,), {})) as (generation, connection):
            while (batch := self._receive(connection, generation, None)) is not None:
                yield from batch

    def update(self, update: str) -> None:
        self._call("update", update)

    def load(
        self,
        data: bytes | IO[bytes],
        *,
        media_type: str,
        graph: str | None = None,
        replace: bool = False,
    ) -> int:
        content = data if isinstance(data, bytes) else data.read()
        count: int = self._call("load", content, media_type=media_type, graph=graph, replace=replace)
        return count

    def dump(
        self, output: IO[bytes], *, media_type: str, graph: str | None = None, named_only: bool = False
    ) -> None:
        request = ("dump", (), {"media_type": media_type, "graph": graph, "named_only": named_only})
        with self._session(request) as (generation, connection):
            while (chunk := self._receive(connection, generation, None)) is not None:
                output.write(chunk)

    def close(self) -> None:
        with self._changed:
            self._closing = True
            process = self._process
            idle, self._idle = self._idle, []
            self._changed.notify_all()
        for _, connection in idle:
            connection.close()
        if process is not None and process.poll() is None:
            process.terminate()  # the engine flushes and releases the store's lock
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._supervisor.join(timeout=5)
        shutil.rmtree(self._folder, ignore_errors=True)

    def engine_status(self) -> EngineStatus:
        with self._changed:
            pid = self._process.pid if self._ready and self._process is not None else None
            calls = self._calls
        return EngineStatus(
            pid=pid, restarts=self.restarts, memory_bytes=resident_bytes(pid) if pid else 0, calls=calls
        )


def resident_bytes(pid: int) -> int:
    """How much memory process `pid` holds (its resident set), 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _ending(returncode: int | None) -> str:
    if returncode is None:
        return "still running"
    if returncode < 0:
        return f"killed by signal {-returncode}"
    return f"exit status {returncode}"
