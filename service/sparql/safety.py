"""What a public endpoint refuses before running anything: SERVICE off the allow-list, and LOAD.

pyoxigraph can fetch over HTTP, so both would make the server a client of any address a caller
names. Most queries never use either keyword and pass after a look at their text; the others are
parsed (rdflib's SPARQL parser) to find every SERVICE or LOAD in them, however they are written.

>>> check_query("SELECT * WHERE { ?s ?p ?o }", allowed_services=())
>>> check_query("SELECT * WHERE { SERVICE <http://x.example/q> { ?s ?p ?o } }", allowed_services=())
Traceback (most recent call last):
...
service.errors.ForbiddenOperation: SERVICE <http://x.example/q> is not on the allow-list (it has none)
>>> check_update("PREFIX ex: <http://x.example/> load ex:data")
Traceback (most recent call last):
...
service.errors.ForbiddenOperation: LOAD <http://x.example/data> is refused: nothing is loaded from the network
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from pyparsing import ParseException
from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

from service.errors import ForbiddenOperation
from service.lexing import mentions


def check_query(query: str, *, allowed_services: Collection[str], base_iri: str | None = None) -> None:
    """Raise ForbiddenOperation if `query` calls a SERVICE that is not in `allowed_services`."""
    if not mentions(query, "SERVICE"):
        return
    try:
        algebra = translateQuery(parseQuery(query), base=base_iri).algebra
    except (ParseException, ValueError, TypeError, KeyError) as exc:
        # Oxigraph may accept what rdflib cannot read; refuse rather than run an unchecked SERVICE.
        raise ForbiddenOperation(f"this query mentions SERVICE and could not be checked: {exc}") from exc
    allowed = set(allowed_services)
    for endpoint in _nodes(algebra, "ServiceGraphPattern", "term"):
        if isinstance(endpoint, Variable):
            raise ForbiddenOperation(f"SERVICE ?{endpoint} is refused: the endpoint must be a fixed IRI")
        if str(endpoint) not in allowed:
            listed = ", ".join(sorted(allowed)) or "it has none"
            raise ForbiddenOperation(f"SERVICE <{endpoint}> is not on the allow-list ({listed})")


def check_update(update: str) -> None:
    """Raise ForbiddenOperation if `update` holds a LOAD (this endpoint never loads from the network)."""
    if not mentions(update, "LOAD"):
        return
    try:
        operations = translateUpdate(parseUpdate(update)).algebra
    except (ParseException, ValueError, TypeError, KeyError) as exc:
        raise ForbiddenOperation(f"this update mentions LOAD and could not be checked: {exc}") from exc
    for source in _nodes(operations, "Load", "iri"):
        raise ForbiddenOperation(f"LOAD <{source}> is refused: nothing is loaded from the network")


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
