"""What a query's default graph is, and the SPARQL that keeps it so on any store.

A store holds named graphs and a default graph of its own. unkg offers two layouts:

- **standard** (`union_default_graph=false`, and every bare store): the default graph is the store's
  own, as SPARQL 1.1 says; a write without GRAPH changes it.
- **union** (the bundled deployment): the default graph is the union of the *data graphs*, every
  named graph but unkg's history and system graphs and those `union_excludes` names. The union is
  kept as the store's own default graph, written in the same update as each change to a data graph,
  so that a query reads it at the speed of one graph on any SPARQL 1.1 store (pyoxigraph's
  union flag would count the bookkeeping; listing the data graphs per query slows with their number:
  measured, 2.8x at 20 graphs). A write without GRAPH goes to `write_graph`, a data graph like any.

The bookkeeping (versions, settings, checksums, the history) is never in the default graph, in either.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import pyoxigraph
from rdflib import URIRef

from service.lexing import leave_out_graphs
from service.rdf import term

#: The name the history, the API and RDF Patch records give the store's own default graph (Jena's).
DEFAULT_GRAPH = "urn:x-arq:DefaultGraph"


def in_graph(graph: str, pattern: str) -> str:
    """`pattern` in `graph`: GRAPH <g> { … }, or as it is for the store's default graph (so that it
    stands in a template as well as in a WHERE clause)."""
    if graph == DEFAULT_GRAPH:
        return f" {pattern} "
    return f"GRAPH {term(URIRef(graph))} {{ {pattern} }}"


def graph_ref(graph: str) -> str:
    """`graph` as the target of a graph operation (CLEAR, DROP, ADD …): DEFAULT or GRAPH <g>."""
    return "DEFAULT" if graph == DEFAULT_GRAPH else f"GRAPH {term(URIRef(graph))}"


@dataclass(frozen=True)
class Layout:
    """Which graphs make the default graph of this deployment's queries, and where writes to it go."""

    #: True: the default graph is the union of the data graphs, kept as the store's own.
    union: bool
    #: Named graphs never in the union: unkg's bookkeeping, and what the deployment leaves out.
    excluded: frozenset[str]
    #: Union layout: the data graph a write without GRAPH changes.
    write_graph: str
    #: unkg's own graphs (the history, the system graph): read by name, never by `GRAPH ?g`.
    bookkeeping: frozenset[str] = frozenset()

    def target(self, graph: str | None) -> str:
        """The graph a write to `graph` changes (None or DEFAULT_GRAPH: the default graph)."""
        if graph is None or graph == DEFAULT_GRAPH:
            return self.write_graph if self.union else DEFAULT_GRAPH
        return graph

    def member(self, graph: str) -> bool:
        """Whether `graph`'s triples are in the union (always False in the standard layout)."""
        return self.union and graph != DEFAULT_GRAPH and graph not in self.excluded

    def _members_filter(self, variable: str) -> str:
        if not self.excluded:
            return ""
        listed = ", ".join(term(URIRef(graph)) for graph in sorted(self.excluded))
        return f"FILTER({variable} NOT IN ({listed}))"

    def held_elsewhere(self, pattern: str, *, besides: Sequence[str] = ()) -> str:
        """A pattern that holds when a data graph other than `besides` holds the triple `pattern`."""
        others = [*(f"?unionGraph != {term(URIRef(graph))}" for graph in besides)]
        condition = f"FILTER({' && '.join(others)})" if others else ""
        return f"GRAPH ?unionGraph {{ {pattern} }} {self._members_filter('?unionGraph')} {condition}"

    def forget(self, graph: str, rows: str | None = None) -> str | None:
        """The operation that takes out of the union the triples of `graph` that no other data graph
        holds: all of them (run it before the graph is emptied), or those of `rows`, a VALUES block
        of ?s ?p ?o (run it after they left the graph). None when `graph` is not in the union."""
        if not self.member(graph):
            return None
        if rows is None:
            source = in_graph(graph, "?s ?p ?o")
            besides: Sequence[str] = (graph,)
        else:
            source = rows
            besides = ()
        return (
            f"DELETE {{ ?s ?p ?o }} WHERE {{ {source} ?s ?p ?o "
            f"FILTER NOT EXISTS {{ {self.held_elsewhere('?s ?p ?o', besides=besides)} }} }}"
        )

    def adopt(self, graph: str) -> str | None:
        """The operation that puts every triple of `graph` into the union; None when it is not in it."""
        if not self.member(graph):
            return None
        return f"INSERT {{ ?s ?p ?o }} WHERE {{ {in_graph(graph, '?s ?p ?o')} }}"

    def spread(self, quads: Iterable[pyoxigraph.Quad], *, graph: str | None) -> Iterator[pyoxigraph.Quad]:
        """`quads` as this layout stores them: each in its graph (a triple of the default graph in
        `graph`, else in the graph `target` makes of the default graph), and again in the default
        graph when that graph is in the union. The union gains the loaded triples themselves: nothing
        already stored is read (a load used to copy its graphs whole again)."""
        default = pyoxigraph.DefaultGraph()
        into = pyoxigraph.NamedNode(self.target(graph))
        member: dict[pyoxigraph.NamedNode | pyoxigraph.BlankNode, bool] = {}
        for quad in quads:
            name = into if isinstance(quad.graph_name, pyoxigraph.DefaultGraph) else quad.graph_name
            if name is not quad.graph_name:
                quad = pyoxigraph.Quad(quad.subject, quad.predicate, quad.object, name)
            yield quad
            joins = member.get(name)
            if joins is None:
                joins = member[name] = self.member(name.value)
            if joins:
                yield pyoxigraph.Quad(quad.subject, quad.predicate, quad.object, default)

    def hide_bookkeeping(self, query: str) -> str:
        """`query` with its `GRAPH ?g` patterns ranging over the data graphs: unkg's own graphs left
        out by a filter, unless the query names them by IRI (they are read by name). A filter, not a
        dataset listing the data graphs: with 562 graphs at 1M triples that made a selective
        `GRAPH ?g` query 7.7x slower, where the filter costs next to nothing (measured)."""
        hidden = sorted(graph for graph in self.bookkeeping if f"<{graph}>" not in query)
        return leave_out_graphs(query, hidden)

    def marker(self) -> str:
        """The layout as the system graph records it, to tell when a store was laid out otherwise."""
        if not self.union:
            return "standard"
        return "union without " + " ".join(sorted(self.excluded))

    def describe(self) -> str:
        """One line for people: what the default graph is here."""
        if not self.union:
            return "the store's own default graph (SPARQL 1.1)"
        left_out = ", ".join(sorted(self.excluded))
        return f"the union of the data graphs (every named graph but {left_out})"


def layout(
    *, union: bool, bookkeeping: Iterable[str], excluded: Iterable[str] = (), write_graph: str
) -> Layout:
    """The layout of a deployment: `bookkeeping` graphs are never in the union, nor are `excluded`."""
    kept = frozenset(bookkeeping)
    return Layout(union=union, excluded=kept | frozenset(excluded), write_graph=write_graph, bookkeeping=kept)
