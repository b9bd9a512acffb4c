"""Changesets: a librarian's additions and removals to one graph, checked by the gate, applied in one
update with their record, and kept as history (a PROV-O activity with the exact diff as RDF Patch).

The record goes to the history graph in the same SPARQL update as the change and the version's
advance, so on either store a changeset is applied and recorded whole, or not at all.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from service.curation.gate import Change
from service.errors import InvalidParameterError, RdfSyntaxError, TermTooLargeError
from service.rdf import UNKG, graph_iri, rdf_format, term
from service.sparql.results import to_rdflib
from service.stores.dataset import DEFAULT_GRAPH, Layout, in_graph
from service.stores.system import SystemGraph
from service.syntax import TERM_LIMIT, read_request_quads, term_size, too_large
from service.tokens import Token

PROV = "http://www.w3.org/ns/prov#"
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
FOAF_NAME = "http://xmlns.com/foaf/0.1/name"
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
#: The syntaxes a changeset's additions and removals may come in, by media type.
SYNTAXES = ("text/turtle", "application/n-triples", "application/ld+json")
_BNODE_LABEL = re.compile(r"^[A-Za-z0-9]+$")


def parse_graph(data: bytes, *, media_type: str) -> Graph:
    """The triples of RDF a request sent, read once by pyoxigraph: it fetches no remote JSON-LD
    context, RDF/XML with a DOCTYPE (entities to expand) is refused before it is read, and so is
    a triple term (RDF 1.2), which nothing after the parser can write (it was a 500).

    Raises RdfSyntaxError with the line and column, TermTooLargeError, UnsupportedMediaType.
    """
    graph = Graph()
    for quad in read_request_quads(data, format=rdf_format(media_type)):
        if isinstance(quad.subject, pyoxigraph.Triple) or isinstance(quad.object, pyoxigraph.Triple):
            raise RdfSyntaxError("a triple term (<< … >>, RDF 1.2) is not taken here: send RDF 1.1 triples")
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph


def parse_part(field: str, data: Any, media_type: str) -> Graph:
    """The triples of one part of a changeset (`additions`, `removals`), or InvalidParameterError
    naming the field and, for a syntax error, its line and column (TermTooLargeError as it is)."""
    if data is None or data == "":
        return Graph()
    if media_type not in SYNTAXES:
        raise InvalidParameterError("format", f"{media_type!r} is not offered", allowed=sorted(SYNTAXES))
    text = data if isinstance(data, str) else json.dumps(data)
    if isinstance(data, (dict, list)) and media_type != "application/ld+json":
        raise InvalidParameterError(field, "a JSON object or list is read as JSON-LD only (format)")
    try:
        # A lone surrogate (JSON's "\ud800") passes as itself, for the parser to refuse as not UTF-8.
        return parse_graph(text.encode(errors="surrogatepass"), media_type=media_type)
    except TermTooLargeError:
        raise
    except RdfSyntaxError as exc:
        raise InvalidParameterError(field, f"does not parse: {exc}") from exc


def check_sizes(change: Change, *, message: str, patch: str) -> None:
    """Refuse a change the history could not give back: the store would keep a term, the message or
    the patch (one literal, holding every term of the change) over what its parsers read back, and
    every answer that returns it would fail from then on (the list of changesets, for one).

    Raises TermTooLargeError naming which.
    """
    if not too_large(patch) and not too_large(message):
        return
    if any(too_large(str(node)) for triple in (*change.additions, *change.removals) for node in triple):
        raise TermTooLargeError(TERM_LIMIT)
    if too_large(message):
        raise TermTooLargeError(f"message: {TERM_LIMIT}")
    size = term_size(patch) / (1 << 20)
    raise TermTooLargeError(
        f"the history keeps a change as one literal, its RDF Patch, and {TERM_LIMIT}: this change's "
        f"takes {size:.1f} MiB; send it in parts"
    )


def _write(node: Node) -> str:
    if isinstance(node, BNode):
        if not _BNODE_LABEL.match(str(node)):
            raise InvalidParameterError("additions", f"cannot write the blank node {node!r}")
        return f"_:{node}"
    return term(node)


def _block(graph: Graph) -> str:
    return "\n".join(f"{_write(s)} {_write(p)} {_write(o)} ." for s, p, o in sorted(graph))


def _rows(graph: Graph) -> str:
    """The triples of `graph` (no blank nodes) as a VALUES block of ?s ?p ?o."""
    rows = " ".join(f"({term(s)} {term(p)} {term(o)})" for s, p, o in sorted(graph))
    return f"VALUES (?s ?p ?o) {{ {rows} }}"


def data_update(change: Change, *, layout: Layout) -> list[str]:
    """The change as DELETE DATA and INSERT DATA operations (removals first), for one update, with
    the union default graph kept whole (see service/stores/dataset.py)."""
    parts = []
    if len(change.removals):
        parts.append(f"DELETE DATA {{ {in_graph(change.graph, _block(change.removals))} }}")
        forget = layout.forget(change.graph, _rows(change.removals))
        if forget:
            parts.append(forget)
    if len(change.additions):
        block = _block(change.additions)
        copy = f"\n{block}" if layout.member(change.graph) else ""
        parts.append(f"INSERT DATA {{ {in_graph(change.graph, block)}{copy} }}")
    return parts


def rdf_patch(change: Change) -> str:
    """The change as RDF Patch (removals, then additions, in one transaction); a row of the default
    graph has no graph term."""
    target = "" if change.graph == DEFAULT_GRAPH else f" {term(URIRef(change.graph))}"
    lines = ["TX ."]
    lines += [f"D {_write(s)} {_write(p)} {_write(o)}{target} ." for s, p, o in sorted(change.removals)]
    lines += [f"A {_write(s)} {_write(p)} {_write(o)}{target} ." for s, p, o in sorted(change.additions)]
    lines.append("TC .")
    return "\n".join(lines) + "\n"


def parse_patch(patch: str, *, graph: str) -> Change:
    """The change to `graph` (its record's) an RDF Patch written by `rdf_patch` describes (A and D
    rows; none when the changeset only made or dropped an empty graph)."""
    rows: dict[str, list[str]] = {"A": [], "D": []}
    for line in patch.splitlines():
        kind, _, row = line.partition(" ")
        if kind in rows:
            rows[kind].append(row)
    quads = {kind: _quads(lines) for kind, lines in rows.items()}
    graphs = {
        quad.graph_name.value if isinstance(quad.graph_name, pyoxigraph.NamedNode) else DEFAULT_GRAPH
        for found in quads.values()
        for quad in found
    }
    if graphs - {graph}:
        raise ValueError(f"a changeset's patch changes its own graph alone, {graph}")
    additions, removals = Graph(), Graph()
    for added in quads["A"]:
        additions.add(_triple(added))
    for removed in quads["D"]:
        removals.add(_triple(removed))
    return Change(graph=graph, additions=additions, removals=removals)


def _quads(lines: list[str]) -> list[pyoxigraph.Quad]:
    return list(pyoxigraph.parse("\n".join(lines).encode(), format=pyoxigraph.RdfFormat.N_QUADS))


def _triple(quad: pyoxigraph.Quad) -> tuple[Node, Node, Node]:
    parts = (quad.subject, quad.predicate, quad.object)
    return (to_rdflib(parts[0]), to_rdflib(parts[1]), to_rdflib(parts[2]))  # type: ignore[arg-type]


#: A changeset's states, as the history records them.
STATUSES = {
    status: URIRef(f"https://w3id.org/unkg/id/changeset-status/{status}")
    for status in ("submitted", "applied", "rejected")
}


@dataclass(frozen=True)
class Author:
    """Who wrote or reviewed a changeset: their token's id and name."""

    id: str
    name: str

    @classmethod
    def of(cls, token: Token) -> Author:
        return cls(token.id, token.name)


