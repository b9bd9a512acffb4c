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
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import BNode, Graph, URIRef

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
    system_graph,
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
from service.sparql.results import ask, select
from service.stores.versioned import VersionedStore
from service.syntax import TERM_LIMIT, too_large
from service.tokens import Token
from service.validation import ValidationReport


@dataclass(frozen=True)
class Outcome:
    """What became of a change: refused by the gate, checked only (dry run), applied, or submitted."""

    gate: GateReport
    record: Record | None = None
    version: int | None = None
    #: The graph holds every addition and none of the removals already: nothing to do.
    unchanged: bool = False

    @property
    def conforms(self) -> bool:
        return self.gate.report.conforms


class Curator:
    def __init__(self, gate: Gate, *, base_iri: str) -> None:
        self.gate = gate
        self.base_iri = base_iri
        self._lock = threading.Lock()

    @property
    def hidden_graphs(self) -> tuple[str, str]:
        return service_graphs(self.base_iri)

    def preconditions(self, store: VersionedStore, change: Change) -> Preconditions:
        """The versions now of the graph and of the existing resources whose statements `change` changes."""
        subjects = {s for s, _, _ in change.additions} | {s for s, _, _ in change.removals}
        resources = resource_tags(
            store, (s for s in subjects if isinstance(s, URIRef)), hidden=self.hidden_graphs
        )
        tag = graph_tag(store, change.graph, system_graph=system_graph(self.base_iri))
        return Preconditions(graph=change.graph, graph_tag=tag, resources=resources)

    def _known(self, store: VersionedStore, graph: str) -> bool:
        """Whether the service has written to `graph` (emptied since, maybe: a revert refills it)."""
        system = term(URIRef(system_graph(self.base_iri)))
        return ask(store, f"ASK {{ GRAPH {system} {{ {term(URIRef(graph))} {term(UNKG.version)} ?v }} }}")

    def review_required(self, store: VersionedStore, graph: str) -> bool:
        system = term(URIRef(system_graph(self.base_iri)))
        return ask(
            store, f"ASK {{ GRAPH {system} {{ {term(URIRef(graph))} {term(UNKG.reviewRequired)} true }} }}"
        )

    def submit(
        self,
        store: VersionedStore,
        change: Change | Callable[[], Change],
        *,
        author: Token,
        message: str,
        if_match: str | None,
        dry_run: bool = False,
    ) -> Outcome:
        """If-Match, the gate, then applied (or submitted for review) with its record.

        `change` may be a function that works the change out from the store (a SPARQL update's WHERE
        clause): it is called under the same lock, so no write lands between reading and writing."""
        with self._lock:
            if callable(change):
                change = change()
            return self._submit(
                store, change, author=author, message=message, if_match=if_match, dry_run=dry_run
            )

    def _submit(
        self,
        store: VersionedStore,
        change: Change,
        *,
        author: Token,
        message: str,
        if_match: str | None,
        dry_run: bool,
    ) -> Outcome:
        unchanged = Outcome(GateReport(ValidationReport(conforms=True), frozenset(), 0), unchanged=True)
        if not len(change.additions) and not len(change.removals):
            return unchanged
        if change.graph in self.hidden_graphs:
            # Every write path comes here: no update or GSP write can forge the history.
            raise InvalidParameterError(
                "graph", "the history and system graphs change only through the service"
            )
        if any(isinstance(node, BNode) for triple in change.removals for node in triple):
            # A patch or an update names what it removes; a blank node cannot be named again.
            raise InvalidParameterError(
                "removals", "the change removes triples with blank nodes, which cannot be named; use IRIs"
            )
        expected = store.stored_version()
        preconditions = self.preconditions(store, change)
        if (
            preconditions.graph_tag is None
            and not author.may("admin")
            and not self._known(store, change.graph)
        ):
            raise InvalidParameterError(
                "graph", f"no graph {change.graph} exists here (an admin may create one)"
            )
        change = effective(store, change)
        if not len(change.additions) and not len(change.removals):
            return unchanged
        patch = rdf_patch(change)
        check_sizes(change, message=message, patch=patch)
        # A dry run writes nothing, so it needs no If-Match; one it is given is checked all the same.
        needed = not dry_run or if_match is not None
        matched = preconditions.check(if_match) if needed else frozenset()
        checked = self.gate.check(store, change)
        if not checked.report.conforms or dry_run:
            return Outcome(checked)
        review = self.review_required(store, change.graph)
        record = new_record(
            change,
            base_iri=self.base_iri,
            message=message,
            patch=patch,
            author=Author.of(author),
            touches=checked.focus_nodes,
            status="submitted" if review else "applied",
            based_on=matched,
        )
        facts = record_facts(record, base_iri=self.base_iri)
        self._write(
            store,
            write_update(
                None if review else change,
                base_iri=self.base_iri,
                expected_version=expected,
                history_added=facts,
                record=record.iri,
            ),
            proof=f"{term(URIRef(record.iri))} a {term(UNKG.Changeset)}",
        )
        return Outcome(checked, record, store.version())

    def approve(
        self, store: VersionedStore, change: Change, *, submitted: Record, reviewer: Token
    ) -> Outcome:
        """Apply a submitted changeset, through If-Match (its recorded versions) and the gate again."""
        self._reviewable(submitted, reviewer)
        with self._lock:
            expected = store.stored_version()
            based = submitted.based_on
            try:
                self.preconditions(store, change).match("*" if "*" in based else based or None)
            except (PreconditionRequired, PreconditionFailed) as exc:
                changed = exc.details.get("changed") or exc.details.get("resources") or []
                raise PreconditionFailed(
                    "what this changeset changes has changed since it was submitted; reject it and "
                    "submit it again against the current versions",
                    details={"changed": changed, "count": exc.details.get("count", 0)},
                ) from exc
            checked = self.gate.check(store, change)
            if not checked.report.conforms:
                return Outcome(checked)
            at = now()
            removed, added = review_facts(
                submitted.iri, base_iri=self.base_iri, reviewer=Author.of(reviewer), at=at, status="applied"
            )
            self._write(
                store,
                write_update(
                    change,
                    base_iri=self.base_iri,
                    expected_version=expected,
                    history_added=added,
                    history_removed=removed,
                    record=submitted.iri,
                ),
                proof=_in_state(submitted, "applied"),
            )
            return Outcome(checked, submitted, store.version())

    def reject(self, store: VersionedStore, *, submitted: Record, reviewer: Token, reason: str) -> int:
        """Record a reviewer's refusal of a submitted changeset, with the reason; nothing is applied."""
        self._reviewable(submitted, reviewer)
        if too_large(reason):
            raise TermTooLargeError(f"reason: {TERM_LIMIT}")
        with self._lock:
            removed, added = review_facts(
                submitted.iri,
                base_iri=self.base_iri,
                reviewer=Author.of(reviewer),
                at=now(),
                status="rejected",
                reason=reason,
            )
            self._write(
                store,
                write_update(
                    None,
                    base_iri=self.base_iri,
                    expected_version=store.stored_version(),
                    history_added=added,
                    history_removed=removed,
                ),
                proof=_in_state(submitted, "rejected"),
            )
            return store.version()

    def _reviewable(self, submitted: Record, reviewer: Token) -> None:
        if submitted.status != "submitted":
            raise Conflict(
                f"changeset {submitted.id} is {submitted.status}; only a submitted one is reviewed"
            )
        if submitted.author.id == reviewer.id:
            # Four eyes: a review by its own author would be no review.
            raise ForbiddenOperation(f"changeset {submitted.id} is yours; another reviewer must review it")

    def _write(self, store: VersionedStore, update: str, *, proof: str) -> None:
        proved = landed(proof, base_iri=self.base_iri)
        store.update(update, landed_if=proved)
        if not ask(store, f"ASK {{ {proved} }}"):
            # The guard held it back: another server wrote to the shared store since the check.
            raise Conflict("another write reached the store between the check and this one; send it again")


def _in_state(record: Record, status: str) -> str:
    return f"{term(URIRef(record.iri))} {term(UNKG.changesetStatus)} {term(STATUSES[status])}"


def effective(store: VersionedStore, change: Change) -> Change:
    """`change` without the additions its graph holds already and the removals it does not hold, so
    that the history records the exact diff (a blank node added is always new)."""
    named = [t for t in (*change.additions, *change.removals) if not any(isinstance(n, BNode) for n in t)]
    if not named:
        return change
    rows = " ".join(f"({term(s)} {term(p)} {term(o)})" for s, p, o in named)
    graph = term(URIRef(change.graph))
    query = f"SELECT ?s ?p ?o WHERE {{ VALUES (?s ?p ?o) {{ {rows} }} GRAPH {graph} {{ ?s ?p ?o }} }}"
    held = {(row["s"], row["p"], row["o"]) for row in select(store, query)}
    additions, removals = Graph(), Graph()
    for triple in change.additions:
        if triple not in held:
            additions.add(triple)
    for triple in change.removals:
        if triple in held:
            removals.add(triple)
    return Change(graph=change.graph, additions=additions, removals=removals)
