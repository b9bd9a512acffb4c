"""Changesets: a librarian's additions and removals to one graph, checked by the gate, applied in one
update with their record, and kept as history (a PROV-O activity with the exact diff as RDF Patch).

The record goes to the history graph in the same SPARQL update as the change and the version's
advance, so on either store a changeset is applied and recorded whole, or not at all.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from service.curation.gate import Change
from service.errors import InvalidParameterError, RdfSyntaxError
from service.rdf import UNKG, count_quads, graph_iri, term
from service.sparql.results import to_rdflib
from service.tokens import Token

PROV = "http://www.w3.org/ns/prov#"
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
FOAF_NAME = "http://xmlns.com/foaf/0.1/name"
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
#: The syntaxes a changeset's additions and removals may come in, by media type.
SYNTAXES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld"}
_BNODE_LABEL = re.compile(r"^[A-Za-z0-9]+$")


def parse_part(field: str, data: Any, media_type: str) -> Graph:
    """The triples of one part of a changeset (`additions`, `removals`), or InvalidParameterError
    naming the field and, for a syntax error, its line and column."""
    graph = Graph()
    if data is None or data == "":
        return graph
    if media_type not in SYNTAXES:
        raise InvalidParameterError("format", f"{media_type!r} is not offered", allowed=sorted(SYNTAXES))
    text = data if isinstance(data, str) else json.dumps(data)
    if isinstance(data, (dict, list)) and media_type != "application/ld+json":
        raise InvalidParameterError(field, "a JSON object or list is read as JSON-LD only (format)")
    try:
        count_quads(text.encode(), media_type=media_type)
    except RdfSyntaxError as exc:
        raise InvalidParameterError(field, f"does not parse: {exc}") from exc
    graph.parse(data=text, format=SYNTAXES[media_type])
    return graph


def _write(node: Node) -> str:
    if isinstance(node, BNode):
        if not _BNODE_LABEL.match(str(node)):
            raise InvalidParameterError("additions", f"cannot write the blank node {node!r}")
        return f"_:{node}"
    return term(node)


def _block(graph: Graph) -> str:
    return "\n".join(f"{_write(s)} {_write(p)} {_write(o)} ." for s, p, o in sorted(graph))


def rdf_patch(change: Change) -> str:
    """The change as RDF Patch (removals, then additions, in one transaction)."""
    target = term(URIRef(change.graph))
    lines = ["TX ."]
    lines += [f"D {_write(s)} {_write(p)} {_write(o)} {target} ." for s, p, o in sorted(change.removals)]
    lines += [f"A {_write(s)} {_write(p)} {_write(o)} {target} ." for s, p, o in sorted(change.additions)]
    lines.append("TC .")
    return "\n".join(lines) + "\n"


def parse_patch(patch: str) -> Change:
    """The change an RDF Patch written by `rdf_patch` describes (one graph; A and D rows)."""
    rows: dict[str, list[str]] = {"A": [], "D": []}
    for line in patch.splitlines():
        kind, _, row = line.partition(" ")
        if kind in rows:
            rows[kind].append(row)
    graphs = {
        quad.graph_name.value if isinstance(quad.graph_name, pyoxigraph.NamedNode) else ""
        for kind in rows
        for quad in _quads(rows[kind])
    }
    if len(graphs) != 1 or "" in graphs:
        raise ValueError("a changeset's patch changes exactly one graph")
    additions, removals = Graph(), Graph()
    for added in _quads(rows["A"]):
        additions.add(_triple(added))
    for removed in _quads(rows["D"]):
        removals.add(_triple(removed))
    return Change(graph=graphs.pop(), additions=additions, removals=removals)


def _quads(lines: list[str]) -> list[pyoxigraph.Quad]:
    return list(pyoxigraph.parse("\n".join(lines).encode(), format=pyoxigraph.RdfFormat.N_QUADS))


def _triple(quad: pyoxigraph.Quad) -> tuple[Node, Node, Node]:
    parts = (quad.subject, quad.predicate, quad.object)
    return (to_rdflib(parts[0]), to_rdflib(parts[1]), to_rdflib(parts[2]))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Record:
    """What the history keeps of an applied changeset."""

    id: str
    iri: str
    graph: str
    message: str
    author: Token
    at: str
    patch: str
    additions: int
    removals: int
    touches: frozenset[URIRef]


def new_record(
    change: Change, *, base_iri: str, message: str, author: Token, touches: frozenset[URIRef]
) -> Record:
    id = uuid.uuid4().hex
    return Record(
        id=id,
        iri=f"{base_iri}id/changeset/{id}",
        graph=change.graph,
        message=message,
        author=author,
        at=datetime.now(UTC).isoformat(timespec="milliseconds"),
        patch=rdf_patch(change),
        additions=len(change.additions),
        removals=len(change.removals),
        touches=touches,
    )


def history_graph(base_iri: str) -> str:
    return graph_iri(base_iri, "history")


def agent_iri(base_iri: str, token_id: str) -> str:
    """The PROV agent standing for the holder of a token."""
    return f"{base_iri}id/agent/token-{token_id}"


def apply_update(change: Change, record: Record, *, base_iri: str) -> str:
    """One SPARQL update: the removals, the additions, and the record in the history graph."""
    target = term(URIRef(change.graph))
    history = term(URIRef(history_graph(base_iri)))
    node = term(URIRef(record.iri))
    agent = term(URIRef(agent_iri(base_iri, record.author.id)))
    at = term(Literal(record.at, datatype=URIRef(XSD_DATETIME)))
    facts = [
        f"{node} a <{PROV}Activity> , {term(UNKG.Changeset)}",
        f"{node} <{PROV}wasAssociatedWith> {agent}",
        f"{agent} a <{PROV}Agent> ; <{FOAF_NAME}> {term(Literal(record.author.name))}",
        f"{node} <{PROV}startedAtTime> {at} ; <{PROV}endedAtTime> {at}",
        f"{node} <{RDFS_COMMENT}> {term(Literal(record.message))}",
        f"{node} {term(UNKG.targetGraph)} {target}",
        f"{node} {term(UNKG.patch)} {term(Literal(record.patch))}",
        f"{node} {term(UNKG.additionCount)} {record.additions} ; {term(UNKG.removalCount)} {record.removals}",
        *(f"{node} {term(UNKG.touches)} {term(resource)}" for resource in sorted(record.touches)),
    ]
    parts = []
    if len(change.removals):
        parts.append(f"DELETE DATA {{ GRAPH {target} {{\n{_block(change.removals)}\n}} }}")
    if len(change.additions):
        parts.append(f"INSERT DATA {{ GRAPH {target} {{\n{_block(change.additions)}\n}} }}")
    parts.append(f"INSERT DATA {{ GRAPH {history} {{\n" + " .\n".join(facts) + " .\n} }")
    return " ;\n".join(parts)