@dataclass(frozen=True)
class Record:
    """What the history keeps of a changeset."""

    id: str
    iri: str
    graph: str
    message: str
    author: Author
    at: str
    patch: str
    additions: int
    removals: int
    touches: frozenset[URIRef]
    #: "applied", or "submitted" when its graph requires review.
    status: str = "applied"
    #: The versions (tags) If-Match named and matched: approval checks they are still current.
    based_on: frozenset[str] = frozenset()
    #: The request it came in with others (one record per graph): reviewed, applied or not, together.
    group: str | None = None


def now() -> str:
    return timestamp(datetime.now(UTC))


def timestamp(moment: datetime) -> str:
    """A changeset's time as the API shows it, fixed-width so that its text sorts in time order (a
    store gives xsd:dateTime back in its own canonical form: `.1Z` for `.100+00:00`)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def new_record(
    change: Change,
    *,
    base_iri: str,
    message: str,
    patch: str,
    author: Author,
    touches: frozenset[URIRef],
    status: str = "applied",
    based_on: frozenset[str] = frozenset(),
    group: str | None = None,
) -> Record:
    id = uuid.uuid4().hex
    return Record(
        id=id,
        iri=changeset_iri(base_iri, id),
        graph=change.graph,
        message=message,
        author=author,
        at=now(),
        patch=patch,
        additions=len(change.additions),
        removals=len(change.removals),
        touches=touches,
        status=status,
        based_on=based_on,
        group=group,
    )


def history_graph(base_iri: str) -> str:
    return graph_iri(base_iri, "history")


def system_graph(base_iri: str) -> str:
    return graph_iri(base_iri, "system")


def service_graphs(base_iri: str) -> tuple[str, str]:
    """The graphs the service alone writes (history, system): never a resource's statements, never
    a changeset's target."""
    return (history_graph(base_iri), system_graph(base_iri))


