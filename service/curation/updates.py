"""SPARQL 1.1 Update through the gate: what an update would add and remove, graph by graph.

The update is not run as it came. Its effect is worked out first, operation by operation, as the
standard orders them: data blocks as written; the WHERE clause of DELETE/INSERT … WHERE and DELETE
WHERE evaluated as a SELECT (over the dataset its USING, USING NAMED or WITH name), its templates
filled in with each solution; CLEAR, DROP, CREATE, ADD, COPY and MOVE on the graphs as they are by
then. Those Changes, one per graph, go through If-Match, the SHACL gate, review and the history as
one changeset, applied in one update or not at all.

An operation that reads (a WHERE clause, a graph copied or cleared) after an earlier one of the same
request changed something reads a snapshot with those changes made: a copy of the store in memory,
taken only then, and only up to `MAX_SNAPSHOT_QUADS`. LOAD is refused: nothing is read from the
network. A write to the default graph goes where the layout says (service/stores/dataset.py).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any, Literal

import pyoxigraph
from pyparsing import ParseException
from rdflib import BNode, Graph, URIRef, Variable
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.term import Node

from service.curation.gate import Change
from service.errors import ForbiddenOperation, InvalidParameterError, QuerySyntaxError
from service.lexing import last_group, operations
from service.rdf import term
from service.sparql.results import Row, select, to_rdflib
from service.sparql.safety import check_query
from service.stores.dataset import DEFAULT_GRAPH, Layout, in_graph
from service.stores.versioned import VersionedStore

Triple = tuple[Node, Node, Node]
#: Quads a snapshot may copy: an update that reads its own writes on a larger store is refused.
MAX_SNAPSHOT_QUADS = 1_000_000
_PATTERN_OPERATIONS = ("Modify", "DeleteWhere")


def change_of_update(
    store: VersionedStore,
    update: str,
    *,
    base_iri: str | None = None,
    using: Sequence[str] = (),
    using_named: Sequence[str] = (),
    allowed_services: Sequence[str] = (),
    manages_graphs: bool = False,
) -> list[Change]:
    """The Changes `update` would make, one per graph, read from the store as it is now (call it
    under the lock that keeps the check and the write together); `using` and `using_named` are the
    protocol's using-graph-uri and using-named-graph-uri (every WHERE clause's dataset).

    Graph operations (CREATE, ADD, COPY, MOVE, and CLEAR or DROP of DEFAULT, NAMED or ALL) are for
    those who `manages_graphs` (admins); CLEAR or DROP of one graph is anyone's who may write."""
    try:
        translated = translateUpdate(parseUpdate(update), base=base_iri)
    except ParseException as exc:
        raise QuerySyntaxError(f"line {exc.lineno}, column {exc.col}: {exc.msg}") from exc
    # An update with no operation (empty, or a prologue alone) is valid SPARQL 1.1 and changes
    # nothing; rdflib gives it back as a bare list rather than an Update.
    algebra = [] if isinstance(translated, list) else list(translated.algebra)
    texts = operations(update)
    if len(texts) != len(algebra):
        raise QuerySyntaxError("the update's operations could not be told apart; separate them with ';'")
    _check_blank_nodes(algebra)
    effect = _Effect(store)
    prologue = f"BASE {term(URIRef(base_iri))}\n" if base_iri else ""
    for op, (declared, text) in zip(algebra, texts, strict=True):
        prologue += declared
        if not manages_graphs and _manages_graphs(op):
            raise ForbiddenOperation(f"{op.name.upper()} {_target_text(op)} needs the admin role")
        _apply(effect, op, prologue, text, using, using_named, allowed_services)
    return effect.changes()


