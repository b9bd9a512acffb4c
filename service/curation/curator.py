"""The one way a write reaches the graph: If-Match, the SHACL gate, review, and the history.

Every write path (POST /api/changesets, revert, approval, SPARQL Update, Graph Store Protocol writes)
hands a Change to `Curator.submit`, which

1. checks If-Match against the versions of the existing resources the change touches (428, 412);
2. sends the change through the gate (the report, nothing written, when it breaks a shape);
3. applies it with its record in one guarded update, or records it as `submitted` when its graph
   requires review (a reviewer then approves it, through steps 1–3 again, or rejects it).

The checks and the write happen under one lock, and the update is guarded by the store's version,
so that no write can land between what was checked and what is written, even on a shared store.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from service.curation.changesets import (
    STATUSES,
    Author,
    Record,
    check_sizes,
    landed,
    new_record,
    now,
    rdf_patch,
    record_facts,
    review_facts,
    service_graphs,
    write_update,
)
from service.curation.gate import Change, Gate, GateReport
from service.curation.versions import Preconditions, graph_tag, resource_tags
from service.errors import (
    Conflict,
    ForbiddenOperation,
    InvalidParameterError,
    PreconditionFailed,
    PreconditionRequired,
    TermTooLargeError,
)
from service.rdf import UNKG, term
from service.settings import Settings
from service.sparql.results import ask, select
from service.stores.dataset import DEFAULT_GRAPH, Layout, in_graph
from service.stores.versioned import VersionedStore
from service.syntax import TERM_LIMIT, too_large
from service.tokens import Token
from service.validation import ValidationReport, Validator


@dataclass(frozen=True)
class Outcome:
    """What became of a change: refused by the gate, checked only (dry run), applied, or submitted."""

    gate: GateReport
    #: One record per graph the change changed, all applied (or submitted) in one update.
    records: tuple[Record, ...] = ()
    version: int | None = None
    #: The graphs hold every addition and none of the removals already: nothing to do.
    unchanged: bool = False

    @property
    def conforms(self) -> bool:
        return self.gate.report.conforms

    @property
    def record(self) -> Record | None:
        return self.records[0] if self.records else None


Changes = Change | Sequence[Change]


class Curator:
    """The one writer of a deployment: built once with the app, handed to the routers."""

    def __init__(self, gate: Gate, *, base_iri: str, layout: Layout, require_if_match: bool = False) -> None:
        self.gate = gate
        self.base_iri = base_iri
        self.layout = layout
        #: Every graph demands If-Match of writes to existing resources (else only graphs set so).
        self.require_if_match = require_if_match
        self._lock = threading.Lock()

    @property
    def hidden_graphs(self) -> tuple[str, str]:
        return service_graphs(self.base_iri)

    def preconditions(self, store: VersionedStore, changes: Changes) -> Preconditions:
        """The versions now of the graphs and of the existing resources whose statements `changes`
        change."""
        changes = _listed(changes)
        subjects = {s for change in changes for s, _, _ in (*change.additions, *change.removals)}
        resources = resource_tags(
            store,
            (s for s in subjects if isinstance(s, URIRef)),
            hidden=self.hidden_graphs,
            own_default_graph=not store.layout.union,
        )
        tags = {change.graph: graph_tag(store, change.graph, system=store.system) for change in changes}
        return Preconditions(graph_tags=tags, resources=resources)

    def _flag(self, store: VersionedStore, graphs: Iterable[str], name: str) -> bool:
        """Whether the curation setting `name` is on for any of `graphs`."""
        return any(flags.get(name, False) for flags in store.system.flags(store, graphs).values())

    def review_required(self, store: VersionedStore, graph: str | Iterable[str]) -> bool:
        return self._flag(store, [graph] if isinstance(graph, str) else graph, "reviewRequired")

    def if_match_required(self, store: VersionedStore, graphs: Iterable[str]) -> bool:
        return self.require_if_match or self._flag(store, graphs, "ifMatchRequired")

    def submit(
        self,
        store: VersionedStore,
        change: Changes | Callable[[], Changes],
        *,
        author: Token,
        message: str,
        if_match: str | None,
        dry_run: bool = False,
    ) -> Outcome:
        """If-Match, the gate, then applied (or submitted for review) with its records, one per graph.

        `change` may be a function that works the change out from the store (a SPARQL update's WHERE
        clause): it is called under the same lock, so no write lands between reading and writing."""
        with self._lock:
            if callable(change):
                change = change()
            return self._submit(
                store, _listed(change), author=author, message=message, if_match=if_match, dry_run=dry_run
            )

    def _submit(
        self,
        store: VersionedStore,
        changes: list[Change],
        *,
        author: Token,
        message: str,
        if_match: str | None,
        dry_run: bool,
    ) -> Outcome:
        unchanged = Outcome(GateReport(ValidationReport(conforms=True), frozenset(), 0), unchanged=True)
        changes = [change for change in changes if not change.empty]
        if not changes:
            return unchanged
        for change in changes:
            self._check_target(store, change, author)
        expected = store.stored_version()
        preconditions = self.preconditions(store, changes)
        changes = [effective(store, change) for change in changes]
        changes = [change for change in changes if not change.empty]
        if not changes:
            return unchanged
        patches = [rdf_patch(recorded(change)) for change in changes]
        for change, patch in zip(changes, patches, strict=True):
            check_sizes(change, message=message, patch=patch)
        graphs = [change.graph for change in changes]
        # A dry run writes nothing, so it needs no If-Match; one it is given is checked all the same.
        needed = (not dry_run and self.if_match_required(store, graphs)) or if_match is not None
        matched = preconditions.check(if_match) if needed else frozenset()
        checked = self.gate.check(store, changes)
        if not checked.report.conforms or dry_run:
            return Outcome(checked)
        review = self.review_required(store, graphs)
        # Several graphs: their records share a group, so that review takes them together.
        group = uuid.uuid4().hex if len(changes) > 1 else None
        records = tuple(
            new_record(
                recorded(change),
                base_iri=self.base_iri,
                message=message,
                patch=patch,
                author=Author.of(author),
                touches=frozenset(node for node in checked.focus_nodes if node in _subjects(change)),
                status="submitted" if review else "applied",
                based_on=matched,
                group=group,
            )
            for change, patch in zip(changes, patches, strict=True)
        )
        facts = [fact for record in records for fact in record_facts(record, base_iri=self.base_iri)]
        self._write(
            store,
            [] if review else changes,
            expected_version=expected,
            history_added=facts,
            records=[record.iri for record in records],
            proof=f"{term(URIRef(records[0].iri))} a {term(UNKG.Changeset)}",
        )
        if not review:
            self._graph_operations(store, changes)
        return Outcome(checked, records, store.version())

    def _check_target(self, store: VersionedStore, change: Change, author: Token) -> None:
        if change.graph in self.hidden_graphs:
            # Every write path comes here: no update or GSP write can forge the history.
            raise InvalidParameterError(
                "graph", "the history and system graphs change only through the service"
            )
        if change.graph == DEFAULT_GRAPH and self.layout.union:
            raise InvalidParameterError(
                "graph", "the default graph is the union of the data graphs here: name a graph"
            )
        if change.emptied is None and any(
            isinstance(node, BNode) for triple in change.removals for node in triple
        ):
            # A patch or an update names what it removes; a blank node cannot be named again.
            raise InvalidParameterError(
                "removals", "the change removes triples with blank nodes, which cannot be named; use IRIs"
            )
        if (
            change.graph not in (DEFAULT_GRAPH, self.layout.write_graph)
            and not author.may("admin")
            # Known: the service has written to it (emptied since, maybe: a revert refills it).
            and store.system.graph_version(store, change.graph) is None
            and graph_tag(store, change.graph, system=store.system) is None
        ):
            raise InvalidParameterError(
                "graph", f"no graph {change.graph} exists here (an admin may create one)"
            )

    def _graph_operations(self, store: VersionedStore, changes: Sequence[Change]) -> None:
        """What triples cannot say: a graph made (CREATE) or dropped (DROP) stays so in the store's
        list of graphs. After the changes landed; lost in a crash, it leaves a graph empty or absent,
        never data changed."""
        operations = [
            f"{'CREATE' if change.created else 'DROP'} SILENT GRAPH {term(URIRef(change.graph))}"
            for change in changes
            if change.graph != DEFAULT_GRAPH
            and (change.created or change.emptied == "DROP")
            and not len(change.additions)
        ]
        if operations:
            store.store.update(" ;\n".join(operations))

    def approve(
        self, store: VersionedStore, submitted: Sequence[tuple[Change, Record]], *, reviewer: Token
    ) -> Outcome:
        """Apply submitted changesets (the records of one request, together), through If-Match (their
        recorded versions) and the gate again."""
        for _, record in submitted:
            self._reviewable(record, reviewer)
        changes = [change for change, _ in submitted]
        records = [record for _, record in submitted]
        with self._lock:
            expected = store.stored_version()
            for change, record in submitted:
                based = record.based_on
                try:
                    self.preconditions(store, change).match(
                        "*" if "*" in based else based or None, required=bool(based)
                    )
                except (PreconditionRequired, PreconditionFailed) as exc:
                    changed = exc.details.get("changed") or exc.details.get("resources") or []
                    raise PreconditionFailed(
                        "what this changeset changes has changed since it was submitted; reject it and "
                        "submit it again against the current versions",
                        details={"changed": changed, "count": exc.details.get("count", 0)},
                    ) from exc
            checked = self.gate.check(store, changes)
            if not checked.report.conforms:
                return Outcome(checked)
            removed, added = self._reviewed(records, reviewer, status="applied")
            self._write(
                store,
                changes,
                expected_version=expected,
                history_added=added,
                history_removed=removed,
                records=[record.iri for record in records],
                proof=_in_state(records[0], "applied"),
            )
            self._graph_operations(store, changes)
            return Outcome(checked, tuple(records), store.version())

    def reject(
        self, store: VersionedStore, *, submitted: Sequence[Record], reviewer: Token, reason: str
    ) -> int:
        """Record a reviewer's refusal of submitted changesets (one request's), with the reason;
        nothing is applied."""
        for record in submitted:
            self._reviewable(record, reviewer)
        if too_large(reason):
            raise TermTooLargeError(f"reason: {TERM_LIMIT}")
        with self._lock:
            removed, added = self._reviewed(submitted, reviewer, status="rejected", reason=reason)
            self._write(
                store,
                [],
                expected_version=store.stored_version(),
                history_added=added,
                history_removed=removed,
                proof=_in_state(submitted[0], "rejected"),
            )
            return store.version()

    def _reviewed(
        self, records: Sequence[Record], reviewer: Token, *, status: str, reason: str | None = None
    ) -> tuple[list[str], list[str]]:
        """What a review removes from and adds to each record, at one time."""
        at = now()
        removed: list[str] = []
        added: list[str] = []
        for record in records:
            less, more = review_facts(
                record.iri,
                base_iri=self.base_iri,
                reviewer=Author.of(reviewer),
                at=at,
                status=status,
                reason=reason,
            )
            removed += less
            added += more
        return removed, added

    def set_graph_settings(
        self, store: VersionedStore, graph: str, flags: Mapping[str, bool], *, author: Token
    ) -> Outcome:
        """Set curation settings of `graph` (GRAPH_FLAGS: review, If-Match) in the system graph,
        recorded in the history like any change (its target the system graph, its patch the triples)."""
        system = store.system
        with self._lock:
            current = system.flags(store, [graph]).get(graph, {})
            removals, additions = Graph(), Graph()
            for name, value in flags.items():
                if current.get(name, False) != value:
                    for triple in system.flag_facts(graph, {name: current[name]} if name in current else {}):
                        removals.add(triple)
                    for triple in system.flag_facts(graph, {name: value}):
                        additions.add(triple)
            change = Change(graph=system.iri, additions=additions, removals=removals)
            unchanged = Outcome(GateReport(ValidationReport(conforms=True), frozenset(), 0), unchanged=True)
            if change.empty:
                return unchanged
            expected = store.stored_version()
            record = new_record(
                change,
                base_iri=self.base_iri,
                message=f"curation settings of {graph}",
                patch=rdf_patch(change),
                author=Author.of(author),
                touches=frozenset({URIRef(graph)}),
            )
            self._write(
                store,
                [change],
                expected_version=expected,
                history_added=record_facts(record, base_iri=self.base_iri),
                records=[record.iri],
                proof=f"{term(URIRef(record.iri))} a {term(UNKG.Changeset)}",
            )
            return Outcome(unchanged.gate, (record,), store.version())

    def _reviewable(self, submitted: Record, reviewer: Token) -> None:
        if submitted.status != "submitted":
            raise Conflict(
                f"changeset {submitted.id} is {submitted.status}; only a submitted one is reviewed"
            )
        if submitted.author.id == reviewer.id:
            # Four eyes: a review by its own author would be no review.
            raise ForbiddenOperation(f"changeset {submitted.id} is yours; another reviewer must review it")

    def _write(
        self,
        store: VersionedStore,
        changes: Sequence[Change],
        *,
        expected_version: int,
        history_added: Sequence[str],
        history_removed: Sequence[str] = (),
        records: Sequence[str] = (),
        proof: str,
    ) -> None:
        """Apply `changes` with the history's facts in one update guarded by `expected_version` (see
        `write_update`); Conflict if the guard held it back, which `proof` tells."""
        update = write_update(
            changes,
            base_iri=self.base_iri,
            layout=self.layout,
            expected_version=expected_version,
            history_added=history_added,
            history_removed=history_removed,
            records=records,
        )
        proved = landed(proof, base_iri=self.base_iri)
        store.update(update, landed_if=proved)
        if not ask(store, f"ASK {{ {proved} }}"):
            # The guard held it back: another server wrote to the shared store since the check.
            raise Conflict("another write reached the store between the check and this one; send it again")


def _in_state(record: Record, status: str) -> str:
    return f"{term(URIRef(record.iri))} {term(UNKG.changesetStatus)} {term(STATUSES[status])}"


def _listed(changes: Changes) -> list[Change]:
    return [changes] if isinstance(changes, Change) else list(changes)


def _subjects(change: Change) -> set[Node]:
    return {s for s, _, _ in (*change.additions, *change.removals)}


def recorded(change: Change) -> Change:
    """What the history keeps of a change: the exact diff. A graph emptied and filled again keeps
    the triples it had and still has (blank nodes, new each time, are removed and added)."""
    if change.emptied is None:
        return change
    kept = {t for t in change.additions if not any(isinstance(n, BNode) for n in t)} & set(change.removals)
    return Change(
        graph=change.graph,
        additions=_graph(t for t in change.additions if t not in kept),
        removals=_graph(t for t in change.removals if t not in kept),
    )


def _graph(triples: Iterable[tuple[Node, Node, Node]]) -> Graph:
    found = Graph()
    for triple in triples:
        found.add(triple)
    return found


def effective(store: VersionedStore, change: Change) -> Change:
    """`change` without the additions its graph holds already and the removals it does not hold, so
    that the history records the exact diff (a blank node added is always new). A graph emptied whole
    is taken as it is: its removals were read from it."""
    if change.emptied is not None:
        return change
    named = [t for t in (*change.additions, *change.removals) if not any(isinstance(n, BNode) for n in t)]
    if not named:
        return change
    rows = " ".join(f"({term(s)} {term(p)} {term(o)})" for s, p, o in named)
    query = f"SELECT ?s ?p ?o WHERE {{ VALUES (?s ?p ?o) {{ {rows} }} {in_graph(change.graph, '?s ?p ?o')} }}"
    held = {(row["s"], row["p"], row["o"]) for row in select(store, query)}
    return replace(
        change,
        additions=_graph(t for t in change.additions if t not in held),
        removals=_graph(t for t in change.removals if t in held),
    )


def curator_for(settings: Settings, layout: Layout) -> Curator:
    """The deployment's Curator: its shapes (none on a bare store), layout and If-Match policy."""
    validator = (
        None
        if settings.bare
        else Validator.from_directories(
            shapes_path=settings.shapes_path, ontology_path=settings.ontology_path
        )
    )
    return Curator(
        Gate(validator, own_default_graph=not layout.union),
        base_iri=settings.base_iri,
        layout=layout,
        require_if_match=settings.require_if_match,
    )
