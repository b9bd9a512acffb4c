"""Facts: the triples an extractor states, each tied to the lines of the source that state it."""

from __future__ import annotations

import hashlib

from rdflib import PROV, RDF, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from service.ingest.text import Span
from service.rdf import UNKG


class Facts:
    """A graph under construction. Every statement made with a span gets an Evidence node.

    One Evidence node per (subject, span) lists, with unkg:supports, the properties it backs;
    the subject points to it with unkg:evidence and to the source with prov:wasDerivedFrom.
    """

    def __init__(self, *, base_iri: str, source: URIRef, source_slug: str) -> None:
        self.graph = Graph()
        self.base_iri = base_iri
        self.source = source
        self.source_slug = source_slug
        self._evidence: dict[tuple[Node, int, int], URIRef] = {}

    def iri(self, path: str) -> URIRef:
        return URIRef(f"{self.base_iri}id/{path}")

    def add(self, subject: URIRef, predicate: URIRef, obj: Node, span: Span | None = None) -> None:
        self.graph.add((subject, predicate, obj))
        if span is not None:
            self.graph.add((self.evidence(subject, span), UNKG.supports, predicate))

    def text(
        self, subject: URIRef, predicate: URIRef, value: str, span: Span | None, *, lang: str = "zh"
    ) -> None:
        if value:
            self.add(subject, predicate, Literal(value, lang=lang), span)

    def evidence(self, subject: Node, span: Span) -> URIRef:
        key = (subject, span.start, span.end)
        node = self._evidence.get(key)
        if node is None:
            digest = hashlib.sha1(str(subject).encode()).hexdigest()[:8]
            node = self.iri(f"evidence/{self.source_slug}/{span.start}-{span.end}-{digest}")
            self._evidence[key] = node
            graph = self.graph
            graph.add((node, RDF.type, UNKG.Evidence))
            graph.add((node, PROV.wasQuotedFrom, self.source))
            graph.add((node, UNKG.lineStart, Literal(span.start, datatype=XSD.integer)))
            graph.add((node, UNKG.lineEnd, Literal(span.end, datatype=XSD.integer)))
            graph.add((node, UNKG.quote, Literal(span.quote, lang="zh")))
            graph.add((subject, UNKG.evidence, node))
            graph.add((subject, PROV.wasDerivedFrom, self.source))
        return node
