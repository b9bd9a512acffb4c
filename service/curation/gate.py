"""The SHACL gate: what the shapes say of the nodes a change touches, with the change made.

Only the touched nodes are validated, against the graph as it would be after the change, so the cost
follows the size of the change, not of the graph:

- touched: every subject of an added or removed triple, and, when a node loses a type, every
  node pointing at it (a `sh:class` constraint of theirs may now fail);
- what their shapes reach: each touched node's triples, and the triples of the nodes those point
  at (their types for `sh:class`, their properties for `sh:node`), read in one query over the union
  of all graphs and changed in memory: removals leave the target graph only, so a triple another
  graph also states stays;
- the shapes: all of them, over that neighbourhood; what they say of the touched nodes is kept.

What it reports equals what full validation of the changed graph reports about those nodes (tested).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from service.rdf import term
from service.sparql.results import select
from service.stores.base import SparqlStore
from service.validation import ValidationReport, Validator, is_violation


@dataclass(frozen=True)
class Change:
    """Triples to add to and remove from one named graph."""

    graph: str
    additions: Graph = field(default_factory=Graph)
    removals: Graph = field(default_factory=Graph)

    def __len__(self) -> int:
        return len(self.additions) + len(self.removals)


@dataclass(frozen=True)
class GateReport:
    report: ValidationReport
    focus_nodes: frozenset[URIRef]
    #: Triples read from the store to validate them (the neighbourhood, before the change).
    read: int


class Gate:
    def __init__(self, validator: Validator) -> None:
        self.validator = validator

    def check(self, store: SparqlStore, change: Change) -> GateReport:
        """Validate the nodes `change` touches, as they would be with it applied to `store`."""
        touched = {node for node in _subjects(change) if isinstance(node, URIRef)}
        untyped = {s for s, p, _ in change.removals if p == RDF.type and isinstance(s, URIRef)}
        if untyped:
            touched |= _referrers(store, untyped)
        # Nodes the changed triples point at: their own triples are what the shapes reach.
        roots = touched | {o for _, _, o in change.additions if isinstance(o, URIRef)}
        before = _neighbourhood(store, roots) if roots else []
        after = Graph()
        for s, p, o, g in before:
            # A removed triple that another graph also states stays in the union.
            if not (str(g) == change.graph and (s, p, o) in change.removals):
                after.add((s, p, o))
        for triple in change.additions:
            after.add(triple)
        if not touched:
            return GateReport(ValidationReport(conforms=True), frozenset(), len(before))
        # The whole neighbourhood is validated, and what is said of the touched nodes kept. pyshacl's
        # focus_nodes would be cheaper but drops the checks of sh:node on values that are not focus
        # nodes themselves (pyshacl 0.40: its focus filter also applies to nested shapes).
        full = self.validator.validate(after)
        # New blank nodes (an added addressing, say) are judged too: they exist only in the change.
        added = {s for s, _, _ in change.additions if isinstance(s, BNode)}
        results = [
            result for result in full.results if result.focus_node in touched or result.focus_node in added
        ]
        report = ValidationReport(conforms=not any(map(is_violation, results)), results=results)
        return GateReport(report, frozenset(touched), len(before))


def _subjects(change: Change) -> set[Node]:
    return {s for s, _, _ in change.additions} | {s for s, _, _ in change.removals}


def _values(nodes: Iterable[URIRef]) -> str:
    return " ".join(term(node) for node in sorted(nodes))


def _referrers(store: SparqlStore, nodes: set[URIRef]) -> set[URIRef]:
    query = f"SELECT DISTINCT ?s WHERE {{ VALUES ?o {{ {_values(nodes)} }} ?s ?p ?o FILTER(isIRI(?s)) }}"
    return {row["s"] for row in select(store, query) if isinstance(row["s"], URIRef)}


def _neighbourhood(store: SparqlStore, roots: set[URIRef]) -> list[tuple[Node, Node, Node, Node]]:
    """The quads of `roots` and of the nodes they point at, in one query (blank nodes stay the same)."""
    query = (
        f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?root {{ {_values(roots)} }}\n"
        "  { BIND(?root AS ?s) GRAPH ?g { ?s ?p ?o } }\n"
        "  UNION { ?root ?link ?s FILTER(!isLiteral(?s)) GRAPH ?g { ?s ?p ?o } } }"
    )
    quads: list[tuple[Node, Node, Node, Node]] = []
    for row in select(store, query):
        s, p, o, g = row["s"], row["p"], row["o"], row["g"]
        assert (
            isinstance(s, URIRef | BNode)
            and isinstance(p, URIRef)
            and isinstance(o, URIRef | BNode | Literal)
        )
        quads.append((s, p, o, g))
    return quads