def _apply(
    effect: _Effect,
    op: Any,
    prologue: str,
    text: str,
    using: Sequence[str],
    using_named: Sequence[str],
    allowed_services: Sequence[str],
) -> None:
    """Work out one operation's effect on the graphs, as they are after the operations before it."""
    layout = effect.layout
    name = op.name
    if name == "Load":
        if op.silent is not None:
            return  # it fails, and SILENT says a failure is no error: nothing happens
        raise ForbiddenOperation("LOAD is refused: nothing is loaded from the network")
    if name in ("InsertData", "DeleteData"):
        adding = name == "InsertData"
        # The blank nodes of INSERT DATA are new ones, whatever their labels say (SPARQL 1.1 Update 3.1.1).
        fresh: dict[BNode, BNode] = {}
        for graph, triples in (op.quads or {}).items():
            effect.write(str(graph), _renamed(triples, fresh), adding=adding)
        if op.triples:
            effect.write(layout.target(None), _renamed(op.triples, fresh), adding=adding)
    elif name in _PATTERN_OPERATIONS:
        for graph, triples, adding in _instantiated(
            effect, op, prologue, text, using, using_named, allowed_services
        ):
            effect.write(graph, triples, adding=adding)
    elif name in ("Clear", "Drop"):
        how: Literal["CLEAR", "DROP"] = "CLEAR" if name == "Clear" else "DROP"
        for graph in _graphs(effect, op.graphiri, silent=op.silent is not None, operation=how):
            effect.empty(graph, how)
    elif name == "Create":
        graph = str(op.graphiri)
        if effect.exists(graph):
            if op.silent is None:
                raise InvalidParameterError("update", f"CREATE GRAPH: the graph {graph} exists already")
            return
        effect.create(graph)
    elif name in ("Add", "Copy", "Move"):
        source, target = (_graph_name(layout, node) for node in op.graph)
        if source == target:
            return  # the standard: nothing happens
        if op.graph[0] != "DEFAULT" and not effect.exists(source):  # the default graph always is
            if op.silent is None:
                raise InvalidParameterError("update", f"{name.upper()}: the graph {source} does not exist")
            return
        triples = effect.triples(source)
        if name != "Add":
            effect.empty(target, "CLEAR")
        effect.write(target, triples, adding=True)
        if name == "Move":
            effect.empty(source, "DROP")
    else:
        raise ForbiddenOperation(f"{name} is not taken through the gate")


def _check_blank_nodes(algebra: Sequence[Any]) -> None:
    """What the grammar forbids and rdflib's parser lets through: a blank node in DELETE DATA, DELETE
    WHERE or a DELETE template (it would match anything, or nothing), and one blank node label in two
    operations of a request (a label names one node within an operation)."""
    seen: dict[BNode, int] = {}
    for index, op in enumerate(algebra):
        deleting = []
        if op.name in ("DeleteData", "DeleteWhere"):
            deleting = [op]
        elif op.name == "Modify" and op.delete is not None:
            deleting = [op.delete]
        for clause in deleting:
            if any(isinstance(node, BNode) for triple in _clause_triples(clause) for node in triple):
                raise QuerySyntaxError(
                    f"{op.name}: a blank node cannot stand in what is deleted; use a variable"
                )
        if op.name == "InsertData":
            for node in {n for triple in _clause_triples(op) for n in triple if isinstance(n, BNode)}:
                if seen.setdefault(node, index) != index:
                    raise QuerySyntaxError(f"the blank node _:{node} is used in two operations of the update")


def _clause_triples(clause: Any) -> Iterable[Triple]:
    yield from clause.triples or []
    for triples in (clause.quads or {}).values():
        yield from triples


def _renamed(triples: Iterable[Triple], fresh: dict[BNode, BNode]) -> list[Triple]:
    def node(term: Node) -> Node:
        return fresh.setdefault(term, BNode()) if isinstance(term, BNode) else term

    return [(node(s), node(p), node(o)) for s, p, o in triples]


def _manages_graphs(op: Any) -> bool:
    if op.name in ("Create", "Add", "Copy", "Move"):
        return True
    return op.name in ("Clear", "Drop") and op.graphiri in ("DEFAULT", "NAMED", "ALL")


def _target_text(op: Any) -> str:
    target = op.graphiri if op.graphiri is not None else " TO ".join(map(str, op.graph or []))
    return str(target)


def _graph_name(layout: Layout, node: Any) -> str:
    return layout.target(None) if node == "DEFAULT" else str(node)


def _graphs(effect: _Effect, target: Any, *, silent: bool, operation: str) -> list[str]:
    """The graphs CLEAR or DROP `target` (an IRI, DEFAULT, NAMED or ALL) changes."""
    layout = effect.layout
    if target == "DEFAULT":
        return [layout.target(None)]
    named = [graph for graph in effect.graphs() if graph not in layout.excluded and graph != DEFAULT_GRAPH]
    if target == "NAMED":
        return named
    if target == "ALL":
        return [*named, *([] if layout.union else [DEFAULT_GRAPH])]
    graph = str(target)
    if not effect.exists(graph):
        if silent:
            return []
        raise InvalidParameterError("update", f"{operation} GRAPH: the graph {graph} does not exist")
    return [graph]


