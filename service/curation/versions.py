"""Versions of resources and graphs, as entity tags, and the If-Match check of a write.

- A resource's tag is a hash of its statements (every quad with it as subject, outside the history
  and system graphs): it changes exactly when they do, whichever way they were written.
- A graph's tag is its version: how many writes through the service it has had, kept in the system
  graph (`<graph> unkg:version N`) and advanced in the same update as each write.

A representation's ETag is the tag and a hash of its body (`"r3fa…-9c1d…"`), so that caches tell
formats apart; If-Match takes any representation's ETag, since they share the version.

>>> sorted(parse_if_match('"r1f-9c1d", W/"g2", "g3"'))
['g3', 'r1f']
>>> parse_if_match("*")
'*'
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal as Star

from rdflib import BNode, URIRef
from rdflib.term import Node

from service.errors import PreconditionFailed, PreconditionRequired
from service.rdf import UNKG, term
from service.sparql.results import select
from service.stores.base import SparqlStore


def resource_tags(
    store: SparqlStore, resources: Iterable[URIRef], *, hidden: Iterable[str]
) -> dict[URIRef, str]:
    """The tag of each resource that has statements (outside the `hidden` graphs); others are left out."""
    wanted = sorted(set(resources))
    if not wanted:
        return {}
    values = " ".join(term(resource) for resource in wanted)
    skipped = ", ".join(term(URIRef(graph)) for graph in hidden)
    query = (
        f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s ?p ?o }}"
        + (f" FILTER(?g NOT IN ({skipped}))" if skipped else "")
        + " }"
    )
    lines: dict[URIRef, list[str]] = defaultdict(list)
    for row in select(store, query):
        subject = row["s"]
        assert isinstance(subject, URIRef)
        lines[subject].append(" ".join(_written(row[name]) for name in ("p", "o", "g")))
    return {subject: _hash("r", sorted(found)) for subject, found in lines.items()}


def _written(node: Node) -> str:
    # A blank node is hashed by its label in the store (term() would refuse it: it has no text in a
    # query), so a resource with one as a value has a version like any other.
    return f"_:{node}" if isinstance(node, BNode) else term(node)


def _hash(kind: str, lines: list[str]) -> str:
    return kind + hashlib.blake2b("\n".join(lines).encode(), digest_size=12).hexdigest()


def graph_tag(store: SparqlStore, graph: str, *, system_graph: str) -> str | None:
    """The tag of `graph` (`g` and its version), or None if it holds nothing."""
    node, system = term(URIRef(graph)), term(URIRef(system_graph))
    query = (
        f"SELECT ?version WHERE {{ {{ SELECT * WHERE {{ GRAPH {node} {{ ?s ?p ?o }} }} LIMIT 1 }}\n"
        f"  OPTIONAL {{ GRAPH {system} {{ {node} {term(UNKG.version)} ?version }} }} }}"
    )
    for row in select(store, query):
        version = row.get("version")
        return f"g{int(str(version)) if version is not None else 0}"
    return None


def graph_bump(graph: str, *, system_graph: str) -> tuple[str, str, str]:
    """DELETE template, INSERT template and WHERE pattern that advance `graph`'s version by one."""
    node, system, version = term(URIRef(graph)), term(URIRef(system_graph)), term(UNKG.version)
    return (
        f"GRAPH {system} {{ {node} {version} ?graphVersion }}",
        f"GRAPH {system} {{ {node} {version} ?nextGraphVersion }}",
        f"OPTIONAL {{ GRAPH {system} {{ {node} {version} ?graphVersion }} }}\n"
        "  BIND(COALESCE(?graphVersion, 0) + 1 AS ?nextGraphVersion)",
    )


def representation_tag(tag: str, body: bytes) -> str:
    """The ETag of one representation of a resource or graph at version `tag`: the version, then a
    hash of the body, so that caches tell formats (and labels of linked resources) apart."""
    return f'"{tag}-{hashlib.blake2b(body, digest_size=6).hexdigest()}"'


def parse_if_match(header: str | None) -> frozenset[str] | Star["*"] | None:
    """The versions an If-Match header names (weak tags never match, as RFC 9110 says), or "*"."""
    if header is None:
        return None
    if header.strip() == "*":
        return "*"
    tags = set()
    for part in header.split(","):
        value = part.strip()
        if value.startswith('"') and value.endswith('"') and len(value) > 1:
            tags.add(value[1:-1].split("-", 1)[0])
    return frozenset(tags)


_LISTED = 50


@dataclass(frozen=True)
class Preconditions:
    """What a write changes that exists already, with their tags now."""

    graph: str
    graph_tag: str | None
    #: Existing resources whose statements the write changes, by their tag now.
    resources: Mapping[URIRef, str]

    def check(self, if_match: str | None) -> frozenset[str]:
        """The tags an If-Match header matched (see `match`)."""
        return self.match(parse_if_match(if_match))

    def match(self, wanted: frozenset[str] | Star["*"] | None) -> frozenset[str]:
        """The tags `wanted` matched; PreconditionRequired or PreconditionFailed if it falls short.

        It holds when `wanted` names the graph's version, or the version of every existing resource
        the write changes (the finer lock: edits of other resources in the graph do not refuse it).
        A write that changes no existing resource needs no If-Match: it cannot overwrite anyone.
        """
        if not self.resources:
            return frozenset()
        current = {str(resource): tag for resource, tag in sorted(self.resources.items())}
        if wanted is None:
            raise PreconditionRequired(
                "this changeset changes resources that exist; send If-Match with the ETag of each "
                "(from GET /doc/…) or of the graph (from GET /rdf-graph-store?graph=…)",
                # The first few by name (a graph-wide write may touch thousands) and how many in all.
                details={"resources": sorted(current)[:_LISTED], "count": len(current)},
            )
        if wanted == "*":
            return frozenset({"*"})
        if self.graph_tag is not None and self.graph_tag in wanted:
            return frozenset({self.graph_tag})
        stale = sorted(resource for resource, tag in current.items() if tag not in wanted)
        if stale:
            raise PreconditionFailed(
                f"{len(stale)} of the resources this changeset changes have changed since the versions "
                "If-Match names; read them again",
                details={"changed": stale[:_LISTED], "count": len(stale)},
            )
        return frozenset(current.values())
