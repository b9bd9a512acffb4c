"""Namespaces, graph names, media types and the checks every RDF term and file passes through."""

from __future__ import annotations

import re
from pathlib import Path
from typing import IO

import pyoxigraph
from rdflib import Literal, Namespace, URIRef
from rdflib.term import Node

from service import syntax
from service.errors import InvalidIRIError, RdfSyntaxError, UnsupportedMediaType

UNKG = Namespace("https://w3id.org/unkg/ontology#")
UNKGSH = Namespace("https://w3id.org/unkg/shapes#")
ORG = Namespace("http://www.w3.org/ns/org#")
CITO = Namespace("http://purl.org/spar/cito/")

#: The prefixes JSON-LD documents of this server are compacted with (published at /context.jsonld).
JSONLD_CONTEXT: dict[str, str] = {
    "unkg": str(UNKG),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "org": str(ORG),
    "prov": "http://www.w3.org/ns/prov#",
    "cito": str(CITO),
    "foaf": "http://xmlns.com/foaf/0.1/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "id": "https://w3id.org/unkg/id/",
}

#: Where every IRI the graph mints starts, unless `Settings.base_iri` says otherwise.
DEFAULT_BASE_IRI = "https://w3id.org/unkg/"


def graph_iri(base_iri: str, name: str) -> str:
    """Name the graph `name` under `base_iri`.

    >>> graph_iri("https://w3id.org/unkg/", "ontology")
    'https://w3id.org/unkg/graph/ontology'
    """
    return f"{base_iri}graph/{name}"


# Media type → pyoxigraph format, first the preferred one of each kind.
GRAPH_MEDIA_TYPES: dict[str, pyoxigraph.RdfFormat] = {
    "text/turtle": pyoxigraph.RdfFormat.TURTLE,
    "application/n-triples": pyoxigraph.RdfFormat.N_TRIPLES,
    "application/ld+json": pyoxigraph.RdfFormat.JSON_LD,
    "application/rdf+xml": pyoxigraph.RdfFormat.RDF_XML,
}
DATASET_MEDIA_TYPES: dict[str, pyoxigraph.RdfFormat] = {
    "application/trig": pyoxigraph.RdfFormat.TRIG,
    "application/n-quads": pyoxigraph.RdfFormat.N_QUADS,
}
RDF_MEDIA_TYPES = GRAPH_MEDIA_TYPES | DATASET_MEDIA_TYPES
RESULTS_MEDIA_TYPES: dict[str, pyoxigraph.QueryResultsFormat] = {
    "application/sparql-results+json": pyoxigraph.QueryResultsFormat.JSON,
    "application/sparql-results+xml": pyoxigraph.QueryResultsFormat.XML,
    "text/csv": pyoxigraph.QueryResultsFormat.CSV,
    "text/tab-separated-values": pyoxigraph.QueryResultsFormat.TSV,
}

_EXTENSIONS = {
    ".ttl": "text/turtle",
    ".turtle": "text/turtle",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
    ".json": "application/ld+json",
    ".rdf": "application/rdf+xml",
    ".owl": "application/rdf+xml",
    ".xml": "application/rdf+xml",
    ".trig": "application/trig",
    ".nq": "application/n-quads",
}


def media_type_for_path(path: Path) -> str:
    """Guess the RDF media type of a file from its extension.

    >>> media_type_for_path(Path("data/reference/bodies.ttl"))
    'text/turtle'
    >>> media_type_for_path(Path("dump.nq.gz"))
    Traceback (most recent call last):
    ...
    service.errors.UnsupportedMediaType: cannot tell the RDF syntax of dump.nq.gz; name the format
    """
    try:
        return _EXTENSIONS[path.suffix.lower()]
    except KeyError:
        raise UnsupportedMediaType(f"cannot tell the RDF syntax of {path.name}; name the format") from None


