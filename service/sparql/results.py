"""Typed readers over the store: SELECT → rows of rdflib terms, CONSTRUCT → rdflib.Graph."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from service.stores.base import Bindings, SparqlStore

Row = dict[str, Node]
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@lru_cache(maxsize=65536)
def _iri(value: str) -> URIRef:
    # rdflib checks every IRI it makes, a third of the time of reading a neighbourhood for the gate;
    # the same few thousand IRIs come back again and again.
    return URIRef(value)


def to_rdflib(value: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal) -> Node:
    """Convert a pyoxigraph term to the equal rdflib term.

    >>> to_rdflib(pyoxigraph.Literal("知识产权组织", language="zh"))
    rdflib.term.Literal('知识产权组织', lang='zh')
    """
    if isinstance(value, pyoxigraph.NamedNode):
        return _iri(value.value)
    if isinstance(value, pyoxigraph.BlankNode):
        return BNode(value.value)
    if isinstance(value, pyoxigraph.Literal):
        if value.language:
            return Literal(value.value, lang=value.language)
        if value.datatype.value == _XSD_STRING:
            # rdflib tells a plain literal from an xsd:string one; RDF 1.1 does not, and neither do we.
            return Literal(value.value)
        return Literal(value.value, datatype=URIRef(value.datatype.value))
    raise TypeError(f"cannot convert {value!r}")


def select(
    store: SparqlStore,
    query: str,
    *,
    default_graphs: Sequence[str] = (),
    named_graphs: Sequence[str] = (),
    bindings: Bindings | None = None,
) -> list[Row]:
    """Run a SELECT query and return its rows; unbound variables are left out of a row.

    `bindings` binds request values as terms (see SparqlStore.query), never as text."""
    result = store.query(
        query,
        accept="application/sparql-results+json",
        default_graphs=default_graphs,
        named_graphs=named_graphs,
        bindings=bindings,
    )
    solutions = pyoxigraph.parse_query_results(result.content, format=pyoxigraph.QueryResultsFormat.JSON)
    if not isinstance(solutions, pyoxigraph.QuerySolutions):
        raise TypeError("not a SELECT query")
    names = [variable.value for variable in solutions.variables]
    rows = []
    for solution in solutions:
        row: Row = {}
        for name in names:
            value = solution[name]
            if value is not None:
                row[name] = to_rdflib(value)
        rows.append(row)
    return rows


def graph_triples(store: SparqlStore, graph: str) -> Graph:
    """The triples of the named graph `graph` (blank nodes keep the store's labels, unlike `construct`)."""
    found = Graph()
    node = pyoxigraph.NamedNode(graph)  # validated and written as N-Triples
    for row in select(store, f"SELECT ?s ?p ?o WHERE {{ GRAPH {node} {{ ?s ?p ?o }} }}"):
        found.add((row["s"], row["p"], row["o"]))
    return found


def ask(store: SparqlStore, query: str) -> bool:
    """Run an ASK query and return its answer."""
    result = store.query(query, accept="application/sparql-results+json")
    answer = pyoxigraph.parse_query_results(result.content, format=pyoxigraph.QueryResultsFormat.JSON)
    if not isinstance(answer, pyoxigraph.QueryBoolean):
        raise TypeError("not an ASK query")
    return bool(answer)


def construct(store: SparqlStore, query: str, *, default_graphs: Sequence[str] = ()) -> Graph:
    """Run a CONSTRUCT or DESCRIBE query and return its triples as a Graph."""
    result = store.query(query, accept="application/n-triples", default_graphs=default_graphs)
    return Graph().parse(data=result.content, format="nt")