def _instantiated(
    effect: _Effect,
    op: Any,
    prologue: str,
    text: str,
    protocol_using: Sequence[str],
    protocol_using_named: Sequence[str],
    allowed_services: Sequence[str],
) -> Iterable[tuple[str, list[Triple], bool]]:
    """The DELETE and INSERT templates of `op`, filled in with each solution of its WHERE clause."""
    # rdflib's CompValue answers a missing key's name to get(); its attributes answer None.
    with_graph = str(op.withClause) if op.name == "Modify" and op.withClause is not None else None
    clauses = op.using or []
    using = [*protocol_using, *(str(clause.default) for clause in clauses if clause.default is not None)]
    using_named = [
        *protocol_using_named,
        *(str(clause.named) for clause in clauses if clause.named is not None),
    ]
    start, end = last_group(text)
    where = text[start:end]
    if not (using or using_named) and with_graph is not None:
        # WITH makes its graph the default graph of the WHERE clause; named graphs stay as they are.
        where = f"{{ GRAPH {term(URIRef(with_graph))} {where} }}"
    query = f"{prologue}\nSELECT * WHERE {where}"
    check_query(query, allowed_services=allowed_services)
    solutions = effect.select(query, default_graphs=using, named_graphs=using_named)
    if op.name == "DeleteWhere":
        templates = [(op, False)]
    else:
        templates = [(clause, adding) for clause, adding in ((op.delete, False), (op.insert, True)) if clause]
    default = with_graph or effect.layout.target(None)
    for clause, adding in templates:
        quads: Mapping[Node, list[Triple]] = clause.quads or {}
        triples: list[Triple] = clause.triples or []
        for solution in solutions:
            fresh: dict[BNode, BNode] = {}
            for graph, pattern in [*quads.items(), (None, triples)]:
                graph_term = _fill(graph, solution, fresh) if isinstance(graph, Variable) else graph
                if graph is not None and not isinstance(graph_term, URIRef):
                    continue  # an unbound or non-IRI graph: the standard leaves its triples out
                filled = [_filled(triple, solution, fresh) for triple in pattern]
                complete = [triple for triple in filled if triple is not None]
                if complete:
                    yield (default if graph is None else str(graph_term)), complete, adding


def _fill(node: Node, solution: Mapping[str, Node], fresh: dict[BNode, BNode]) -> Node | None:
    if isinstance(node, Variable):
        return solution.get(str(node))
    if isinstance(node, BNode):
        # A blank node of a template is a new one for each solution (SPARQL 1.1 Update, 3.1.3).
        return fresh.setdefault(node, BNode())
    return node


def _filled(triple: Triple, solution: Mapping[str, Node], fresh: dict[BNode, BNode]) -> Triple | None:
    """The triple with its variables bound, or None when one is unbound or in a place its kind of
    term may not stand (a literal as subject): the standard leaves it out."""
    parts = [_fill(node, solution, fresh) for node in triple]
    if any(part is None for part in parts):
        return None
    subject, predicate, value = parts
    if not isinstance(subject, (URIRef, BNode)) or not isinstance(predicate, URIRef):
        return None
    return (subject, predicate, value)  # type: ignore[return-value]


