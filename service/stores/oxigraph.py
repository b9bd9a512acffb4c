"""OxigraphStore: the embedded pyoxigraph store, on disk or in memory."""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TypeVar

import pyoxigraph

from service.errors import QueryEvaluationError, QuerySyntaxError, StoreError, StoreUnavailable
from service.lexing import bind_values
from service.rdf import count_quads, rdf_format
from service.stores.base import (
    DEFAULT_ACCEPT,
    NO_LIMITS,
    Bindings,
    QueryLimits,
    Solution,
    SparqlResult,
    SparqlStore,
)
from service.stores.capped import write_native, write_result
from service.stores.dataset import DEFAULT_GRAPH
from service.stores.updates import replace_graph_update
from service.syntax import query_syntax_message, rdf_syntax_error

logger = logging.getLogger(__name__)
_Written = TypeVar("_Written", SparqlResult, SparqlResult | None)


@contextmanager
def _explained(query: str) -> Iterator[None]:
    """A query's syntax error in the user's terms (an undeclared prefix, an update sent as a query)."""
    try:
        yield
    except QuerySyntaxError as exc:
        raise QuerySyntaxError(query_syntax_message(query, str(exc))) from exc


@contextmanager
def _translated() -> Iterator[None]:
    """Turn pyoxigraph's errors into ours, once."""
    try:
        yield
    except SyntaxError as exc:
        raise QuerySyntaxError(str(exc)) from exc
    except RuntimeError as exc:
        # What the engine cannot evaluate in a well-formed query, such as an unknown function.
        raise QueryEvaluationError(str(exc)) from exc
    except OSError as exc:
        raise StoreError(str(exc)) from exc


class OxigraphStore(SparqlStore):
    """pyoxigraph.Store in memory (`path=None`) or in the directory `path`.

    pyoxigraph releases the GIL while it evaluates, so plain threads can share one instance.
    """

    def __init__(self, path: str | None = None) -> None:
        try:
            if path:
                Path(path).mkdir(parents=True, exist_ok=True)
            self._store = pyoxigraph.Store(path) if path else pyoxigraph.Store()
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreUnavailable(
                    f"the store at {path} is in use by another process, most likely a running `unkg "
                    "serve` (it holds the store while it runs): send the query to that server "
                    "(curl http://127.0.0.1:8000/sparql --data-urlencode 'query=…'), or stop it first"
                ) from exc
            raise StoreUnavailable(f"cannot open the store at {path}: {exc}") from exc
        self.path = path

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
        started = time.monotonic()
        options: dict[str, Any] = {"base_iri": base_iri}
        if default_graphs or named_graphs:
            # The protocol's dataset is the whole dataset: graphs it does not name are not in it.
            options["default_graph"] = [
                pyoxigraph.DefaultGraph() if graph == DEFAULT_GRAPH else pyoxigraph.NamedNode(graph)
                for graph in default_graphs
            ]
            options["named_graphs"] = [pyoxigraph.NamedNode(graph) for graph in named_graphs]
        # Otherwise the store's own default graph: the data's union, where the layout keeps it there.
        if bindings:
            # As a VALUES block, not pyoxigraph's substitutions: measured at 1M triples, a named
            # question took 0.15 s with VALUES and 80 s with substitutions (the same rows).
            query = bind_values(query, bindings)
        with _explained(query), _translated():
            # Results are lazy: evaluation happens while writing them, so errors can surface there too.
            written = self._written(
                query, options, write_native, accept=accept, limits=limits, started=started
            )
            if written is None:
                # Too big for the caps to leave whole: evaluated again, row by row, to cut at a row.
                written = self._written(
                    query, options, write_result, accept=accept, limits=limits, started=started
                )
            return written

    def _written(
        self, query: str, options: dict[str, Any], writer: Callable[..., _Written], **how: Any
    ) -> _Written:
        result = self._store.query(query, **options)
        try:
            return writer(result, **how)
        except BaseException as exc:
            # pyoxigraph's results must be dropped on the thread that made them (dropping them ends
            # their evaluation): free them here, not wherever the exception ends up.
            traceback.clear_frames(exc.__traceback__)
            raise
        finally:
            del result

    def solutions(self, query: str) -> Iterator[Solution]:
        with _translated():
            result = self._store.query(query)
            if not isinstance(result, pyoxigraph.QuerySolutions):
                raise ValueError("solutions() needs a SELECT query")
            for solution in result:
                yield tuple(solution)

    def update(self, update: str) -> None:
        with _translated():
            self._store.update(update)

    def load(
        self,
        data: bytes | IO[bytes],
        *,
        media_type: str,
        graph: str | None = None,
        replace: bool = False,
    ) -> int:
        count = count_quads(data, media_type=media_type)
        target = pyoxigraph.NamedNode(graph) if graph else None
        try:
            if replace:
                if graph is None:
                    raise ValueError("replace needs a graph")
                self._store.update(replace_graph_update(graph, data, media_type=media_type))
            elif isinstance(data, bytes):
                # Small inputs: one transaction.
                self._store.load(data, format=rdf_format(media_type), to_graph=target)
            else:
                # Streams may be large: the bulk loader, safe now that the whole input has parsed,
                # and lenient because the check above has already validated every IRI.
                self._store.bulk_load(data, format=rdf_format(media_type), to_graph=target, lenient=True)
        except SyntaxError as exc:
            raise rdf_syntax_error(exc) from exc
        except OSError as exc:
            raise StoreError(str(exc)) from exc
        return count

    def dump(
        self, output: IO[bytes], *, media_type: str, graph: str | None = None, named_only: bool = False
    ) -> None:
        fmt = rdf_format(media_type)
        source: pyoxigraph.NamedNode | pyoxigraph.DefaultGraph | None
        if named_only and graph is None and fmt.supports_datasets:
            with _translated():
                quads = self._store.quads_for_pattern(None, None, None, None)
                named = (quad for quad in quads if not isinstance(quad.graph_name, pyoxigraph.DefaultGraph))
                pyoxigraph.serialize(named, output, format=fmt)
            return
        if graph:
            source = pyoxigraph.NamedNode(graph)
        elif fmt.supports_datasets:
            source = None
        else:
            source = pyoxigraph.DefaultGraph()
        with _translated():
            self._store.dump(output, format=fmt, from_graph=source)

    def close(self) -> None:
        if self.path:
            with _translated():
                self._store.flush()
        # Dropping the last reference releases RocksDB's lock on the directory.
        del self._store
