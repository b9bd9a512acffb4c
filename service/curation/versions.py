"""Versions of resources and graphs, as entity tags, and the If-Match check of a write.

- A resource's tag is a hash of its statements (every quad with it as subject, outside the history
  and system graphs): it changes exactly when they do, whichever way they were written.
- A graph's tag is its version: how many writes through the service it has had, kept in the system
  graph (service/stores/system.py) and advanced in the same update as each write.

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
from service.rdf import term
from service.sparql.results import select
from service.stores.base import SparqlStore
from service.stores.dataset import in_graph
from service.stores.system import SystemGraph


def resource_tags(
    store: SparqlStore, resources: Iterable[URIRef], *, hidden: Iterable[str], own_default_graph: bool = False
) -> dict[URIRef, str]:
    """The tag of each resource that has statements (outside the `hidden` graphs, and in the store's
    own default graph when it holds data of its own); others are left out."""
    wanted = sorted(set(resources))
    if not wanted:
        return {}
    values = " ".join(term(resource) for resource in wanted)
    skipped = ", ".join(term(URIRef(graph)) for graph in hidden)
    named = "GRAPH ?g { ?s ?p ?o }" + (f" FILTER(?g NOT IN ({skipped}))" if skipped else "")
    where = f"{{ ?s ?p ?o }} UNION {{ {named} }}" if own_default_graph else named
    query = f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?s {{ {values} }} {where} }}"
    lines: dict[URIRef, list[str]] = defaultdict(list)
    for row in select(store, query):
        subject = row["s"]
        assert isinstance(subject, URIRef)
        graph = _written(row["g"]) if "g" in row else "DEFAULT"
        lines[subject].append(" ".join([_written(row["p"]), _written(row["o"]), graph]))
    return {subject: _hash("r", sorted(found)) for subject, found in lines.items()}


def _written(node: Node) -> str:
    # A blank node is hashed by its label in the store (term() would refuse it: it has no text in a
    # query), so a resource with one as a value has a version like any other.
    return f"_:{node}" if isinstance(node, BNode) else term(node)


def _hash(kind: str, lines: list[str]) -> str:
    return kind + hashlib.blake2b("\n".join(lines).encode(), digest_size=12).hexdigest()


def graph_tag(store: SparqlStore, graph: str, *, system: SystemGraph) -> str | None:
    """The tag of `graph` (`g` and its version), or None if it holds nothing."""
    if not any(True for _ in store.solutions(f"SELECT * WHERE {{ {in_graph(graph, '?s ?p ?o')} }} LIMIT 1")):
        return None
    return f"g{system.graph_version(store, graph) or 0}"


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

    #: The tag of each graph the write changes (None: it holds nothing yet).
    graph_tags: Mapping[str, str | None]
    #: Existing resources whose statements the write changes, by their tag now.
    resources: Mapping[URIRef, str]

    def check(self, if_match: str | None, *, required: bool = True) -> frozenset[str]:
        """The tags an If-Match header matched (see `match`)."""
        return self.match(parse_if_match(if_match), required=required)

    def match(self, wanted: frozenset[str] | Star["*"] | None, *, required: bool = True) -> frozenset[str]:
        """The tags `wanted` matched; PreconditionRequired or PreconditionFailed if it falls short.

        It holds when `wanted` names the version of every graph the write changes, or the version
        of every existing resource it changes (the finer lock: edits of other resources in the graph
        do not refuse it). A write that changes no existing resource needs no If-Match: it cannot
        overwrite anyone; nor does any write where If-Match is not `required` and none is sent.
        """
        if not self.resources:
            return frozenset()
        current = {str(resource): tag for resource, tag in sorted(self.resources.items())}
        if wanted is None:
            if not required:
                return frozenset()
            raise PreconditionRequired(
                "this changeset changes resources that exist; send If-Match with the ETag of each "
                "(from GET /doc/…) or of the graph (from GET /rdf-graph-store?graph=…)",
                # The first few by name (a graph-wide write may touch thousands) and how many in all.
                details={"resources": sorted(current)[:_LISTED], "count": len(current)},
            )
        if wanted == "*":
            return frozenset({"*"})
        graphs = {tag for tag in self.graph_tags.values() if tag is not None}
        if graphs and all(tag in wanted for tag in graphs):
            return frozenset(graphs)
        stale = sorted(resource for resource, tag in current.items() if tag not in wanted)
        if stale:
            raise PreconditionFailed(
                f"{len(stale)} of the resources this changeset changes have changed since the versions "
                "If-Match names; read them again",
                details={"changed": stale[:_LISTED], "count": len(stale)},
            )
        return frozenset(current.values())