def rdf_format(media_type: str) -> pyoxigraph.RdfFormat:
    """The pyoxigraph format of an RDF media type; raise UnsupportedMediaType for any other."""
    try:
        return RDF_MEDIA_TYPES[media_type.split(";")[0].strip().lower()]
    except KeyError:
        raise UnsupportedMediaType(
            f"{media_type} is not an RDF syntax; use one of " + ", ".join(RDF_MEDIA_TYPES)
        ) from None


_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")


def term(value: Node) -> str:
    """Write a term for SPARQL text after checking that it cannot break out of it.

    >>> term(URIRef("https://w3id.org/unkg/id/body/wipo"))
    '<https://w3id.org/unkg/id/body/wipo>'
    >>> term(Literal("知识产权组织", lang="zh"))
    '"知识产权组织"@zh'
    >>> term(URIRef("https://x/> } ; DROP ALL ; #"))
    Traceback (most recent call last):
    ...
    service.errors.InvalidIRIError: not an IRI: 'https://x/> } ; DROP ALL ; #'
    """
    if isinstance(value, URIRef):
        _check_iri(str(value), "not an IRI")
        return f"<{value}>"
    if isinstance(value, Literal):
        _check_literal(value)
        return value.n3()
    raise InvalidIRIError(f"cannot write {value!r} into a query")


def _check_literal(value: Literal) -> None:
    """A language tag, datatype or text rdflib took but the engine would not, refused in the client's
    terms (else the engine's error names a place in a query the client never wrote, or, for text that
    is not Unicode, such as a lone surrogate from JSON's "\\ud800", the request fails with a 500)."""
    try:
        str(value).encode()
    except UnicodeEncodeError as exc:
        raise RdfSyntaxError(f"not Unicode text: {str(value)[:80]!r} ({exc.reason})") from exc
    if value.datatype is not None:
        _check_iri(str(value.datatype), "not an IRI")
    if value.language:
        try:
            pyoxigraph.Literal("", language=value.language)
        except ValueError as exc:
            raise RdfSyntaxError(f"not a language tag: {value.language!r} ({exc})") from exc


def iri(value: str) -> URIRef:
    """Check that `value` is an absolute IRI and return it as a URIRef.

    >>> iri("https://w3id.org/unkg/id/%FF")
    rdflib.term.URIRef('https://w3id.org/unkg/id/%FF')
    >>> iri("https://w3id.org/unkg/id/\ufffd")
    Traceback (most recent call last):
    ...
    service.errors.InvalidIRIError: not an absolute IRI: '...' (Invalid IRI code point '\ufffd')
    """
    _check_iri(value, "not an absolute IRI")
    return URIRef(value)


def _check_iri(value: str, problem: str) -> None:
    if not _IRI.match(value):
        raise InvalidIRIError(f"{problem}: {value!r}")
    try:
        # The engine's own rules (RFC 3987): an IRI the pattern lets through but the engine refuses
        # (U+FFFD from undecodable bytes, a bad %-escape, a port that is not a number) would otherwise
        # come back as a syntax error in the text of a query the client never wrote.
        pyoxigraph.NamedNode(value)
    except (ValueError, UnicodeEncodeError) as exc:
        raise InvalidIRIError(f"{problem}: {value!r} ({exc})") from exc


def count_quads(data: bytes | IO[bytes], *, media_type: str, base_iri: str | None = None) -> int:
    """Parse `data` in full and count its triples or quads, without storing anything.

    A stream is rewound afterwards so that it can be loaded next.
    Raises RdfSyntaxError with the line and column of the first error, UnsupportedMediaType.

    >>> count_quads(b"<urn:a> <urn:b> <urn:c> .", media_type="text/turtle")
    1
    >>> count_quads(b"<urn:a> <urn:b> .", media_type="text/turtle")
    Traceback (most recent call last):
    ...
    service.errors.RdfSyntaxError: line 1, column 17: . is not a valid RDF object
    """
    return syntax.count_quads(data, format=rdf_format(media_type), base_iri=base_iri)