class _Effect:
    """What the update has done so far, graph by graph, and the graphs as they are with it done."""

    def __init__(self, store: VersionedStore) -> None:
        self.store = store
        self.layout = store.layout
        self.added: dict[str, set[Triple]] = {}
        self.removed: dict[str, set[Triple]] = {}
        #: Graphs emptied (CLEAR or DROP) by an earlier operation, with what they held before it.
        self.emptied: dict[str, tuple[Literal["CLEAR", "DROP"], set[Triple]]] = {}
        self.created: set[str] = set()
        #: Blank nodes read from the store (or the snapshot), which a change may name again.
        self.read_blank_nodes: set[BNode] = set()
        self._snapshot: pyoxigraph.Store | None = None

    # What the operations read: the store itself until something has changed, then the snapshot.

    def _changed(self) -> bool:
        return bool(self.added or self.removed or self.emptied or self.created)

    def snapshot(self) -> pyoxigraph.Store | None:
        if not self._changed():
            return None
        if self._snapshot is None:
            self._snapshot = _copy(self.store)
            for graph, (how, _) in self.emptied.items():
                self._empty_snapshot(graph, drop=how == "DROP")
            for graph in self.created:
                self._snapshot.add_graph(pyoxigraph.NamedNode(graph))
            for graph, triples in self.removed.items():
                self._write_snapshot(graph, triples, adding=False)
            for graph, triples in self.added.items():
                self._write_snapshot(graph, triples, adding=True)
        return self._snapshot

    def select(self, query: str, *, default_graphs: Sequence[str], named_graphs: Sequence[str]) -> list[Row]:
        rows = self._select(query, default_graphs=default_graphs, named_graphs=named_graphs)
        # The blank nodes the operations read: writing one again must keep it the same node.
        self.read_blank_nodes.update(
            value for row in rows for value in row.values() if isinstance(value, BNode)
        )
        return rows

    def _select(self, query: str, *, default_graphs: Sequence[str], named_graphs: Sequence[str]) -> list[Row]:
        snapshot = self.snapshot()
        try:
            if snapshot is None:
                return select(self.store, query, default_graphs=default_graphs, named_graphs=named_graphs)
            options: dict[str, Any] = {}
            if default_graphs or named_graphs:
                options["default_graph"] = [_node(graph) for graph in default_graphs]
                options["named_graphs"] = [pyoxigraph.NamedNode(graph) for graph in named_graphs]
            result = snapshot.query(query, **options)
            assert isinstance(result, pyoxigraph.QuerySolutions)
            names = [variable.value for variable in result.variables]
            return [
                {name: to_rdflib(solution[name]) for name in names if solution[name] is not None}
                for solution in result
            ]
        except (SyntaxError, RuntimeError, QuerySyntaxError) as exc:
            raise QuerySyntaxError(f"the WHERE clause could not be evaluated: {exc}") from exc

    def triples(self, graph: str) -> set[Triple]:
        query = f"SELECT ?s ?p ?o WHERE {{ {in_graph(graph, '?s ?p ?o')} }}"
        return {
            (row["s"], row["p"], row["o"]) for row in self.select(query, default_graphs=(), named_graphs=())
        }

    def exists(self, graph: str) -> bool:
        if graph == DEFAULT_GRAPH:
            return True
        query = f"SELECT * WHERE {{ GRAPH {term(URIRef(graph))} {{ }} }}"
        return bool(self.select(query, default_graphs=(), named_graphs=()))

    def graphs(self) -> list[str]:
        rows = self.select("SELECT ?g WHERE { GRAPH ?g { } }", default_graphs=(), named_graphs=())
        return sorted(str(row["g"]) for row in rows)

    # What the operations do.

    def write(self, graph: str, triples: Iterable[Triple], *, adding: bool) -> None:
        """Add or remove `triples`: the graph is (the store's minus `removed`, plus `added`), or, once
        emptied, `added` alone. What the store holds already is sorted out by the curator."""
        triples = set(triples)
        if not triples:
            return
        added = self.added.setdefault(graph, set())
        removed = self.removed.setdefault(graph, set())
        if adding:
            added |= triples
            removed -= triples
        else:
            added -= triples
            if graph not in self.emptied:
                removed |= triples
        if self._snapshot is not None:
            self._write_snapshot(graph, triples, adding=adding)

    def empty(self, graph: str, how: Literal["CLEAR", "DROP"]) -> None:
        held = self.emptied[graph][1] if graph in self.emptied else self._held(graph)
        self.emptied[graph] = (how, held)
        self.added.pop(graph, None)
        self.removed.pop(graph, None)
        if how == "DROP":
            self.created.discard(graph)
        if self._snapshot is not None:
            self._empty_snapshot(graph, drop=how == "DROP")

    def create(self, graph: str) -> None:
        self.created.add(graph)
        if self._snapshot is not None:
            self._snapshot.add_graph(pyoxigraph.NamedNode(graph))

    def _held(self, graph: str) -> set[Triple]:
        """What `graph` holds in the store (not as earlier operations left it: the store is what an
        emptied graph's removals are counted against)."""
        query = f"SELECT ?s ?p ?o WHERE {{ {in_graph(graph, '?s ?p ?o')} }}"
        return {(row["s"], row["p"], row["o"]) for row in select(self.store, query)}

    def changes(self) -> list[Change]:
        graphs = sorted({*self.added, *self.removed, *self.emptied, *self.created})
        found = []
        for graph in graphs:
            additions = _graph(self.added.get(graph, ()))
            if (
                graph not in self.emptied
                and not additions
                and not self.removed.get(graph)
                and graph not in self.created
            ):
                continue
            if graph in self.emptied:
                how, held = self.emptied[graph]
                found.append(
                    Change(
                        graph=graph,
                        additions=additions,
                        removals=_graph(held),
                        emptied=how,
                        created=graph in self.created,
                    )
                )
                continue
            removals = _graph(self.removed.get(graph, ()))
            found.append(
                Change(graph=graph, additions=additions, removals=removals, created=graph in self.created)
            )
        return self._rewritten(found)

    def _rewritten(self, changes: list[Change]) -> list[Change]:
        """`changes`, with every graph that holds a stored blank node they name written again whole.

        SPARQL cannot name a stored blank node: DELETE cannot match it and INSERT makes a new one. So
        a change that removes a triple with one, or adds one to a stored node (an INSERT whose WHERE
        bound it, a COPY of a graph holding it), empties each graph holding those nodes and writes it
        again in the same update, where one label is one new node in every graph: the same shape,
        the links kept. The graphs are those that share a blank node with them, and so on."""
        # Stored blank nodes added again, or removed from a graph not emptied whole (an emptied graph
        # is emptied by pattern, blank nodes and all).
        named = {
            node
            for change in changes
            for triple in (*change.additions, *(change.removals if change.emptied is None else ()))
            for node in triple
            if isinstance(node, BNode) and node in self.read_blank_nodes
        }
        if not named:
            return changes
        holders, held_nodes = self._blank_node_holders()
        graphs: set[str] = set()
        todo = [node for node in named if node in holders]
        seen = set(todo)
        while todo:
            for graph in holders[todo.pop()]:
                if graph in graphs:
                    continue
                graphs.add(graph)
                for node in held_nodes[graph] - seen:
                    seen.add(node)
                    todo.append(node)
        by_graph = {change.graph: change for change in changes}
        for graph in sorted(graphs):
            held = self._held(graph)
            change = by_graph.get(graph)
            if change is None:
                after = held
            elif change.emptied is not None:
                after = set(change.additions)
            else:
                after = (held - set(change.removals)) | set(change.additions)
            by_graph[graph] = Change(
                graph=graph, additions=_graph(after), removals=_graph(held), emptied="CLEAR"
            )
        for change in changes:
            # A graph that removes a blank node no store holds any more needs no rewriting.
            if (
                change.graph not in graphs
                and change.emptied is None
                and any(isinstance(node, BNode) for triple in change.removals for node in triple)
            ):
                by_graph[change.graph] = replace(
                    change,
                    removals=_graph(t for t in change.removals if not any(isinstance(n, BNode) for n in t)),
                )
        return [by_graph[graph] for graph in sorted(by_graph)]

    def _blank_node_holders(self) -> tuple[dict[BNode, set[str]], dict[str, set[BNode]]]:
        """Which graphs of the store hold each blank node, and which blank nodes each graph holds
        (the store's own default graph too, unless it is the union's copy)."""
        blank = "FILTER(isBlank(?s) || isBlank(?o))"
        own = "" if self.layout.union else f"{{ ?s ?p ?o {blank} }} UNION "
        query = f"SELECT ?s ?o ?g WHERE {{ {own}{{ GRAPH ?g {{ ?s ?p ?o }} {blank} }} }}"
        holders: dict[BNode, set[str]] = {}
        held_nodes: dict[str, set[BNode]] = {}
        for row in select(self.store, query):
            graph = str(row["g"]) if "g" in row else DEFAULT_GRAPH
            if graph in self.layout.bookkeeping:
                continue
            for node in (row["s"], row["o"]):
                if isinstance(node, BNode):
                    holders.setdefault(node, set()).add(graph)
                    held_nodes.setdefault(graph, set()).add(node)
        return holders, held_nodes

    # The snapshot, kept as the operations go.

    def _write_snapshot(self, graph: str, triples: Iterable[Triple], *, adding: bool) -> None:
        assert self._snapshot is not None
        member = self.layout.member(graph)
        for triple in triples:
            quad = _quad(triple, graph)
            if adding:
                self._snapshot.add(quad)
                if member:
                    self._snapshot.add(_quad(triple, DEFAULT_GRAPH))
            else:
                self._snapshot.remove(quad)
                if member and not self._held_elsewhere(triple, graph):
                    self._snapshot.remove(_quad(triple, DEFAULT_GRAPH))

    def _empty_snapshot(self, graph: str, *, drop: bool = False) -> None:
        assert self._snapshot is not None
        name = _node(graph)
        held = list(self._snapshot.quads_for_pattern(None, None, None, name))
        for quad in held:
            self._snapshot.remove(quad)
        if self.layout.member(graph):
            for quad in held:
                triple = (
                    to_rdflib(quad.subject),  # type: ignore[arg-type]
                    to_rdflib(quad.predicate),
                    to_rdflib(quad.object),  # type: ignore[arg-type]
                )
                if not self._held_elsewhere(triple, graph):
                    self._snapshot.remove(pyoxigraph.Quad(quad.subject, quad.predicate, quad.object))
        if drop and isinstance(name, pyoxigraph.NamedNode):
            self._snapshot.remove_graph(name)

    def _held_elsewhere(self, triple: Triple, graph: str) -> bool:
        assert self._snapshot is not None
        s, p, o = (_term(node) for node in triple)
        return any(
            isinstance(quad.graph_name, pyoxigraph.NamedNode)
            and quad.graph_name.value != graph
            and self.layout.member(quad.graph_name.value)
            for quad in self._snapshot.quads_for_pattern(s, p, o, None)
        )


