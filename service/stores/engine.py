"""The engine process: the embedded store, evaluated in a process of its own that unkg can kill.

`SupervisedStore` starts it (`main(SOCKET, STORE_PATH[, --no-network])`)
and talks to it over a Unix socket: each request a call of an `OxigraphStore` method, pickled, each
answer its result or its error. A query that crashes the engine or runs past its time takes this
process down, never the web server, and the supervisor starts it again on the same store.

With `--no-network` (no SERVICE allow-list) the process first moves into network namespaces of its
own, where it can reach no address at all: a SERVICE or LOAD that got past the checks has nowhere to
go. Where the kernel refuses (no user namespaces), it says so and goes on with the checks alone.
"""

from __future__ import annotations

import ctypes
import io
import logging
import os
import signal
import sys
import threading
from collections.abc import Iterator
from multiprocessing import AuthenticationError
from multiprocessing.connection import Connection, Listener, answer_challenge, deliver_challenge
from typing import IO, Any, cast

from service.errors import ServiceError, StoreError
from service.stores.oxigraph import OxigraphStore

logger = logging.getLogger(__name__)

#: The calls a client may make: the store interface, nothing else.
CALLS = frozenset({"query", "solutions", "update", "load", "dump"})
#: Rows per message when a SELECT's solutions are streamed back.
BATCH = 2_000
#: Bytes per message when a dump is streamed back.
CHUNK = 1 << 20
#: Environment variable carrying the socket's authentication key (never on the command line).
AUTHKEY_VARIABLE = "UNKG_ENGINE_AUTHKEY"
#: Environment variable naming the process the engine belongs to: it never outlives it.
PARENT_VARIABLE = "UNKG_ENGINE_PARENT"
_PR_SET_PDEATHSIG = 1
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


def die_with_parent() -> None:
    """Be killed when the thread that started this process ends (even by SIGKILL), so that an engine
    never holds the store's lock for a server that is gone."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if str(os.getppid()) != os.environ.get(PARENT_VARIABLE, str(os.getppid())):
        os._exit(1)  # the parent was gone before the line above took effect


def cut_network() -> bool:
    """Move this process into a network namespace of its own (only a loopback, down): True if done.

    Must run while the process has a single thread (before the store opens)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for flags in (_CLONE_NEWNET, _CLONE_NEWUSER | _CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return True
    logger.warning(
        "the engine could not leave the network (%s): only the SERVICE and LOAD checks guard it",
        os.strerror(ctypes.get_errno()),
    )
    return False


def encode_error(exc: ServiceError) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
    """An error as its class name, args and attributes: our errors' constructors differ, so they are
    rebuilt without calling them (see `decode_error`)."""
    return type(exc).__name__, exc.args, dict(vars(exc))


def decode_error(encoded: tuple[str, tuple[Any, ...], dict[str, Any]]) -> ServiceError:
    """The error `encode_error` wrote, rebuilt as its own class (StoreError if unknown)."""
    name, args, attributes = encoded
    cls = _ERRORS.get(name, StoreError)
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    vars(error).update(attributes)
    return error


def _subclasses(cls: type[ServiceError]) -> Iterator[type[ServiceError]]:
    yield cls
    for subclass in cls.__subclasses__():
        yield from _subclasses(subclass)


_ERRORS = {cls.__name__: cls for cls in _subclasses(ServiceError)}


def _serve(store: OxigraphStore, connection: Connection, authkey: bytes) -> None:
    """Check that the client holds the key, then answer its calls, one at a time, until it hangs up."""
    with connection:
        try:
            # Here, not in accept(): one slow or failed handshake never holds up the others.
            deliver_challenge(connection, authkey)
            answer_challenge(connection, authkey)
        except (OSError, EOFError, AuthenticationError) as exc:
            logger.warning("refused a connection: %s", exc)
            return
        while True:
            try:
                call, args, kwargs = connection.recv()
            except (EOFError, OSError):
                return
            try:
                if call not in CALLS:
                    raise ValueError(f"unknown call {call!r}")
                _answer(store, connection, call, args, kwargs)
            except ServiceError as exc:
                connection.send(("error", encode_error(exc)))
            except Exception as exc:
                # A fault of this call alone (pyoxigraph's MemoryError past its buffer, say): the engine
                # stays up for the others, and the caller hears what it was.
                logger.exception("call %s failed", call)
                connection.send(("fault", f"{type(exc).__name__}: {exc}"))


class _Chunks(io.RawIOBase):
    """A file that sends what is written to it as ("more", bytes) messages of about `CHUNK` bytes, so
    a dump of the whole store never sits whole in the engine's memory, nor in one message."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._pending = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._pending += data
        if len(self._pending) >= CHUNK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._pending:
            self._connection.send(("more", bytes(self._pending)))
            self._pending.clear()


def _answer(store: OxigraphStore, connection: Connection, call: str, args: Any, kwargs: Any) -> None:
    if call == "solutions":
        batch = []
        for row in store.solutions(*args, **kwargs):
            batch.append(row)
            if len(batch) == BATCH:
                connection.send(("more", batch))
                batch = []
        connection.send(("more", batch))
        connection.send(("ok", None))
    elif call == "dump":
        with _Chunks(connection) as output:
            store.dump(cast(IO[bytes], output), *args, **kwargs)
        connection.send(("ok", None))
    else:
        connection.send(("ok", getattr(store, call)(*args, **kwargs)))


def main(argv: list[str]) -> None:
    socket_path, store_path, *flags = argv
    die_with_parent()
    logging.basicConfig(level=logging.INFO, format="engine: %(levelname)s %(message)s")
    if "--no-network" in flags:
        cut_network()
    store = OxigraphStore(store_path)
    authkey = os.environ.pop(AUTHKEY_VARIABLE).encode()

    def stop(signum: int, frame: Any) -> None:
        # Flush and release the store's lock before leaving: the next engine opens it at once.
        store.close()
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    # A deep backlog: the web server opens a connection per concurrent call when the engine is new.
    with Listener(socket_path, family="AF_UNIX", backlog=128) as listener:
        # The supervisor waits for this line: from now on the socket accepts calls.
        sys.stdout.write("ready\n")
        sys.stdout.flush()
        while True:
            connection = listener.accept()
            threading.Thread(target=_serve, args=(store, connection, authkey), daemon=True).start()
