"""The SHACL gate: what the shapes say of the nodes a change touches, with the change made.

Only the touched nodes are validated, against the graph as it would be after the change, so the cost
follows the size of the change, not of the graph:

- touched: every subject of an added or removed triple, and, when a node loses a type, every
  node pointing at it (a `sh:class` constraint of theirs may now fail);
- what their shapes reach: each touched node's triples, and the triples of the nodes those point
  at (their types for `sh:class`, their properties for `sh:node`), and the triples of the nodes the
  added triples point at, read in one query over the union of all graphs and changed in memory:
  removals leave the target graph only, so a triple another graph also states stays;
- the shapes: those pyshacl finds targeting the touched nodes (and their values: see below).

What it reports equals what full validation of the changed graph reports about those nodes (tested).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from rdflib import RDF, BNode, Graph, URIRef
from rdflib.term import Node

from service.rdf import term
from service.sparql.results import select, to_rdflib
from service.stores.base import SparqlStore
from service.stores.dataset import DEFAULT_GRAPH
from service.validation import ValidationReport, ValidationResult, Validator, is_violation


@dataclass(frozen=True)
class Change:
    """Triples to add to and remove from one graph (a named graph's IRI, or DEFAULT_GRAPH).

    `emptied` says the graph is emptied first, by CLEAR or DROP (a Graph Store PUT or DELETE, CLEAR,
    DROP, COPY, MOVE): `removals` then hold every triple it had, blank nodes included (which no
    patch could name), and `additions` all it is to hold. `created` is a CREATE GRAPH.
    """

    graph: str
    additions: Graph = field(default_factory=Graph)
    removals: Graph = field(default_factory=Graph)
    emptied: Literal["CLEAR", "DROP"] | None = None
    created: bool = False

    def inverse(self) -> Change:
        """The change that undoes this one."""
        return Change(graph=self.graph, additions=self.removals, removals=self.additions)

    @property
    def empty(self) -> bool:
        """Whether it changes nothing at all (no triples, no graph made or dropped)."""
        return not (len(self.additions) or len(self.removals) or self.emptied == "DROP" or self.created)


@dataclass(frozen=True)
class GateReport:
    report: ValidationReport
    focus_nodes: frozenset[URIRef]
    #: Triples read from the store to validate them (the neighbourhood, before the change).
    read: int


class Gate:
    """The shapes' judgement of a change; without a validator (a bare store) every change conforms."""

    def __init__(self, validator: Validator | None, *, own_default_graph: bool = False) -> None:
        self.validator = validator
        #: The store's default graph holds data of its own (the standard layout), not the union's copy.
        self.own_default_graph = own_default_graph

    def check(self, store: SparqlStore, change: Change | Sequence[Change]) -> GateReport:
        """Validate the nodes the changes touch, as they would be with all of them applied to `store`."""
        changes = [change] if isinstance(change, Change) else list(change)
        if self.validator is None:
            return GateReport(ValidationReport(conforms=True), frozenset(), 0)
        touched = {node for one in changes for node in _subjects(one) if isinstance(node, URIRef)}
        untyped = {
            s for one in changes for s, p, _ in one.removals if p == RDF.type and isinstance(s, URIRef)
        }
        if untyped:
            touched |= _referrers(store, untyped, self.own_default_graph)
        # Nodes the added triples point at: their own triples are what the shapes reach of them (every
        # path in the shapes is one predicate, and nested shapes look at a value's own triples only).
        values = {o for one in changes for _, _, o in one.additions if isinstance(o, URIRef)} - touched
        before = _neighbourhood(store, touched, values, self.own_default_graph) if touched or values else []
        removed = {(one.graph, triple) for one in changes for triple in one.removals}
        after = Graph()
        for s, p, o, g in before:
            # A removed triple that another graph also states stays in the union.
            if (_graph_name(g), (s, p, o)) not in removed:
                after.add((s, p, o))
        for one in changes:
            for triple in one.additions:
                after.add(triple)
        # New blank nodes (an added addressing, say) are judged too: they exist only in the change.
        # pyshacl takes IRIs as focus nodes, so blank nodes become skolem IRIs for the validation.
        added = {s for one in changes for s, _, _ in one.additions if isinstance(s, BNode)}
        if not touched and not added:
            return GateReport(ValidationReport(conforms=True), frozenset(), len(before))
        blank = {node.skolemize(): node for triple in after for node in triple if isinstance(node, BNode)}
        skolemized = after.skolemize() if blank else after
        judged = touched | {node.skolemize() for node in added}
        # The values of the judged nodes are focus nodes too: pyshacl 0.40 applies its focus filter to
        # nested shapes as well, so an sh:node on a value that is not a focus node would go unchecked.
        reached = {o for node in judged for o in skolemized.objects(node, None) if isinstance(o, URIRef)}
        # The graph is the gate's own: the validator may add the ontology to it rather than copy it.
        report = self.validator.validate(skolemized, focus_nodes=[*sorted(judged | reached)], copy=False)
        results = [_unskolemized(result, blank) for result in report.results if result.focus_node in judged]
        gated = ValidationReport(conforms=not any(map(is_violation, results)), results=results)
        return GateReport(gated, frozenset(touched), len(before))


def _graph_name(node: Node | None) -> str:
    return DEFAULT_GRAPH if node is None else str(node)


def _unskolemized(result: ValidationResult, blank: dict[URIRef, BNode]) -> ValidationResult:
    def back(node: Node | None) -> Node | None:
        return blank.get(node, node) if isinstance(node, URIRef) else node

    focus = back(result.focus_node)
    assert focus is not None
    return replace(result, focus_node=focus, value=back(result.value))


def _subjects(change: Change) -> set[Node]:
    return {s for s, _, _ in change.additions} | {s for s, _, _ in change.removals}


def _values(nodes: Iterable[URIRef]) -> str:
    return " ".join(term(node) for node in sorted(nodes))


def _referrers(store: SparqlStore, nodes: set[URIRef], own_default_graph: bool) -> set[URIRef]:
    pattern = "{ ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } }" if own_default_graph else "?s ?p ?o"
    query = f"SELECT DISTINCT ?s WHERE {{ VALUES ?o {{ {_values(nodes)} }} {pattern} FILTER(isIRI(?s)) }}"
    return {row["s"] for row in select(store, query) if isinstance(row["s"], URIRef)}


def _neighbourhood(
    store: SparqlStore, roots: set[URIRef], values: set[URIRef], own_default_graph: bool
) -> list[tuple[Node, Node, Node, Node | None]]:
    """In one query: the quads of `roots` and of the nodes they point at, and the quads of `values`
    (nodes the change points at; what they point at is beyond the shapes' reach of the change).
    The store's own default graph is read too when it holds data (?g unbound there)."""

    def quads(pattern: str) -> str:
        named = f"GRAPH ?g {{ {pattern} }}"
        return f"{{ {{ {pattern} }} UNION {{ {named} }} }}" if own_default_graph else named

    branches = []
    if roots:
        # ?root inside each branch's pattern: a branch is evaluated on its own, before the VALUES join.
        branches.append(
            f"{{ VALUES ?root {{ {_values(roots)} }} {quads('?root ?p ?o')} BIND(?root AS ?s) }}\n"
            f"  UNION {{ VALUES ?root {{ {_values(roots)} }} ?root ?link ?s FILTER(!isLiteral(?s)) "
            f"{quads('?s ?p ?o')} }}"
        )
    if values:
        branches.append(f"{{ VALUES ?s {{ {_values(values)} }} {quads('?s ?p ?o')} }}")
    query = "SELECT ?s ?p ?o ?g WHERE {\n  " + "\n  UNION ".join(branches) + "\n}"
    # Native rows (no SPARQL JSON written and read back): the neighbourhood is most of a commit's reads.
    return [
        (to_rdflib(s), to_rdflib(p), to_rdflib(o), None if g is None else to_rdflib(g))  # type: ignore[arg-type]
        for s, p, o, g in store.solutions(query)
    ]
