"""The SPARQL 1.1 Service Description of the /sparql endpoint."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef

from service.rdf import GRAPH_MEDIA_TYPES, RESULTS_MEDIA_TYPES, UNKG
from service.sparql.safety import MAX_DEPTH, MAX_STEPS
from service.stores.base import QueryLimits
from service.stores.dataset import Layout

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
_FORMAT_IRIS = {
    "application/sparql-results+json": FORMATS.SPARQL_Results_JSON,
    "application/sparql-results+xml": FORMATS.SPARQL_Results_XML,
    "text/csv": FORMATS.SPARQL_Results_CSV,
    "text/tab-separated-values": FORMATS.SPARQL_Results_TSV,
    "text/turtle": FORMATS.Turtle,
    "application/n-triples": FORMATS["N-Triples"],
    "application/ld+json": FORMATS["JSON-LD"],
    "application/rdf+xml": FORMATS.RDF_XML,
}


def service_description(
    endpoint: str,
    *,
    limits: QueryLimits,
    allowed_services: Sequence[str],
    layout: Layout,
    max_request_bytes: int | None = None,
) -> Graph:
    """sd:Service for `endpoint`: SPARQL 1.1 Query and Update, what the default graph is (and where
    a write to it goes), the result formats offered, and the limits a query runs under (time, rows,
    bytes, the SERVICE endpoints it may call, the size of a request, how deep and long its text may
    be); LOAD is refused."""
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("unkg", UNKG)
    service = BNode()
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(endpoint)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    # Updates too, with a curator's bearer token, each one a changeset through the SHACL gate.
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    if layout.union:
        graph.add((service, SD.feature, SD.UnionDefaultGraph))
        # A write to the default graph (INSERT DATA { … }, a Graph Store write to ?default) goes here.
        graph.add((service, UNKG.defaultWriteGraph, URIRef(layout.write_graph)))
        for excluded in sorted(layout.excluded):
            graph.add((service, UNKG.notInDefaultGraph, URIRef(excluded)))
    graph.add((service, RDFS.comment, Literal(f"The default graph is {layout.describe()}.", lang="en")))
    graph.add((service, UNKG.refusedOperation, Literal("LOAD")))
    for media_type in list(RESULTS_MEDIA_TYPES) + list(GRAPH_MEDIA_TYPES):
        graph.add((service, SD.resultFormat, _FORMAT_IRIS[media_type]))
    if limits.timeout is not None:
        graph.add((service, UNKG.queryTimeout, Literal(Decimal(str(limits.timeout)))))
    if limits.max_rows is not None:
        graph.add((service, UNKG.maxResultRows, Literal(limits.max_rows)))
    if limits.max_bytes is not None:
        graph.add((service, UNKG.maxResultBytes, Literal(limits.max_bytes)))
    if max_request_bytes is not None:
        graph.add((service, UNKG.maxRequestBytes, Literal(max_request_bytes)))
    graph.add((service, UNKG.maxQueryDepth, Literal(MAX_DEPTH)))
    graph.add((service, UNKG.maxQueryOperators, Literal(MAX_STEPS)))
    for allowed in allowed_services:
        graph.add((service, UNKG.allowedService, URIRef(allowed)))
    if allowed_services:
        graph.add((service, SD.feature, SD.BasicFederatedQuery))
    dataset = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    return graph
