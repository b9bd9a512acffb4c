"""VersionedStore: any store, with a version number that every write through it advances.

The version lives in the store itself (`<system graph> unkg:version N`), advanced in the same update
request as the write it follows, so result caches and ETags keyed by it are exact: any write changes it.
Query results are cached under it (`cache_bytes` of them; 0, the default, caches nothing).
"""

from __future__ import annotations

import io
import logging
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import IO

import pyoxigraph

from service.errors import LayoutError, RdfSyntaxError, StoreError, StoreUnavailable, UnsupportedMediaType
from service.rdf import count_quads, iri, rdf_format, term
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
from service.stores.cache import ResultCache
from service.stores.dataset import DEFAULT_GRAPH, Layout, graph_ref
from service.stores.system import SystemGraph
from service.stores.updates import replace_graph_update
from service.syntax import parse_quads

logger = logging.getLogger(__name__)


class VersionedStore(SparqlStore):
    """Wraps `store`; `version()` is the number of writes made through any VersionedStore on it.

    With `shared=False` (an embedded store, which one process owns) the version is kept in memory
    after the first read; with `shared=True` (a remote endpoint other servers may write to) it is read
    from the store on every call.
    """

    def __init__(
        self,
        store: SparqlStore,
        *,
        version_graph: str,
        shared: bool,
        cache_bytes: int = 0,
        layout: Layout | None = None,
    ) -> None:
        self.store = store
        #: What the default graph is; loads keep it so (changesets do in their own update).
        self.layout = layout or Layout(
            union=False,
            excluded=frozenset({version_graph}),
            write_graph=DEFAULT_GRAPH,
            bookkeeping=frozenset({version_graph}),
        )
        #: The named graphs at a version (the store's, when it is not shared), for hiding_bookkeeping.
        self._graphs: tuple[int, list[str]] | None = None
        self.cache = ResultCache(max_bytes=cache_bytes)
        #: Where the version and the rest of the service's bookkeeping are kept.
        self.system = SystemGraph(version_graph)
        self._shared = shared
        self._known: int | None = None
        self._lock = threading.Lock()

    def _bump(self, only_if: str = "") -> str:
        return self.system.bump(only_if)

    def modified(self) -> str | None:
        """When the last write through VersionedStore happened (xsd:dateTime), if one did."""
        return self.system.modified(self.store)

    def known_version(self) -> int | None:
        """The version without reading the store: known on an embedded store after the first read,
        never on a shared one (other servers may have written since)."""
        return None if self._shared else self._known

    def version(self) -> int:
        """How many writes the store has seen through VersionedStore."""
        if self._known is not None and not self._shared:
            return self._known
        found = self.system.version(self.store)
        self._known = found
        return found

    def stored_version(self) -> int:
        """The version as the store holds it now, read from it (and remembered): what a guarded write
        compares with, so that a version the store lost or moved outside this wrapper cannot wedge it."""
        found = self.system.version(self.store)
        with self._lock:
            self._known = found
            return found

    def _advanced(self) -> None:
        with self._lock:
            if self._known is not None:
                self._known += 1

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
        def evaluate() -> SparqlResult:
            return self.store.query(
                query,
                accept=accept,
                default_graphs=default_graphs,
                named_graphs=named_graphs,
                base_iri=base_iri,
                limits=limits,
                bindings=bindings,
            )

        if not self.cache.max_bytes:
            return evaluate()
        # The version is read before the query runs: a write during it makes a newer version, so the
        # entry stored below can never be served for data it does not show.
        bound = tuple(sorted((name, str(value)) for name, value in (bindings or {}).items()))
        key = (
            self.version(),
            query,
            accept,
            tuple(default_graphs),
            tuple(named_graphs),
            base_iri,
            limits,
            bound,
        )
        cached = self.cache.get(key)
        if cached is not None:
            return replace(cached, cached=True)
        result = evaluate()
        self.cache.put(key, result)
        return result

    def solutions(self, query: str) -> Iterator[Solution]:
        return self.store.solutions(query)

    def hiding_bookkeeping(self, query: str) -> tuple[list[str], list[str]] | None:
        """The dataset under which `GRAPH ?g` in `query` ranges over the data graphs only, unkg's own
        graphs left out unless the query names them by IRI: (default graphs, named graphs), the
        default graph being the store's own; None on a shared store, whose endpoint has no name for
        its own default graph. Slower than Layout.hide_bookkeeping's filter with many graphs (7.7x
        for a selective query over 562 graphs at 1M triples), so only for what the filter cannot do:
        the engine leaves ?g unbound in `GRAPH ?g { subquery }`, and the filter would drop every row
        (the W3C subquery tests sq01, sq03-05 pass this way)."""
        if self._shared or not self.layout.bookkeeping:
            return None
        version = self.version()
        if self._graphs is None or self._graphs[0] != version:
            self._graphs = (version, self._named_graphs())
        named = [
            graph
            for graph in self._graphs[1]
            if graph not in self.layout.bookkeeping or f"<{graph}>" in query
        ]
        return [DEFAULT_GRAPH], named

    def update(self, update: str, *, landed_if: str | None = None) -> None:
        """Write, and count the write in the version, in one request: both happen or neither does.

        `landed_if` is for an update that may change nothing by design (a guarded write held back
        because the store moved since its check): a graph pattern that holds only if it landed, so
        that one held back leaves the version as it was, ETags and cached answers with it."""
        try:
            self.store.update(f"{update}\n;\n{self._bump(landed_if or '')}")
        except StoreUnavailable:
            # The answer was lost (an engine killed mid-write): the write may have landed or not.
            with self._lock:
                self._known = None
            raise
        if landed_if is None:
            self._advanced()
        else:
            with self._lock:
                self._known = None  # moved or not: read again when next asked, not now

    def load(
        self,
        data: bytes | IO[bytes],
        *,
        media_type: str,
        graph: str | None = None,
        replace: bool = False,
    ) -> int:
        """Load as the store does, into the graph the layout makes of `graph` (a write to the default
        graph goes to the union's write graph), keeping the union default graph whole."""
        dataset = rdf_format(media_type).supports_datasets
        target = None if dataset else self.layout.target(graph)
        into = None if target in (None, DEFAULT_GRAPH) else target
        if replace and target is not None and self.layout.member(target):
            # The graph leaves the union, is replaced and joins it again: one update, one step.
            count = count_quads(data, media_type=media_type)
            forget, adopt = self.layout.forget(target), self.layout.adopt(target)
            replaced = replace_graph_update(target, data, media_type=media_type)
            self.update(f"{forget} ;\n{replaced} ;\n{adopt}")
            return count
        joins = dataset or (target is not None and self.layout.member(target))
        try:
            if self.layout.union and not replace and joins:
                # Each quad and its copy in the union in one load: the union never lags the data.
                with self._spread(data, media_type=media_type, graph=target) as (count, spread):
                    self.store.load(spread, media_type="application/n-quads")
            else:
                count = self.store.load(data, media_type=media_type, graph=into, replace=replace)
        except (RdfSyntaxError, UnsupportedMediaType, ValueError):
            raise  # refused before anything was written
        except Exception:
            # It may have written part-way: advance the version so that no cache keeps an older answer.
            self.store.update(self._bump())
            self._advanced()
            raise
        # A load cannot share a request with the version, so the version follows it.
        self.store.update(self._bump())
        self._advanced()
        return count

    @contextmanager
    def _spread(
        self, data: bytes | IO[bytes], *, media_type: str, graph: str | None
    ) -> Iterator[tuple[int, bytes | IO[bytes]]]:
        """`data` as N-Quads laid out as the union wants it (Layout.spread), and how many quads it
        had: bytes for bytes (one transaction), a temporary file for a stream (the bulk loader).

        Raises RdfSyntaxError with the line and column in `data`, UnsupportedMediaType."""
        read = 0

        def counted() -> Iterator[pyoxigraph.Quad]:
            nonlocal read
            for quad in parse_quads(data, format=rdf_format(media_type)):
                read += 1
                yield quad

        spread = self.layout.spread(counted(), graph=graph)
        if isinstance(data, bytes):
            content = io.BytesIO()
            pyoxigraph.serialize(spread, content, format=pyoxigraph.RdfFormat.N_QUADS)
            yield read, content.getvalue()
            return
        with tempfile.TemporaryFile() as output:
            pyoxigraph.serialize(spread, output, format=pyoxigraph.RdfFormat.N_QUADS)
            output.seek(0)
            yield read, output

    def _orphans_to_write_graph(self) -> str:
        """The update that moves the triples of the store's own default graph that no named graph
        holds (a dataset's default graph, or data from before the union) into the write graph."""
        write = term(iri(self.layout.write_graph))
        return (
            f"INSERT {{ GRAPH {write} {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o "
            "FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"
        )

    def arrange(self) -> bool:
        """Make the store's default graph what the layout says, if it was laid out otherwise (a new
        setting, or a store from before layouts); True if it was changed.

        The union is copied graph by graph, each copy a transaction of its own, so that what it takes
        is bounded by the largest data graph, not the store (one copy of 1M triples took 1.2 GB, past
        ~3.5M triples more than the engine's memory limit). The layout is recorded last: a copy cut
        short leaves the store marked as before, and the next start does it again.
        Raises LayoutError naming what failed when the copy does (StoreError when the store cannot
        be read at all).
        """
        wanted = self.layout.marker()
        was = self.system.layout(self.store)
        if was == wanted:
            return False
        try:
            if self.layout.union:
                if was is None or was == "standard":
                    # The store's own default graph held data: it moves to the write graph, kept.
                    self.store.update(self._orphans_to_write_graph())
                self.store.update("CLEAR SILENT DEFAULT")
                members = [graph for graph in self._named_graphs() if self.layout.member(graph)]
                logger.info("laying out the default graph: copying %d data graphs into it", len(members))
                for graph in members:
                    self.store.update(f"ADD SILENT {graph_ref(graph)} TO DEFAULT")
            elif was is not None and was != "standard":
                self.store.update("CLEAR SILENT DEFAULT")  # the union's copy, not data of its own
            self.update(self.system.set_layout(wanted))
        except StoreError as exc:
            raise LayoutError(
                f"the default graph could not be laid out as {self.layout.describe()} ({exc}); the "
                "store is left marked as it was, so the next start tries again (`unkg install` does it "
                "in its own process, without the engine's memory limit)"
            ) from exc
        return True

    def _named_graphs(self) -> list[str]:
        rows = self.store.solutions("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        return sorted(row[0].value for row in rows if isinstance(row[0], pyoxigraph.NamedNode))

    def dump(
        self, output: IO[bytes], *, media_type: str, graph: str | None = None, named_only: bool = False
    ) -> None:
        """As the store dumps; a dataset leaves out the union's copy (its default graph is derived)."""
        named_only = named_only or (self.layout.union and graph is None)
        self.store.dump(output, media_type=media_type, graph=graph, named_only=named_only)

    def engine_status(self) -> EngineStatus | None:
        return self.store.engine_status()

    @property
    def stops_its_queries(self) -> bool:  # type: ignore[override]
        return self.store.stops_its_queries

    def close(self) -> None:
        self.store.close()
