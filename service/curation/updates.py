"""SPARQL Update through the gate: what an update would add and remove, as a Change to one graph.

The update is not run as it came. Its effect is worked out first (data blocks as written; the WHERE
clause of DELETE/INSERT … WHERE evaluated as a SELECT, its templates filled in with each solution),
and that Change goes through If-Match, the SHACL gate, review and the history like any changeset.

What it takes: INSERT DATA, DELETE DATA, CLEAR GRAPH and DROP GRAPH of a named graph, in any number;
or one DELETE/INSERT … WHERE or DELETE WHERE on its own (a later operation would have to see its
effect, which is not written yet). Every change goes to one named graph: `GRAPH <g> { … }` or
`WITH <g>`. LOAD, CREATE, ADD, MOVE, COPY and CLEAR/DROP of DEFAULT, NAMED or ALL are refused,
each with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pyparsing import ParseException
from rdflib import BNode, Graph, URIRef, Variable
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.term import Node

from service.curation.gate import Change
from service.errors import ForbiddenOperation, InvalidParameterError, QuerySyntaxError
from service.lexing import first_keyword, last_group
from service.sparql.results import graph_triples, select
from service.sparql.safety import check_query
from service.stores.base import SparqlStore

Triple = tuple[Node, Node, Node]
_PATTERN_OPERATIONS = ("Modify", "DeleteWhere")
_REFUSED = {
    "Load": "LOAD is refused: nothing is loaded from the network",
    "Create": "CREATE GRAPH is not needed: a changeset with triples creates a graph (an admin's)",
    "Add": "ADD is not taken: send the triples to add to the target graph as INSERT DATA",
    "Move": "MOVE is not taken: it changes two graphs, and a changeset changes one",
    "Copy": "COPY is not taken: it changes two graphs' worth of meaning; send INSERT DATA",
}


def change_of_update(
    store: SparqlStore,
    update: str,
    *,
    base_iri: str | None = None,
    using: Sequence[str] = (),
    using_named: Sequence[str] = (),
    allowed_services: Sequence[str] = (),
) -> Change:
    """The Change `update` would make, read from the store as it is now (call it under the lock that
    keeps the check and the write together); `using` and `using_named` are the protocol's
    using-graph-uri and using-named-graph-uri (the WHERE clause's dataset)."""
    if using_named:
        raise ForbiddenOperation(
            "using-named-graph-uri is not taken through the gate; use GRAPH <g> in WHERE"
        )
    try:
        translated = translateUpdate(parseUpdate(update), base=base_iri)
    except ParseException as exc:
        raise QuerySyntaxError(f"line {exc.lineno}, column {exc.col}: {exc.msg}") from exc
    # An update with no operation (empty, or a prologue alone) is valid SPARQL 1.1 and changes
    # nothing; rdflib gives it back as a bare list rather than an Update.
    operations = [] if isinstance(translated, list) else translated.algebra
    if len(operations) > 1 and any(op.name in _PATTERN_OPERATIONS for op in operations):
        raise InvalidParameterError(
            "update",
            "an operation with a WHERE clause is sent on its own: the operations after it would have to "
            "see its effect, which the gate checks before anything is written",
        )
    added: dict[Node, set[Triple]] = {}
    removed: dict[Node, set[Triple]] = {}

    def apply(graph: Node | None, triples: Iterable[Triple], *, adding: bool) -> None:
        if graph is None:
            raise InvalidParameterError(
                "update",
                "name the graph to change: GRAPH <g> { … } or WITH <g> (the default graph is the union)",
            )
        gain, loss = (added, removed) if adding else (removed, added)
        for triple in triples:
            gain.setdefault(graph, set()).add(triple)
            loss.get(graph, set()).discard(triple)

    for op in operations:
        if op.name in _REFUSED:
            raise ForbiddenOperation(_REFUSED[op.name])
        if op.name in ("InsertData", "DeleteData"):
            adding = op.name == "InsertData"
            for graph, triples in (op.quads or {}).items():
                apply(graph, triples, adding=adding)
            if op.triples:
                apply(None, op.triples, adding=adding)
        elif op.name in ("Clear", "Drop"):
            target = op.graphiri
            if not isinstance(target, URIRef):
                raise ForbiddenOperation(f"{op.name.upper()} {target} is refused: name one graph (GRAPH <g>)")
            apply(target, graph_triples(store, str(target)), adding=False)
        elif op.name in _PATTERN_OPERATIONS:
            for graph, triples, adding in _instantiated(store, update, op, using, allowed_services):
                apply(graph, triples, adding=adding)
        else:
            raise ForbiddenOperation(f"{op.name} is not taken through the gate")
    graphs = {graph for graph, triples in (*added.items(), *removed.items()) if triples}
    if len(graphs) > 1:
        listed = ", ".join(sorted(map(str, graphs)))
        raise InvalidParameterError("update", f"an update changes one graph; this one changes {listed}")
    if not graphs:
        return Change(graph="")
    (graph,) = graphs
    return Change(
        graph=str(graph), additions=_graph(added.get(graph, ())), removals=_graph(removed.get(graph, ()))
    )


def _graph(triples: Iterable[Triple]) -> Graph:
    found = Graph()
    for triple in triples:
        found.add(triple)
    return found


def _instantiated(
    store: SparqlStore, update: str, op: Any, protocol_using: Sequence[str], allowed_services: Sequence[str]
) -> Iterable[tuple[Node | None, list[Triple], bool]]:
    """The DELETE and INSERT templates of `op`, filled in with each solution of its WHERE clause."""
    # rdflib's CompValue answers a missing key's name to get(); its attributes answer None.
    with_graph = op.withClause if op.name == "Modify" else None
    using = [clause.default for clause in op.using or []]
    if any(clause.named is not None for clause in op.using or []):
        raise ForbiddenOperation("USING NAMED is not taken through the gate; use GRAPH in the WHERE clause")
    start, end = last_group(update)
    prologue = update[: first_keyword(update, ("WITH", "DELETE", "INSERT"))]
    query = f"{prologue}\nSELECT * WHERE {update[start:end]}"
    check_query(query, allowed_services=allowed_services)
    defaults = [str(graph) for graph in using if graph is not None] or (
        [str(with_graph)] if with_graph else []
    )
    try:
        solutions = select(store, query, default_graphs=defaults)
    except Exception as exc:
        raise QuerySyntaxError(f"the WHERE clause could not be evaluated: {exc}") from exc
    if op.name == "DeleteWhere":
        templates = [(op, False)]
    else:
        templates = [(clause, adding) for clause, adding in ((op.delete, False), (op.insert, True)) if clause]
    for clause, adding in templates:
        quads: Mapping[Node, list[Triple]] = clause.quads or {}
        triples: list[Triple] = clause.triples or []
        for solution in solutions:
            fresh: dict[BNode, BNode] = {}
            default = with_graph
            for graph, pattern in [*quads.items(), (default, triples)]:
                graph_term = _fill(graph, solution, fresh) if isinstance(graph, Variable) else graph
                filled = [_filled(triple, solution, fresh) for triple in pattern]
                complete = [triple for triple in filled if triple is not None]
                if complete:
                    yield graph_term, complete, adding


def _fill(node: Node, solution: Mapping[str, Node], fresh: dict[BNode, BNode]) -> Node | None:
    if isinstance(node, Variable):
        return solution.get(str(node))
    if isinstance(node, BNode):
        # A blank node of a template is a new one for each solution (SPARQL 1.1 Update, 3.1.3).
        return fresh.setdefault(node, BNode())
    return node


def _filled(triple: Triple, solution: Mapping[str, Node], fresh: dict[BNode, BNode]) -> Triple | None:
    """The triple with its variables bound, or None when one is unbound (it is left out, as the
    standard says)."""
    parts = [_fill(node, solution, fresh) for node in triple]
    if any(part is None for part in parts):
        return None
    return (parts[0], parts[1], parts[2])  # type: ignore[return-value]