def _copy(store: VersionedStore) -> pyoxigraph.Store:
    """The whole store, in memory, blank nodes keeping their labels; InvalidParameterError past
    MAX_SNAPSHOT_QUADS."""
    dump = io.BytesIO()
    store.store.dump(dump, media_type="application/n-quads")
    snapshot = pyoxigraph.Store()
    dump.seek(0)
    quads = pyoxigraph.parse(dump, format=pyoxigraph.RdfFormat.N_QUADS)
    batch: list[pyoxigraph.Quad] = []
    count = 0
    for quad in quads:
        batch.append(quad)
        count += 1
        if count > MAX_SNAPSHOT_QUADS:
            raise InvalidParameterError(
                "update",
                f"an operation of this update reads what an earlier one wrote, which takes a copy of the "
                f"store, and the store holds more than {MAX_SNAPSHOT_QUADS:,} quads: send the operations "
                "as separate requests",
            )
        if len(batch) == 10_000:
            snapshot.extend(batch)
            batch = []
    snapshot.extend(batch)
    for graph in _named_graphs(store):
        snapshot.add_graph(pyoxigraph.NamedNode(graph))
    return snapshot


def _named_graphs(store: VersionedStore) -> list[str]:
    return [str(row["g"]) for row in select(store, "SELECT ?g WHERE { GRAPH ?g { } }")]


def _node(graph: str) -> pyoxigraph.NamedNode | pyoxigraph.DefaultGraph:
    return pyoxigraph.DefaultGraph() if graph == DEFAULT_GRAPH else pyoxigraph.NamedNode(graph)


def _term(node: Node) -> Any:
    if isinstance(node, URIRef):
        return pyoxigraph.NamedNode(str(node))
    if isinstance(node, BNode):
        return pyoxigraph.BlankNode(str(node))
    value = node
    if value.language:  # type: ignore[attr-defined]
        return pyoxigraph.Literal(str(value), language=value.language)  # type: ignore[attr-defined]
    datatype = value.datatype  # type: ignore[attr-defined]
    return pyoxigraph.Literal(str(value), datatype=pyoxigraph.NamedNode(str(datatype)) if datatype else None)


def _quad(triple: Triple, graph: str) -> pyoxigraph.Quad:
    s, p, o = (_term(node) for node in triple)
    return pyoxigraph.Quad(s, p, o, _node(graph))


def _graph(triples: Iterable[Triple]) -> Graph:
    found = Graph()
    for triple in triples:
        found.add(triple)
    return found
