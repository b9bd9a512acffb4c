"""The store interface: a SPARQL 1.1 dataset, whatever backend holds it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO

import pyoxigraph

#: What a query answers with when the client says nothing: results as SPARQL JSON, graphs as Turtle.
DEFAULT_ACCEPT = "application/sparql-results+json, text/turtle;q=0.9, */*;q=0.1"


@dataclass(frozen=True)
class QueryLimits:
    """What one query may take: seconds, result rows (or triples), bytes; None is no limit."""

    timeout: float | None = None
    max_rows: int | None = None
    max_bytes: int | None = None


NO_LIMITS = QueryLimits()

#: Values bound to a query's variables, by variable name: terms, never text.
Bindings = Mapping[str, pyoxigraph.NamedNode | pyoxigraph.Literal]

#: A value in a row of SELECT results.
Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple
#: One row of SELECT results: the values in the order of the projection, None where unbound.
Solution = tuple[Term | None, ...]


@dataclass(frozen=True)
class SparqlResult:
    content: bytes
    media_type: str
    #: Which cap cut the result short ("rows" or "bytes"), if one did.
    truncated: str | None = None
    #: Served from the result cache rather than evaluated.
    cached: bool = False


@dataclass(frozen=True)
class EngineStatus:
    """The engine process behind a store, where there is one: which, how often restarted, how big,
    and how many calls it has in hand (each evaluating, or waiting for its answer to be read)."""

    pid: int | None
    restarts: int
    memory_bytes: int
    calls: int


class SparqlStore:
    """A SPARQL 1.1 dataset. Routers and commands never see which backend is behind it.

    The default graph of a query is the store's own, unless `default_graphs` names some (what it
    holds is the layout's business: service/stores/dataset.py).
    """

    #: Whether a query past its time limit is stopped by the store itself, its CPU and memory given
    #: back, by the time `query` returns (else the evaluation may go on after QueryTimeout).
    stops_its_queries = False

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
        """Run `query` and serialize its result in the media type `accept` (an Accept header) prefers.

        `bindings` binds variables to terms as a VALUES block, the first element of the outermost
        group (of a SELECT or ASK): use them in that group and its filters, not inside subqueries.

        Relative IRIs in the query resolve against `base_iri` when the query sets no BASE itself.
        Past `limits.timeout` the evaluation stops (QueryTimeout); past a row or byte cap the result
        ends at its last whole row and `truncated` says which cap cut it.

        Raises QuerySyntaxError for a malformed query, NotAcceptable when no offered format for
        the query's result is accepted, StoreUnavailable or StoreTimeout when the backend cannot answer.
        """
        raise NotImplementedError

    def solutions(self, query: str) -> Iterator[Solution]:
        """The rows of a SELECT over the dataset (the store's default graph), as terms.

        For the service's own queries that read many rows at once (the catalog): no limits, no
        cache, and on the embedded store no serialization at all. Consume it on one thread.
        Raises QuerySyntaxError, StoreUnavailable or StoreTimeout.
        """
        raise NotImplementedError

    def update(self, update: str) -> None:
        """Apply a SPARQL 1.1 update, all of it or nothing.

        Raises QuerySyntaxError for a malformed update, StoreUnavailable or StoreTimeout.
        """
        raise NotImplementedError

    def load(
        self,
        data: bytes | IO[bytes],
        *,
        media_type: str,
        graph: str | None = None,
        replace: bool = False,
    ) -> int:
        """Add the triples or quads of `data` (into `graph` for triples) and return how many were read.

        The whole of `data` is parsed before anything is written, so a syntax error writes nothing.
        With `replace`, `graph` is emptied in the same step. A stream must be seekable.
        Raises RdfSyntaxError (with line and column), UnsupportedMediaType, StoreUnavailable.
        """
        raise NotImplementedError

    def dump(
        self, output: IO[bytes], *, media_type: str, graph: str | None = None, named_only: bool = False
    ) -> None:
        """Write every quad (TriG, N-Quads) or the triples of `graph` (None: the default graph) to
        `output`; `named_only` leaves the default graph out of a dataset."""
        raise NotImplementedError

    def engine_status(self) -> EngineStatus | None:
        """The engine process this store runs queries in, if it has one of its own (None: it has not)."""
        return None

    def close(self) -> None:
        """Release the backend; the store is unusable afterwards."""
