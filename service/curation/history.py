"""Reading the history graph: changesets with who, when, why, their state, review and patch."""

from __future__ import annotations

from typing import Any

import pyoxigraph

from service.curation.changesets import (
    STATUSES,
    Author,
    Record,
    agent_iri,
    changeset_iri,
    history_graph,
    timestamp,
)
from service.sparql.results import select
from service.stores.base import SparqlStore

_QUERY = """PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX unkg: <https://w3id.org/unkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT ?changeset ?at ?graph ?message ?agent ?name ?added ?removed ?patch ?status ?reviewer ?reviewerName
       ?reviewedAt ?reason ?sequence ?group (GROUP_CONCAT(DISTINCT ?tag; separator=" ") AS ?tags)
       (GROUP_CONCAT(DISTINCT STR(?touched); separator=" ") AS ?touches) WHERE {
  GRAPH ?history {
    ?changeset a unkg:Changeset ; prov:startedAtTime ?at ; unkg:targetGraph ?graph ; rdfs:comment ?message ;
        prov:wasAssociatedWith ?agent ; unkg:additionCount ?added ; unkg:removalCount ?removed ;
        unkg:patch ?patch ; unkg:changesetStatus ?state .
    ?agent foaf:name ?name .
    OPTIONAL { ?changeset unkg:reviewedBy ?reviewer ; unkg:reviewedAt ?reviewedAt .
               ?reviewer foaf:name ?reviewerName }
    OPTIONAL { ?changeset unkg:rejectionReason ?reason }
    OPTIONAL { ?changeset unkg:basedOn ?tag }
    OPTIONAL { ?changeset unkg:sequence ?sequence }
    OPTIONAL { ?changeset unkg:changesetGroup ?group }
    OPTIONAL { ?changeset unkg:touches ?touched }
    %s
  }
  BIND(STRAFTER(STR(?state), "/changeset-status/") AS ?status)
}
GROUP BY ?changeset ?at ?graph ?message ?agent ?name ?added ?removed ?patch ?status ?reviewer ?reviewerName
         ?reviewedAt ?reason ?sequence ?group
ORDER BY DESC(?at) ?changeset"""

Term = pyoxigraph.NamedNode | pyoxigraph.Literal


class History:
    """The changesets the history graph of `base_iri` records."""

    def request_of(self, record: Record) -> list[Record]:
        """`record` and the other records of its request still in its state, oldest first."""
        if record.group is None:
            return [record]
        state = pyoxigraph.NamedNode(str(STATUSES[record.status]))
        found = [record_of(item) for item in self.find(state=state) if item.get("group") == record.group]
        return sorted(found, key=lambda one: one.id) or [record]

    def __init__(self, store: SparqlStore, base_iri: str) -> None:
        self.store = store
        self.base_iri = base_iri

    def find(self, **given: Term) -> list[dict[str, Any]]:
        """Changesets, latest first, as the API shows them; `given` binds variables of the query
        (agent, graph, changeset, state) or filters (resource, since, until)."""
        bindings: dict[str, Term] = {"history": pyoxigraph.NamedNode(history_graph(self.base_iri)), **given}
        filters = []
        if "resource" in given:
            filters.append("?changeset unkg:touches ?resource .")
        if "since" in given:
            filters.append("FILTER(?at >= ?since)")
        if "until" in given:
            filters.append("FILTER(?at < ?until)")
        return [
            self._item(row) for row in select(self.store, _QUERY % "\n    ".join(filters), bindings=bindings)
        ]

    def one(self, id: str) -> dict[str, Any] | None:
        try:
            node = pyoxigraph.NamedNode(changeset_iri(self.base_iri, id))
        except ValueError:
            return None
        found = self.find(changeset=node)
        return found[0] if found else None

    def _item(self, row: dict[str, Any]) -> dict[str, Any]:
        agents = agent_iri(self.base_iri, "")
        item: dict[str, Any] = {
            "id": str(row["changeset"]).removeprefix(changeset_iri(self.base_iri, "")),
            "iri": str(row["changeset"]),
            "status": str(row["status"]),
            "graph": str(row["graph"]),
            "message": str(row["message"]),
            "author": {"token": str(row["agent"]).removeprefix(agents), "name": str(row["name"])},
            "at": timestamp(row["at"].toPython()),
            "additions": int(str(row["added"])),
            "removals": int(str(row["removed"])),
            "touches": sorted(str(row.get("touches", "")).split()),
            "basedOn": sorted(str(row.get("tags", "")).split()),
            # The store version its application made (applied changesets only): their exact order.
            "sequence": int(str(row["sequence"])) if "sequence" in row else None,
            # The other records of the same request (one per graph) share it: applied together.
            "group": str(row["group"]) if "group" in row else None,
            "patch": str(row["patch"]),
        }
        if "reviewer" in row:
            item["review"] = {
                "reviewer": {
                    "token": str(row["reviewer"]).removeprefix(agents),
                    "name": str(row["reviewerName"]),
                },
                "at": str(row["reviewedAt"]),
            }
            if "reason" in row:
                item["review"]["reason"] = str(row["reason"])
        return item


def record_of(item: dict[str, Any]) -> Record:
    """The Record of a changeset as `History` reads it (what approval needs of it)."""
    return Record(
        id=item["id"],
        iri=item["iri"],
        graph=item["graph"],
        message=item["message"],
        author=Author(item["author"]["token"], item["author"]["name"]),
        at=item["at"],
        patch=item["patch"],
        additions=item["additions"],
        removals=item["removals"],
        touches=frozenset(),
        status=item["status"],
        based_on=frozenset(item["basedOn"]),
        group=item.get("group"),
    )