def changeset_iri(base_iri: str, id: str) -> str:
    return f"{base_iri}id/changeset/{id}"


def agent_iri(base_iri: str, token_id: str) -> str:
    """The PROV agent standing for the holder of a token."""
    return f"{base_iri}id/agent/token-{token_id}"


def _time(at: str) -> str:
    return term(Literal(at, datatype=URIRef(XSD_DATETIME)))


def _agent(base_iri: str, token: Author) -> tuple[str, str]:
    """The agent's node, and what the history says of it."""
    agent = term(URIRef(agent_iri(base_iri, token.id)))
    return agent, f"{agent} a <{PROV}Agent> ; <{FOAF_NAME}> {term(Literal(token.name))}"


def record_facts(record: Record, *, base_iri: str) -> list[str]:
    """The statements of a new record in the history graph."""
    node = term(URIRef(record.iri))
    agent, agent_facts = _agent(base_iri, record.author)
    at = _time(record.at)
    facts = [
        f"{node} a <{PROV}Activity> , {term(UNKG.Changeset)}",
        f"{node} {term(UNKG.changesetStatus)} {term(STATUSES[record.status])}",
        f"{node} <{PROV}wasAssociatedWith> {agent}",
        agent_facts,
        f"{node} <{PROV}startedAtTime> {at}",
        f"{node} <{RDFS_COMMENT}> {term(Literal(record.message))}",
        f"{node} {term(UNKG.targetGraph)} {term(URIRef(record.graph))}",
        f"{node} {term(UNKG.patch)} {term(Literal(record.patch))}",
        f"{node} {term(UNKG.additionCount)} {record.additions} ; {term(UNKG.removalCount)} {record.removals}",
        *(f"{node} {term(UNKG.touches)} {term(resource)}" for resource in sorted(record.touches)),
        *(f"{node} {term(UNKG.basedOn)} {term(Literal(tag))}" for tag in sorted(record.based_on)),
        *([f"{node} {term(UNKG.changesetGroup)} {term(Literal(record.group))}"] if record.group else []),
    ]
    if record.status == "applied":
        facts.append(f"{node} <{PROV}endedAtTime> {at}")
    return facts


