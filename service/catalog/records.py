"""The records of the catalog: documents, recommendations, status assessments and bodies, as plain data.

A record keeps what the graph states and nothing more: a field the sources are silent on is None or
empty. Texts are kept per language ({"zh": …, "en": …}); references to other records are IRIs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Text in each language it is given in: {"zh": "…", "en": "…"}.
Texts = dict[str, str]


@dataclass(slots=True)
class Evidence:
    """Where a fact comes from: a line range of a source text, with its quote."""

    source: str  # the source text's IRI
    source_label: str | None
    line_start: int | None
    line_end: int | None
    quote: Texts
    supports: list[str] = field(default_factory=list)  # property IRIs


@dataclass(slots=True)
class Document:
    iri: str
    id: str
    symbol: str | None = None
    type: str | None = None  # notation of the document-type concept
    classes: set[str] = field(default_factory=set)
    title: Texts = field(default_factory=dict)
    date: str | None = None
    issuer: str | None = None
    submitted_to: list[str] = field(default_factory=list)
    requested_by: list[str] = field(default_factory=list)
    cites: list[str] = field(default_factory=list)
    cited_by: list[str] = field(default_factory=list)
    recommendations: list[str] = field(default_factory=list)
    sources: list[Evidence] = field(default_factory=list)
    page: str | None = None  # the document's page on undocs.org, where the graph links one

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date and self.date[:4].isdigit() else None


@dataclass(slots=True)
class Status:
    """One organization's acceptance and implementation of one recommendation, as of a date."""

    iri: str
    recommendation: str
    organization: str
    as_of: str | None = None
    acceptance: str | None = None  # notation
    implementation: str | None = None  # notation
    role: str | None = None  # notation of the addressee role the assessment states
    reported_in: str | None = None  # document IRI
    responsible: Texts = field(default_factory=dict)
    comment: Texts = field(default_factory=dict)


@dataclass(slots=True)
class Recommendation:
    iri: str
    id: str
    kind: str | None = None  # "formal" | "informal"
    report: str | None = None  # document IRI
    number: int | None = None
    text: Texts = field(default_factory=dict)
    quoted_text: Texts = field(default_factory=dict)
    role: str | None = None  # notation of the recommendation's own addressee role
    addressees: dict[str, str | None] = field(default_factory=dict)  # organization IRI → role notation
    deadline: str | None = None
    expected_impact: str | None = None  # notation
    statuses: list[Status] = field(default_factory=list)  # latest first
    #: The same statuses by organization IRI, each list latest first.
    statuses_by_organization: dict[str, list[Status]] = field(default_factory=dict)
    sources: list[Evidence] = field(default_factory=list)


@dataclass(slots=True)
class Body:
    iri: str
    id: str
    label: Texts = field(default_factory=dict)
    acronym: Texts = field(default_factory=dict)
    kind: str | None = None  # notation of the body-kind concept
    parents: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    networks: list[str] = field(default_factory=list)  # what it is a member of
    members: list[str] = field(default_factory=list)
    chairs: list[str] = field(default_factory=list)
    recommendations: list[str] = field(default_factory=list)  # addressed to it or assessed by it


@dataclass(slots=True)
class Catalog:
    """Everything the JSON API answers from, read from the store at one version."""

    version: int
    documents: dict[str, Document] = field(default_factory=dict)  # by IRI
    recommendations: dict[str, Recommendation] = field(default_factory=dict)
    bodies: dict[str, Body] = field(default_factory=dict)
    #: Names of things that are neither documents nor bodies (people who chair), by IRI.
    names: dict[str, Texts] = field(default_factory=dict)
    #: Concept notations by concept IRI, for every concept of the schemes.
    notations: dict[str, str] = field(default_factory=dict)
    #: Every notation of each scheme's concepts, by scheme name ("acceptance-status" → [...]).
    schemes: dict[str, list[str]] = field(default_factory=dict)
    by_symbol: dict[str, str] = field(default_factory=dict)  # symbol → document IRI
    by_document_id: dict[str, str] = field(default_factory=dict)
    by_recommendation_id: dict[str, str] = field(default_factory=dict)
    by_body_id: dict[str, str] = field(default_factory=dict)
    #: Every recommendation IRI in `recommendation_key` order.
    recommendation_order: list[str] = field(default_factory=list)

    def document(self, symbol_or_id: str) -> Document | None:
        """The document with this UN symbol, or else with this id."""
        found = self.by_symbol.get(symbol_or_id) or self.by_document_id.get(symbol_or_id)
        return self.documents.get(found) if found else None

    def recommendation(self, id: str) -> Recommendation | None:
        found = self.by_recommendation_id.get(id)
        return self.recommendations.get(found) if found else None

    def recommendation_key(self, iri: str) -> tuple[str, int, int, str]:
        """Where a recommendation sorts: by its report's symbol, formal before informal, then number."""
        recommendation = self.recommendations.get(iri)
        if recommendation is None:
            return ("", 0, 0, iri)
        report = self.documents.get(recommendation.report or "")
        symbol = (report.symbol or report.id) if report else ""
        return (symbol, 0 if recommendation.kind == "formal" else 1, recommendation.number or 0, iri)

    def resolve(self, kind: str, key: str) -> str | None:
        """The IRI of the body, document or recommendation with this id (or, for a document, symbol)."""
        record: Body | Document | Recommendation | None
        if kind == "body":
            record = self.body(key)
        elif kind == "document":
            record = self.document(key)
        else:
            record = self.recommendation(key)
        return record.iri if record else None

    def body(self, id: str) -> Body | None:
        found = self.by_body_id.get(id)
        return self.bodies.get(found) if found else None
