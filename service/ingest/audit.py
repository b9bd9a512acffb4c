"""An audit sample: statements drawn at random (with a seed, so anyone can draw the same ones) from
the sources' graphs, each beside the lines of its source that back it, for a person to check line by
line. Evidence nodes and the links to them are how a statement is checked, not statements to check.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import pyoxigraph
from rdflib import PROV, RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Node

from service.rdf import UNKG
from service.sparql.results import graph_triples, select
from service.stores.base import SparqlStore

SOURCE_GRAPHS = "/graph/source/"
_BOOKKEEPING = {UNKG.evidence, PROV.wasDerivedFrom}
_SKIPPED_TYPES = {UNKG.Evidence, UNKG.IdentityEvidence}


@dataclass(frozen=True)
class Backing:
    """Lines of the source that back a statement."""

    line_start: int
    line_end: int
    quote: str


@dataclass(frozen=True)
class AuditItem:
    graph: str
    subject: URIRef
    predicate: URIRef
    object: Node
    #: Evidence that names this statement's property; when there is none, `context` holds the
    #: subject's other evidence (the statement then rests on the subject's lines as a whole).
    backing: list[Backing] = field(default_factory=list)
    context: list[Backing] = field(default_factory=list)


def source_graphs(store: SparqlStore) -> list[str]:
    rows = select(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
    return sorted(str(row["g"]) for row in rows if SOURCE_GRAPHS in str(row["g"]))


def _statements(graph: Graph) -> list[tuple[URIRef, URIRef, Node]]:
    skipped = {s for t in _SKIPPED_TYPES for s in graph.subjects(RDF.type, t)}
    found = [
        (s, p, o)
        for s, p, o in graph
        if s not in skipped and p not in _BOOKKEEPING and isinstance(s, URIRef) and isinstance(p, URIRef)
    ]
    return sorted(found, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))


def _backing(graph: Graph, evidence: Node) -> Backing:
    return Backing(
        int(str(graph.value(evidence, UNKG.lineStart) or 0)),
        int(str(graph.value(evidence, UNKG.lineEnd) or 0)),
        str(graph.value(evidence, UNKG.quote) or ""),
    )


def draw(store: SparqlStore, *, size: int, seed: int, graphs: list[str] | None = None) -> list[AuditItem]:
    """`size` statements drawn uniformly from `graphs` (default: every source graph), in a fixed order."""
    population: list[tuple[str, Graph, tuple[URIRef, URIRef, Node]]] = []
    for name in graphs or source_graphs(store):
        graph = graph_triples(store, name)
        population.extend((name, graph, statement) for statement in _statements(graph))
    chosen = random.Random(seed).sample(range(len(population)), min(size, len(population)))
    items = []
    for index in sorted(chosen):
        name, graph, (s, p, o) = population[index]
        evidence = list(graph.objects(s, UNKG.evidence))
        backing = [_backing(graph, e) for e in evidence if (e, UNKG.supports, p) in graph]
        context = [] if backing else [_backing(graph, e) for e in evidence]
        items.append(AuditItem(name, s, p, o, sorted(backing, key=_line), sorted(context, key=_line)))
    return items


def _line(backing: Backing) -> int:
    return backing.line_start


def label(graph_store: SparqlStore, node: Node) -> str:
    """A readable name for an IRI: its label or title, where the store has one."""
    if not isinstance(node, URIRef):
        return repr(node.toPython()) if isinstance(node, Literal) else str(node)
    rows = select(
        graph_store,
        "SELECT ?label WHERE { { ?node ?p ?label } "
        f"VALUES ?p {{ <{SKOS.prefLabel}> <{DCTERMS.title}> }} }} LIMIT 3",
        bindings={"node": pyoxigraph.NamedNode(str(node))},
    )
    names = sorted({str(row["label"]) for row in rows})
    return f"<{node}>" + (f" ({' / '.join(names)})" if names else "")
