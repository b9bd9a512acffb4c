"""Writing a query's result within limits: a deadline, a number of rows and a number of bytes.

pyoxigraph evaluates lazily: the work happens as solutions and triples are pulled. Pulling them here,
one at a time, lets the deadline stop the evaluation itself (dropping the iterator ends it), and lets
the caps cut a result at a row, so that what is sent is still a whole, valid document.

SELECT results are written as SPARQL JSON by `_json_rows`; the other result formats are pyoxigraph's
own writers run over that JSON, so their details (escaping, CSV quoting) stay pyoxigraph's.

Pulling rows one at a time costs: each pull takes and gives back Python's lock, and under concurrent
requests every hand-over is a thread switch. So `write_native` first lets pyoxigraph write the whole
result itself, in one call, into a sink that checks the deadline at every buffer it is given (8 KiB)
and gives up once the result outgrows what the caps could never cut (every row or triple takes at
least one byte, so a result of at most `max_rows` bytes has at most `max_rows` rows). Only results
that big are written again row by row, where a cap can cut them at a whole row.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring as _string
from typing import IO, Any, cast

import pyoxigraph

from service.errors import QueryTimeout
from service.negotiation import choose_media_type
from service.rdf import RDF_MEDIA_TYPES, RESULTS_MEDIA_TYPES
from service.stores.base import QueryLimits, SparqlResult

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_JSON = "application/sparql-results+json"
# How many triples pass between two checks of the bytes written so far.
_BYTES_CHECK_EVERY = 256

Result = pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | pyoxigraph.QueryTriples


class _Deadline:
    def __init__(self, limits: QueryLimits, started: float) -> None:
        self.limits = limits
        self.at = None if limits.timeout is None else started + limits.timeout

    def check(self) -> None:
        if self.at is not None and time.monotonic() > self.at:
            raise QueryTimeout(f"the query ran past the {self.limits.timeout:g} s limit and was stopped")


def write_result(result: Result, *, accept: str, limits: QueryLimits, started: float) -> SparqlResult:
    """Serialize `result` in the media type `accept` prefers, stopping at the deadline or a cap.

    Raises QueryTimeout at the deadline, NotAcceptable when no offered format is accepted.
    """
    if isinstance(result, pyoxigraph.QueryTriples):
        return write_triples(result, accept=accept, limits=limits, started=started)
    if isinstance(result, pyoxigraph.QueryBoolean):
        return write_boolean(bool(result), accept=accept, limits=limits, started=started)
    return write_solutions(result, accept=accept, limits=limits, started=started)


def write_boolean(value: bool, *, accept: str, limits: QueryLimits, started: float) -> SparqlResult:
    media_type = choose_media_type(accept, list(RESULTS_MEDIA_TYPES))
    _Deadline(limits, started).check()
    # pyoxigraph makes a QueryBoolean only by parsing one.
    parsed = pyoxigraph.parse_query_results(
        b'{"head":{},"boolean":%s}' % (b"true" if value else b"false"),
        format=pyoxigraph.QueryResultsFormat.JSON,
    )
    content = parsed.serialize(format=RESULTS_MEDIA_TYPES[media_type]) or b""
    return SparqlResult(content, media_type)


def write_solutions(
    solutions: pyoxigraph.QuerySolutions, *, accept: str, limits: QueryLimits, started: float
) -> SparqlResult:
    media_type = choose_media_type(accept, list(RESULTS_MEDIA_TYPES))
    content, truncated = _json_rows(solutions, _Deadline(limits, started))
    if media_type != _JSON:
        parsed = pyoxigraph.parse_query_results(content, format=pyoxigraph.QueryResultsFormat.JSON)
        content = parsed.serialize(format=RESULTS_MEDIA_TYPES[media_type]) or b""
    return SparqlResult(content, media_type, truncated=truncated)


def _json_rows(solutions: pyoxigraph.QuerySolutions, deadline: _Deadline) -> tuple[bytes, str | None]:
    variables = [variable.value for variable in solutions.variables]
    keys = [(name, _string(name) + ":") for name in variables]
    limits = deadline.limits
    parts = ['{"head":{"vars":', json.dumps(variables), '},"results":{"bindings":[']
    size = sum(map(len, parts)) + 3
    truncated = None
    for count, solution in enumerate(solutions):
        deadline.check()
        if limits.max_rows is not None and count >= limits.max_rows:
            truncated = "rows"
            break
        fields = [key + _json_term(value) for name, key in keys if (value := solution[name]) is not None]
        text = ("{" if not count else ",{") + ",".join(fields) + "}"
        size += len(text)  # characters: a lower bound of the bytes, close enough to cut at
        if limits.max_bytes is not None and size > limits.max_bytes:
            truncated = "bytes"
            break
        parts.append(text)
    parts.append("]}}")
    return "".join(parts).encode(), truncated


def _json_term(value: Any) -> str:
    """One term as a SPARQL JSON object, written by hand: this runs for every value of every row."""
    if isinstance(value, pyoxigraph.NamedNode):
        return '{"type":"uri","value":' + _string(value.value) + "}"
    if isinstance(value, pyoxigraph.BlankNode):
        return '{"type":"bnode","value":' + _string(value.value) + "}"
    if isinstance(value, pyoxigraph.Literal):
        text = '{"type":"literal","value":' + _string(value.value)
        if value.language:
            return text + ',"xml:lang":' + _string(value.language) + "}"
        datatype = value.datatype.value
        if datatype in (_XSD_STRING, _LANG_STRING):
            return text + "}"
        return text + ',"datatype":' + _string(datatype) + "}"
    # RDF 1.2 triple terms
    return (
        '{"type":"triple","value":{"subject":'
        + _json_term(value.subject)
        + ',"predicate":'
        + _json_term(value.predicate)
        + ',"object":'
        + _json_term(value.object)
        + "}}"
    )


class _Sink(io.RawIOBase):
    """Collects what a pyoxigraph writer writes, counting the bytes; past `budget` bytes it stops the
    writer (OverBudget), and past the deadline too (QueryTimeout)."""

    def __init__(self, deadline: _Deadline | None = None, budget: int | None = None) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.deadline = deadline
        self.budget = budget

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.parts.append(chunk)
        self.size += len(chunk)
        if self.deadline is not None:
            self.deadline.check()
        if self.budget is not None and self.size > self.budget:
            raise OverBudget
        return len(chunk)


class OverBudget(Exception):
    """A result outgrew the size within which no cap can cut it: it must be written row by row."""


def write_native(result: Result, *, accept: str, limits: QueryLimits, started: float) -> SparqlResult | None:
    """Serialize `result` with pyoxigraph's own writer in one call, or None when it outgrew the size
    within which the caps cannot bind (then evaluate it again and use `write_result`).

    Raises QueryTimeout at the deadline, NotAcceptable when no offered format is accepted.
    """
    if isinstance(result, pyoxigraph.QueryBoolean):
        return write_boolean(bool(result), accept=accept, limits=limits, started=started)
    caps = [cap for cap in (limits.max_rows, limits.max_bytes) if cap is not None]
    sink = _Sink(_Deadline(limits, started), budget=min(caps) if caps else None)
    output = cast(IO[bytes], sink)
    if isinstance(result, pyoxigraph.QueryTriples):
        media_type = choose_media_type(accept, list(RDF_MEDIA_TYPES))
        fmt = RDF_MEDIA_TYPES[media_type]
        if fmt.supports_datasets:
            # pyoxigraph writes triples in graph formats only; quads are made one by one.
            return write_triples(result, accept=accept, limits=limits, started=started)
        try:
            result.serialize(output, format=fmt)
        except OverBudget:
            return None
    else:
        media_type = choose_media_type(accept, list(RESULTS_MEDIA_TYPES))
        try:
            result.serialize(output, format=RESULTS_MEDIA_TYPES[media_type])
        except OverBudget:
            return None
    return SparqlResult(b"".join(sink.parts), media_type)


def write_triples(
    triples: Iterable[pyoxigraph.Triple], *, accept: str, limits: QueryLimits, started: float
) -> SparqlResult:
    media_type = choose_media_type(accept, list(RDF_MEDIA_TYPES))
    deadline = _Deadline(limits, started)
    sink = _Sink()
    state: dict[str, str | None] = {"truncated": None}

    def capped() -> Iterator[pyoxigraph.Triple]:
        for count, triple in enumerate(triples):
            deadline.check()
            if limits.max_rows is not None and count >= limits.max_rows:
                state["truncated"] = "rows"
                return
            # The writer buffers, so the size seen lags; checking now and then keeps the cost low.
            if (
                limits.max_bytes is not None
                and count % _BYTES_CHECK_EVERY == 0
                and sink.size > limits.max_bytes
            ):
                state["truncated"] = "bytes"
                return
            yield triple

    fmt = RDF_MEDIA_TYPES[media_type]
    output = cast(IO[bytes], sink)
    if fmt.supports_datasets:
        # A graph written as a dataset: its triples in the default graph.
        quads = (pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in capped())
        pyoxigraph.serialize(quads, output, format=fmt)
    else:
        pyoxigraph.serialize(capped(), output, format=fmt)
    return SparqlResult(b"".join(sink.parts), media_type, truncated=state["truncated"])