def review_facts(
    changeset: str, *, base_iri: str, reviewer: Author, at: str, status: str, reason: str | None = None
) -> tuple[list[str], list[str]]:
    """What approving or rejecting a submitted changeset removes from and adds to its record."""
    node = term(URIRef(changeset))
    agent, agent_facts = _agent(base_iri, reviewer)
    removed = [f"{node} {term(UNKG.changesetStatus)} {term(STATUSES['submitted'])}"]
    added = [
        f"{node} {term(UNKG.changesetStatus)} {term(STATUSES[status])}",
        f"{node} {term(UNKG.reviewedBy)} {agent}",
        agent_facts,
        f"{node} {term(UNKG.reviewedAt)} {_time(at)}",
    ]
    if status == "applied":
        added.append(f"{node} <{PROV}endedAtTime> {_time(at)}")
    if reason is not None:
        added.append(f"{node} {term(UNKG.rejectionReason)} {term(Literal(reason))}")
    return removed, added


def write_update(
    changes: Sequence[Change],
    *,
    base_iri: str,
    layout: Layout,
    expected_version: int,
    history_added: Sequence[str],
    history_removed: Sequence[str] = (),
    records: Sequence[str] = (),
) -> str:
    """One SPARQL update: the changes to their graphs (and each graph's version, and the union default
    graph), and the history's facts; carried out only if the store is still at `expected_version`,
    the version the gate checked.

    The guard makes the check and the write one step on any store, a remote one shared by several
    servers included: if another write landed in between, this one changes nothing (see `landed`).
    A graph emptied whole (`Change.emptied`) is emptied by pattern, blank nodes too, before the rest.
    """
    history = term(URIRef(history_graph(base_iri)))
    system = SystemGraph(system_graph(base_iri))
    applied = [change for change in changes if not change.empty]
    if applied:
        # The store version this application makes: the exact order of applied changesets (their
        # times may tie within a millisecond), which a replay follows.
        history_added = [
            *history_added,
            *(f"{term(URIRef(record))} {term(UNKG.sequence)} {expected_version + 1}" for record in records),
        ]
    guard = system.guard(expected_version)
    operations: list[str] = []
    deleted: list[str] = []
    inserted: list[str] = []
    where: list[str] = []
    if history_removed:
        deleted.append(f"GRAPH {history} {{\n" + " .\n".join(history_removed) + " .\n}")
    inserted.append(f"GRAPH {history} {{\n" + " .\n".join(history_added) + " .\n}")
    forgotten: list[str] = []
    for index, change in enumerate(applied):
        everything = in_graph(change.graph, "?s ?p ?o")
        if change.emptied:
            if layout.member(change.graph):
                others = layout.held_elsewhere("?s ?p ?o", besides=[change.graph])
                unheld = f"FILTER NOT EXISTS {{ {others} }}"
                operations.append(f"DELETE {{ ?s ?p ?o }} WHERE {{ {guard}\n  {everything} {unheld} }}")
            operations.append(f"DELETE {{ {everything} }} WHERE {{ {guard}\n  {everything} }}")
        elif len(change.removals):
            deleted.append(in_graph(change.graph, _block(change.removals)))
            forget = layout.forget(change.graph, _rows(change.removals))
            if forget:
                forgotten.append(forget)
        if len(change.additions):
            block = _block(change.additions)
            inserted.append(in_graph(change.graph, block))
            if layout.member(change.graph):
                inserted.append(block)
        if change.graph == system.iri:
            continue  # the system graph's own node holds the store's version, which the store advances
        old, new, advance = system.graph_bump(change.graph, index=index)
        deleted.append(old)
        inserted.append(new)
        where.append(advance)
    where.append(guard)
    operations.append(
        ("DELETE {\n" + "\n".join(deleted) + "\n}\n" if deleted else "")
        + "INSERT {\n"
        + "\n".join(inserted)
        + "\n}\nWHERE {\n  "
        + "\n  ".join(where)
        + "\n}"
    )
    # After the removals left their graphs: out of the union those no other data graph holds.
    operations += forgotten
    return " ;\n".join(operations)


def landed(fact: str, *, base_iri: str) -> str:
    """The graph pattern that holds when the history holds `fact`, a fact only `write_update` writes:
    true after the update if and only if it landed."""
    return f"GRAPH {term(URIRef(history_graph(base_iri)))} {{ {fact} }}"
