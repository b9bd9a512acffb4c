"""What a public endpoint refuses before running anything: text too deep or too long for the engine,
and SERVICE off the allow-list.

The engine parses and plans recursively: brackets nested some thousands deep, or some thousands of
operators in a row (UNION, '.', '||', '+' …), overflow its stack and kill the process that runs it
(measured in pyoxigraph and the Oxigraph server: nesting of 2,000 to 3,000, chains of 5,000 to 7,000).
Limits far below those, and far above what any real query needs, refuse such text with a 400 naming
the limit.

pyoxigraph can fetch over HTTP, so SERVICE and LOAD would make the server a client of any address a
caller names. The scan (service/lexing.py) counts every place the engine could read SERVICE, however
it is written (`1SERVICE`, `trueSERVICE:x`). Without an allow-list any such place is refused; with
one, the text is parsed (rdflib's SPARQL parser) to find each clause and its endpoint, and unless the
parser found as many clauses as the scan found places, the text is refused: nothing the two readers
disagree on is run. An update's own text never reaches the engine (its effect is worked out and
written by the Curator, which refuses LOAD once the update has parsed: a LOAD that is not
SPARQL is a syntax error, and LOAD SILENT a failure the standard says is no error).

>>> check_query("SELECT * WHERE { ?s ?p ?o }", allowed_services=())
>>> check_query("SELECT * WHERE { SERVICE <http://x.example/q> { ?s ?p ?o } }", allowed_services=())
Traceback (most recent call last):
...
service.errors.ForbiddenOperation: SERVICE is refused: this endpoint calls no other (its allow-list is empty)
>>> check_query("SELECT * WHERE { SERVICE <http://x.example/q> { ?s ?p ?o } }", allowed_services=["http://y/"])
Traceback (most recent call last):
...
service.errors.ForbiddenOperation: SERVICE <http://x.example/q> is not on the allow-list (http://y/)
>>> check_update("PREFIX ex: <http://x.example/> load ex:data")
>>> check_query("SELECT * WHERE " + "{" * 200 + "}" * 200, allowed_services=())
Traceback (most recent call last):
...
service.errors.QueryTooComplex: the query nests brackets 200 deep; at most 100 levels are allowed
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from typing import Any

from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

from service.errors import ForbiddenOperation, QueryTooComplex
from service.lexing import Shape, scan

#: How deep brackets ({ ( [ <<) may nest: the engine overflows its stack at 2,000 to 3,000.
MAX_DEPTH = 100
#: How many operators and clauses a query may hold: the engine overflows at chains of 5,000 to 7,000.
MAX_STEPS = 2_000
#: How long a query that mentions SERVICE may be for rdflib to check it (with an allow-list).
MAX_CHECKED_LENGTH = 64 * 1024


def check_query(query: str, *, allowed_services: Collection[str], base_iri: str | None = None) -> None:
    """Raise QueryTooComplex if `query` is too deep or long for the engine, and ForbiddenOperation if it
    may call a SERVICE that is not in `allowed_services`.

    Without an allow-list, any place the engine could read SERVICE is refused at once. With one, the
    query is parsed to find each endpoint, if it is short enough for rdflib's parser (which is slow,
    and recursive even on flat lists of patterns)."""
    shape = scan(query)
    _check_shape(shape, "query")
    places = shape.occurrences("SERVICE")
    if not places:
        return
    if not allowed_services:
        raise ForbiddenOperation("SERVICE is refused: this endpoint calls no other (its allow-list is empty)")
    if len(query) > MAX_CHECKED_LENGTH:
        raise ForbiddenOperation(
            f"a query that mentions SERVICE is checked only up to {MAX_CHECKED_LENGTH} characters; "
            f"this one has {len(query)}"
        )
    algebra = _parsed(lambda: translateQuery(parseQuery(query), base=base_iri).algebra, "SERVICE")
    endpoints = list(_nodes(algebra, "ServiceGraphPattern", "term"))
    _check_agreement("SERVICE", places, len(endpoints))
    allowed = set(allowed_services)
    for endpoint in endpoints:
        if isinstance(endpoint, Variable):
            raise ForbiddenOperation(f"SERVICE ?{endpoint} is refused: the endpoint must be a fixed IRI")
        if str(endpoint) not in allowed:
            listed = ", ".join(sorted(allowed))
            raise ForbiddenOperation(f"SERVICE <{endpoint}> is not on the allow-list ({listed})")


def check_update(update: str) -> None:
    """Raise QueryTooComplex if `update` is too deep or long for the engine.

    The engine never runs an update's own text: the Curator works out its effect and writes that, and
    refuses LOAD there (service/curation/updates.py), once the update has parsed: nothing here can
    reach the network.
    """
    # Data blocks are long lists of triples that the engine reads without recursion: '.' and ';' are
    # not counted as steps here. The WHERE clause is checked as a query of its own before it runs.
    _check_shape(scan(update, count_separators=False), "update")


def _check_shape(shape: Shape, what: str) -> None:
    if shape.depth > MAX_DEPTH:
        raise QueryTooComplex(
            f"the {what} nests brackets {shape.depth} deep; at most {MAX_DEPTH} levels are allowed"
        )
    if shape.steps > MAX_STEPS:
        raise QueryTooComplex(
            f"the {what} has {shape.steps} operators and clauses (UNION, OPTIONAL, '.', '||', '+' …); "
            f"at most {MAX_STEPS} are allowed"
        )


def _parsed(parse: Callable[[], Any], keyword: str) -> Any:
    try:
        return parse()
    except Exception as exc:
        # Oxigraph may accept what rdflib cannot read (rdflib raises bare Exceptions too, an unknown
        # prefix for one): refuse rather than run an unchecked call out.
        raise ForbiddenOperation(f"this text mentions {keyword} and could not be checked: {exc}") from exc


def _check_agreement(keyword: str, places: int, found: int) -> None:
    if places != found:
        raise ForbiddenOperation(
            f"{keyword} stands in {places} place(s) where the engine could read it as a keyword, and "
            f"{found} {keyword} clause(s) were found: write {keyword} apart from other words and names"
        )


def _nodes(node: Any, name: str, field: str) -> Iterator[Any]:
    """The `field` of every `name` node in an rdflib algebra tree."""
    if isinstance(node, CompValue):
        if node.name == name:
            yield node.get(field)
        for value in node.values():
            yield from _nodes(value, name, field)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _nodes(value, name, field)
