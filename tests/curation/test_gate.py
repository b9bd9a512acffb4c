"""The SHACL gate over the bundled sources: it says of the nodes a change touches what full validation
of the changed graph says of them, and it reads only their neighbourhood."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from service.app import create_app
from service.curation.gate import Change, Gate
from service.sparql.results import construct, select
from service.stores import OxigraphStore, SparqlStore
from service.validation import ValidationResult, Validator
from tests.conftest import ROOT
from tests.ingest.conftest import ingest_settings

UNKG = Namespace("https://w3id.org/unkg/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
WIPO = URIRef("https://w3id.org/unkg/id/body/wipo")


@pytest.fixture(scope="module")
def store() -> Iterator[SparqlStore]:
    backend = OxigraphStore()
    with TestClient(create_app(ingest_settings(), store=backend)) as client:
        yield client.app.state.store  # type: ignore[attr-defined]
    backend.close()


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator.from_directories(shapes_path=ROOT / "shapes", ontology_path=ROOT / "ontology")


def a_status(store: SparqlStore) -> tuple[URIRef, URIRef, str]:
    """A WIPO status assessment, its recommendation and its graph."""
    [row] = select(
        store,
        f"""SELECT ?s ?r ?g WHERE {{ GRAPH ?g {{ ?s <{UNKG.organization}> <{WIPO}> ;
            <{UNKG.recommendation}> ?r ; a <{UNKG.StatusAssessment}> }} }} ORDER BY ?s LIMIT 1""",
    )
    assert isinstance(row["s"], URIRef) and isinstance(row["r"], URIRef)
    return row["s"], row["r"], str(row["g"])


def graph_of(store: SparqlStore, node: URIRef) -> str:
    [row] = select(store, f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{node}> a ?c }} }} LIMIT 1")
    return str(row["g"])


def key(result: ValidationResult) -> tuple[str, str, str, str, str]:
    return (
        str(result.focus_node),
        str(result.path),
        str(result.value),
        str(result.shape),
        str(result.constraint),
    )


def full_validation_of(
    store: SparqlStore, change: Change, validator: Validator, focus: frozenset[URIRef]
) -> set:
    """What validating the whole changed graph says about `focus`."""
    removed_elsewhere = Graph()
    for s, p, o in change.removals:
        others = select(
            store,
            f"SELECT ?g WHERE {{ GRAPH ?g {{ {s.n3()} {p.n3()} {o.n3()} }} FILTER(?g != <{change.graph}>) }}",
        )
        if not others:
            removed_elsewhere.add((s, p, o))
    whole = construct(store, "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    for triple in removed_elsewhere:
        whole.remove(triple)
    for triple in change.additions:
        whole.add(triple)
    report = validator.validate(whole)
    return {key(result) for result in report.results if result.focus_node in focus}


def changes(store: SparqlStore) -> dict[str, Change]:
    status, recommendation, graph = a_status(store)
    reference = graph_of(store, WIPO)
    title = Graph()
    document = select(
        store, f"SELECT ?d WHERE {{ ?d <{UNKG.hasRecommendation}> <{recommendation}> }} LIMIT 1"
    )[0]["d"]
    title.add(
        (
            document,
            URIRef("http://purl.org/dc/terms/title"),
            Literal("A title added by a librarian", lang="en"),
        )
    )
    second = Graph()
    second.add(
        (
            status,
            UNKG.recommendation,
            URIRef("https://w3id.org/unkg/id/recommendation/jiu-rep-2024-4/formal/1"),
        )
    )
    bad_value = Graph()
    bad_value.add((status, UNKG.acceptance, URIRef("https://w3id.org/unkg/id/acceptance-status/maybe")))
    no_organization = Graph()
    no_organization.add((status, UNKG.organization, WIPO))
    untyped = Graph()
    untyped.add((WIPO, RDF.type, ORG.Organization))
    return {
        "valid: a title in English": Change(graph=graph_of(store, document), additions=title),
        "a second recommendation (max 1)": Change(graph=graph, additions=second),
        "an acceptance outside its scheme": Change(graph=graph, additions=bad_value),
        "no organization (min 1)": Change(graph=graph, removals=no_organization),
        "WIPO no longer an organization": Change(graph=reference, removals=untyped),
    }


@pytest.mark.parametrize(
    "name",
    [
        "valid: a title in English",
        "a second recommendation (max 1)",
        "an acceptance outside its scheme",
        "no organization (min 1)",
        "WIPO no longer an organization",
    ],
)
def test_the_gate_says_what_full_validation_says_about_the_touched_nodes(
    store: SparqlStore, validator: Validator, name: str
) -> None:
    change = changes(store)[name]
    gated = Gate(validator).check(store, change)
    found = {key(result) for result in gated.report.results}
    assert found == full_validation_of(store, change, validator, gated.focus_nodes)
    assert gated.report.conforms == name.startswith("valid"), [r.message() for r in gated.report.results]
    if not name.startswith("WIPO"):
        # It reads the neighbourhood of the change, not the graph.
        [total] = select(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert gated.read < int(total["n"]) / 10, (gated.read, total["n"])
    else:
        # Everything pointing at WIPO is revalidated, and its sh:class constraints now fail.
        assert len(gated.focus_nodes) > 10 and len(found) > 10
