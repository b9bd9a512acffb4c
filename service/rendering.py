"""Graph → bytes in the RDF syntaxes unkg serves."""

from __future__ import annotations

from rdflib import Graph

from service.errors import NotAcceptable
from service.rdf import GRAPH_MEDIA_TYPES, JSONLD_CONTEXT

_RDFLIB = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}
assert set(_RDFLIB) == set(GRAPH_MEDIA_TYPES)

#: What a linked-data document (a resource, the ontology) is served as: by file extension, and in the
#: order of preference that content negotiation offers (HTML first, for browsers).
DOCUMENT_EXTENSIONS = {
    ".html": "text/html",
    ".ttl": "text/turtle",
    ".jsonld": "application/ld+json",
    ".nt": "application/n-triples",
    ".rdf": "application/rdf+xml",
}
DOCUMENT_MEDIA_TYPES = list(DOCUMENT_EXTENSIONS.values())


def serialize_graph(graph: Graph, *, media_type: str) -> bytes:
    """Serialize `graph` as `media_type`; raise NotAcceptable for a syntax unkg does not write."""
    try:
        fmt = _RDFLIB[media_type]
    except KeyError:
        raise NotAcceptable(list(_RDFLIB)) from None
    if fmt == "json-ld":
        return graph.serialize(format=fmt, encoding="utf-8", context=JSONLD_CONTEXT, auto_compact=True)
    return graph.serialize(format=fmt, encoding="utf-8")
