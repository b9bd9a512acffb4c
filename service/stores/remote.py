"""RemoteStore: any SPARQL 1.1 endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso, Neptune) over httpx."""

from __future__ import annotations

import re
import time
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import IO

import httpx
import pyoxigraph

from service.errors import (
    NotAcceptable,
    QuerySyntaxError,
    QueryTimeout,
    RdfSyntaxError,
    ServiceError,
    StoreTimeout,
    StoreUnavailable,
    UnsupportedMediaType,
)
from service.lexing import bind_values
from service.rdf import (
    DATASET_MEDIA_TYPES,
    RDF_MEDIA_TYPES,
    RESULTS_MEDIA_TYPES,
    count_quads,
    iri,
    rdf_format,
    term,
)
from service.stores.base import (
    DEFAULT_ACCEPT,
    NO_LIMITS,
    Bindings,
    QueryLimits,
    Solution,
    SparqlResult,
    SparqlStore,
)
from service.stores.capped import write_boolean, write_solutions, write_triples
from service.stores.updates import insert_data_update, replace_graph_update
from service.syntax import query_syntax_message

_CHUNK = 1 << 16
_REMOTE_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"


@contextmanager
def _translated(url: str) -> Iterator[None]:
    """Turn httpx's transport errors into ours, once."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise StoreTimeout(f"{url} did not answer in time") from exc
    except httpx.TransportError as exc:
        raise StoreUnavailable(f"cannot reach {url}: {exc}") from exc


def _check(response: httpx.Response, *, bad_request: type[ServiceError]) -> None:
    """Raise our error for a failed response; `bad_request` is what a 400 means for this call."""
    if response.is_success:
        return
    detail = response.text.strip()[:2000]
    if response.status_code == 400:
        raise bad_request(detail)
    if response.status_code == 406:
        raise NotAcceptable(list(RESULTS_MEDIA_TYPES) + list(RDF_MEDIA_TYPES))
    if response.status_code == 415:
        raise UnsupportedMediaType(detail)
    raise StoreUnavailable(f"{response.request.url} answered {response.status_code}: {detail}")


def _chunks(data: bytes | IO[bytes]) -> bytes | Iterator[bytes]:
    return data if isinstance(data, bytes) else iter(lambda: data.read(_CHUNK), b"")


def _written(
    content: bytes, media_type: str, *, accept: str, limits: QueryLimits, started: float
) -> SparqlResult:
    """The remote answer (N-Triples, or SPARQL JSON results) written as `accept` asks."""
    if media_type == "application/n-triples":
        quads = pyoxigraph.parse(content, format=pyoxigraph.RdfFormat.N_TRIPLES)
        return write_triples((quad.triple for quad in quads), accept=accept, limits=limits, started=started)
    result = pyoxigraph.parse_query_results(content, format=pyoxigraph.QueryResultsFormat.JSON)
    if isinstance(result, pyoxigraph.QueryBoolean):
        return write_boolean(bool(result), accept=accept, limits=limits, started=started)
    return write_solutions(result, accept=accept, limits=limits, started=started)


class RemoteStore(SparqlStore):
    """A SPARQL 1.1 endpoint reached through `client`, which carries credentials and timeouts.

    The endpoint keeps a default graph of its own, as SPARQL 1.1 says (not the union of its graphs:
    Oxigraph without `--union-default-graph`); unkg writes there what its layout puts in the default
    graph (see service/stores/dataset.py).
    The store closes `client` when it is closed.
    """

    def __init__(
        self,
        client: httpx.Client,
        *,
        query_url: str,
        update_url: str,
        graph_store_url: str | None = None,
    ) -> None:
        self._client = client
        self.query_url = query_url
        self.update_url = update_url
        self.graph_store_url = graph_store_url

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
        if bindings:
            query = bind_values(query, bindings)
        asked = query
        if base_iri is not None:
            # The protocol has no base parameter; a BASE in the prologue does the same, and a BASE of
            # the query's own, coming later, still wins.
            query = f"BASE {term(iri(base_iri))}\n{query}"
        try:
            response = self._post_query(
                query,
                default_graphs=default_graphs,
                named_graphs=named_graphs,
                timeout=limits.timeout,
            )
        except QuerySyntaxError as exc:
            message = str(exc)
            if base_iri is not None:
                # Positions in the query as it was given, not as sent with the BASE line before it.
                message = re.sub(r"(\d+):(\d+)", lambda at: f"{int(at[1]) - 1}:{at[2]}", message, count=1)
            raise QuerySyntaxError(query_syntax_message(asked, message)) from exc
        except StoreTimeout as exc:
            if limits.timeout is None:
                raise
            raise QueryTimeout(f"the query ran past the {limits.timeout:g} s limit and was stopped") from exc
        media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type not in ("application/n-triples", "application/sparql-results+json"):
            raise StoreUnavailable(f"{self.query_url} answered in {media_type or 'no media type'}")
        try:
            return _written(response.content, media_type, accept=accept, limits=limits, started=started)
        except BaseException as exc:
            # pyoxigraph's parsers and results must be dropped on the thread that made them: an
            # exception (406, the deadline) that kept them in its frames would drop them wherever it
            # ends up, another thread, where pyoxigraph refuses ("… is unsendable").
            traceback.clear_frames(exc.__traceback__)
            raise

    def solutions(self, query: str) -> Iterator[Solution]:
        response = self._post_query(query, default_graphs=(), named_graphs=(), timeout=None)
        result = pyoxigraph.parse_query_results(response.content, format=pyoxigraph.QueryResultsFormat.JSON)
        if not isinstance(result, pyoxigraph.QuerySolutions):
            raise ValueError("solutions() needs a SELECT query")
        for solution in result:
            yield tuple(solution)

    def _post_query(
        self,
        query: str,
        *,
        default_graphs: Sequence[str],
        named_graphs: Sequence[str],
        timeout: float | None,
    ) -> httpx.Response:
        """POST `query` to the endpoint; results come as SPARQL JSON, graphs as N-Triples.

        `timeout` None is the client's own."""
        params: list[tuple[str, str | int | float | bool | None]] = [
            ("default-graph-uri", graph) for graph in default_graphs
        ]
        params += [("named-graph-uri", graph) for graph in named_graphs]
        with _translated(self.query_url):
            response = self._client.post(
                self.query_url,
                params=params,
                content=query.encode(),
                headers={"Content-Type": "application/sparql-query", "Accept": _REMOTE_ACCEPT},
                timeout=httpx.USE_CLIENT_DEFAULT if timeout is None else timeout,
            )
        _check(response, bad_request=QuerySyntaxError)
        return response

    def update(self, update: str) -> None:
        with _translated(self.update_url):
            response = self._client.post(
                self.update_url,
                content=update.encode(),
                headers={"Content-Type": "application/sparql-update"},
            )
        _check(response, bad_request=QuerySyntaxError)

    def load(
        self,
        data: bytes | IO[bytes],
        *,
        media_type: str,
        graph: str | None = None,
        replace: bool = False,
    ) -> int:
        # Parse here first: a syntax error names its line and nothing is sent.
        count = count_quads(data, media_type=media_type)
        if replace and graph is None:
            raise ValueError("replace needs a graph")
        if self.graph_store_url is None:
            if replace:
                assert graph is not None
                self.update(replace_graph_update(graph, data, media_type=media_type))
            else:
                self.update(insert_data_update(data, media_type=media_type, graph=graph))
            return count
        is_dataset = rdf_format(media_type).supports_datasets
        params = {"graph": graph} if graph else ({} if is_dataset else {"default": ""})
        with _translated(self.graph_store_url):
            response = self._client.request(
                "PUT" if replace else "POST",
                self.graph_store_url,
                params=params,
                content=_chunks(data),
                headers={"Content-Type": media_type},
            )
        _check(response, bad_request=RdfSyntaxError)
        return count

    def dump(
        self, output: IO[bytes], *, media_type: str, graph: str | None = None, named_only: bool = False
    ) -> None:
        fmt = rdf_format(media_type)
        if self.graph_store_url is not None and not (named_only and graph is None and fmt.supports_datasets):
            params = {"graph": graph} if graph else ({} if fmt.supports_datasets else {"default": ""})
            with _translated(self.graph_store_url):
                with self._client.stream(
                    "GET", self.graph_store_url, params=params, headers={"Accept": media_type}
                ) as response:
                    if not response.is_success:
                        response.read()
                        _check(response, bad_request=QuerySyntaxError)
                    for chunk in response.iter_bytes():
                        output.write(chunk)
            return
        # Without a Graph Store endpoint (or for the named graphs alone), read the quads back by SELECT.
        dataset = fmt in DATASET_MEDIA_TYPES.values() and graph is None
        if graph:
            where = f"GRAPH <{graph}> {{ ?s ?p ?o }}"
        elif not dataset:
            where = "?s ?p ?o"
        elif named_only:
            where = "GRAPH ?g { ?s ?p ?o }"
        else:
            where = "{ ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } }"
        result = self.query(f"SELECT * WHERE {{ {where} }}", accept="application/sparql-results+json")
        solutions = pyoxigraph.parse_query_results(result.content, format=pyoxigraph.QueryResultsFormat.JSON)
        assert isinstance(solutions, pyoxigraph.QuerySolutions)
        if dataset:
            quads = [
                pyoxigraph.Quad(row["s"], row["p"], row["o"], row["g"] or pyoxigraph.DefaultGraph())
                for row in solutions
            ]
            pyoxigraph.serialize(quads, output, format=fmt)
        else:
            pyoxigraph.serialize(
                [pyoxigraph.Triple(row["s"], row["p"], row["o"]) for row in solutions], output, format=fmt
            )

    def close(self) -> None:
        self._client.close()
