"""The system graph: what unkg keeps about the store itself, never data, never in the default graph.

Everything the service records of its own bookkeeping is here, read and written through this module:

- on the system graph's own node: the store's version (every write through VersionedStore adds one,
  in the same update as the write) and when it last changed, and how the default graph is laid out;
- on each graph's node: its version (every changeset to it adds one), whether its changesets wait for
  review, whether its writes must send If-Match, and the checksum of the files it was installed from
  (bundled graphs and ingested sources).

>>> system = SystemGraph("urn:x:system")
>>> print(system.guard(3))
OPTIONAL { GRAPH <urn:x:system> { <urn:x:system> <https://w3id.org/unkg/ontology#version> ?storeVersion } }
  FILTER(COALESCE(?storeVersion, 0) = 3)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyoxigraph
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS

from service.rdf import UNKG, term
from service.stores.base import SparqlStore

#: Curation settings a graph may have, by the name the API gives them.
GRAPH_FLAGS = {"reviewRequired": UNKG.reviewRequired, "ifMatchRequired": UNKG.ifMatchRequired}


class SystemGraph:
    """The system graph named `iri`, and the SPARQL that reads and writes what it keeps."""

    def __init__(self, iri: str) -> None:
        self.iri = iri
        self.node = term(URIRef(iri))

    def _in(self, pattern: str) -> str:
        return f"GRAPH {self.node} {{ {pattern} }}"

    def value(self, store: SparqlStore, predicate: URIRef, subject: str | None = None) -> str | None:
        """The value of `predicate` on `subject` (the system graph's own node by default)."""
        node = self.node if subject is None else term(URIRef(subject))
        for (found,) in store.solutions(f"SELECT ?v WHERE {{ {self._in(f'{node} {term(predicate)} ?v')} }}"):
            return found.value if isinstance(found, pyoxigraph.Literal) else None
        return None

    # The store.

    def version(self, store: SparqlStore) -> int:
        """The store's version as the store holds it (0 before the first write)."""
        found = self.value(store, UNKG.version)
        return int(found) if found is not None else 0

    def modified(self, store: SparqlStore) -> str | None:
        """When the last write through the service happened (xsd:dateTime), if one did."""
        return self.value(store, DCTERMS.modified)

    def bump(self, only_if: str = "") -> str:
        """The update that adds one to the store's version and sets its time (when the graph pattern
        `only_if` holds)."""
        node, version, modified = self.node, term(UNKG.version), term(DCTERMS.modified)
        return (
            f"DELETE {{ {self._in(f'{node} {version} ?old ; {modified} ?was')} }}\n"
            f"INSERT {{ {self._in(f'{node} {version} ?new ; {modified} ?now')} }}\n"
            f"WHERE {{ {only_if} OPTIONAL {{ {self._in(f'{node} {version} ?old')} }}\n"
            f"        OPTIONAL {{ {self._in(f'{node} {modified} ?was')} }}\n"
            f"        BIND(COALESCE(?old, 0) + 1 AS ?new) BIND(NOW() AS ?now) }}"
        )

    def guard(self, expected_version: int) -> str:
        """A WHERE pattern that holds only while the store is at `expected_version`."""
        return (
            f"OPTIONAL {{ {self._in(f'{self.node} {term(UNKG.version)} ?storeVersion')} }}\n"
            f"  FILTER(COALESCE(?storeVersion, 0) = {expected_version})"
        )

    def layout(self, store: SparqlStore) -> str | None:
        """How the default graph was last laid out (see service/stores/dataset.py), if it was."""
        return self.value(store, UNKG.defaultGraphLayout)

    def set_layout(self, marker: str) -> str:
        return self._set(self.node, UNKG.defaultGraphLayout, term(Literal(marker)))

    def _set(self, subject: str, predicate: URIRef, value: str) -> str:
        """The update that makes `value` the one value of `predicate` on `subject`."""
        fact = f"{subject} {term(predicate)}"
        removed, added = self._in(f"{fact} ?old"), self._in(f"{fact} {value}")
        return f"DELETE WHERE {{ {removed} }} ;\nINSERT DATA {{ {added} }}"

    # Graphs.

    def graph_bump(self, graph: str, *, index: int = 0) -> tuple[str, str, str]:
        """DELETE template, INSERT template and WHERE pattern that advance `graph`'s version by one
        (`index` tells apart the variables of several graphs in one update)."""
        node, version = term(URIRef(graph)), term(UNKG.version)
        old, new = f"?graphVersion{index}", f"?nextGraphVersion{index}"
        return (
            self._in(f"{node} {version} {old}"),
            self._in(f"{node} {version} {new}"),
            f"OPTIONAL {{ {self._in(f'{node} {version} {old}')} }}\n  BIND(COALESCE({old}, 0) + 1 AS {new})",
        )

    def graph_version(self, store: SparqlStore, graph: str) -> int | None:
        """How many changesets `graph` has had through the service, None if none ever."""
        found = self.value(store, UNKG.version, graph)
        return int(found) if found is not None else None

    def flags(self, store: SparqlStore, graphs: Iterable[str]) -> dict[str, dict[str, bool]]:
        """The curation settings of each of `graphs` that has any set, by the API's names."""
        values = " ".join(term(URIRef(graph)) for graph in sorted(set(graphs)))
        if not values:
            return {}
        names = {str(flag): name for name, flag in GRAPH_FLAGS.items()}
        flags = " ".join(term(flag) for flag in GRAPH_FLAGS.values())
        query = (
            f"SELECT ?graph ?flag ?value WHERE {{ VALUES ?graph {{ {values} }} VALUES ?flag {{ {flags} }} "
            f"{self._in('?graph ?flag ?value')} }}"
        )
        found: dict[str, dict[str, bool]] = {}
        for graph, flag, value in store.solutions(query):
            found.setdefault(_text(graph), {})[names[_text(flag)]] = _text(value) == "true"
        return found

    def flag_facts(self, graph: str, flags: Mapping[str, bool]) -> list[tuple[URIRef, URIRef, Literal]]:
        """The triples that state `flags` of `graph` (a change to the system graph writes them)."""
        return [(URIRef(graph), GRAPH_FLAGS[name], Literal(value)) for name, value in flags.items()]

    def checksums(self, store: SparqlStore) -> dict[str, str]:
        """The checksum each installed graph (bundled or ingested) was installed from."""
        query = f"SELECT ?graph ?checksum WHERE {{ {self._in(f'?graph {term(UNKG.sha256)} ?checksum')} }}"
        return {_text(graph): _text(checksum) for graph, checksum in store.solutions(query)}

    def graph_versions(self, store: SparqlStore) -> dict[str, int]:
        """The version of every graph the service has written to."""
        query = f"SELECT ?graph ?version WHERE {{ {self._in(f'?graph {term(UNKG.version)} ?version')} }}"
        return {
            _text(graph): int(_text(version))
            for graph, version in store.solutions(query)
            if _text(graph) != self.iri
        }

    def set_checksum(self, graph: str, checksum: str) -> str:
        """The update that records the checksum `graph` was installed from."""
        return self._set(term(URIRef(graph)), UNKG.sha256, term(Literal(checksum)))


def _text(value: object) -> str:
    """The text of a named node or literal of a row (the system graph holds no other kind)."""
    if isinstance(value, pyoxigraph.NamedNode | pyoxigraph.Literal):
        return value.value
    raise TypeError(f"the system graph holds an unexpected value: {value!r}")
