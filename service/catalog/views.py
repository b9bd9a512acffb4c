"""Records → the JSON objects of the API, in the languages the client asked for.

`languages` is the client's preference (from `lang=` or Accept-Language), best first, or None for
every language. A text map then holds the first preferred language it has, falling back to English,
then Chinese, then whatever it has: a client always gets a text when the graph has one.
"""

from __future__ import annotations

from typing import Any

from service.catalog.records import Body, Catalog, Document, Evidence, Recommendation, Status, Texts
from service.catalog.statuses import StatusIndex, latest_status
from service.rdf import JSONLD_CONTEXT

Json = dict[str, Any]
#: The languages tried after the client's own, in this order.
FALLBACK_LANGUAGES = ("en", "zh")
#: The key of a text given without a language (BCP 47 "undetermined").
NO_LANGUAGE = "und"


def _best_language(texts: Texts, languages: list[str] | None) -> str | None:
    preferred: list[str] = [*(languages or ()), *FALLBACK_LANGUAGES]
    for language in preferred:
        if language in texts:
            return language
    return min(texts) if texts else None


def text_map(texts: Texts, languages: list[str] | None) -> Texts:
    """The texts to show: all of them, or the best one for `languages`."""
    if languages is None:
        return {language or NO_LANGUAGE: text for language, text in sorted(texts.items())}
    best = _best_language(texts, languages)
    return {} if best is None else {best or NO_LANGUAGE: texts[best]}


def text(texts: Texts, languages: list[str] | None) -> str | None:
    """The one text to show for `languages` (English, then Chinese, when none is asked for)."""
    best = _best_language(texts, languages)
    return None if best is None else texts[best]


def _curie(iri: str) -> str:
    """`iri` in the prefixes of /context.jsonld (unkg:text), or whole when none fits."""
    for prefix, namespace in JSONLD_CONTEXT.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


class Views:
    """Builds the JSON of each record for one catalog and one language preference."""

    def __init__(self, catalog: Catalog, statuses: StatusIndex, languages: list[str] | None) -> None:
        self.catalog = catalog
        self.statuses = statuses
        self.languages = languages

    # References: the short form of a record where another one points at it.

    def body_ref(self, iri: str | None) -> Json | None:
        if iri is None:
            return None
        body = self.catalog.bodies.get(iri)
        if body is None:
            name = self.catalog.names.get(iri, {})
            return {"id": None, "iri": iri, "label": text(name, self.languages)}
        return {"id": body.id, "iri": iri, "label": text(body.label, self.languages)}

    def document_ref(self, iri: str) -> Json:
        document = self.catalog.documents.get(iri)
        return {
            "id": document.id if document else None,
            "iri": iri,
            "symbol": document.symbol if document else None,
        }

    def recommendation_ref(self, iri: str) -> Json:
        recommendation = self.catalog.recommendations[iri]
        return {
            "id": recommendation.id,
            "iri": iri,
            "report": self.symbol(recommendation.report),
            "number": recommendation.number,
            "kind": recommendation.kind,
        }

    def symbol(self, document_iri: str | None) -> str | None:
        document = self.catalog.documents.get(document_iri or "")
        return document.symbol if document else None

    def sources(self, evidence: list[Evidence]) -> list[Json]:
        return [
            {
                "source": item.source,
                "file": item.source_label,
                "lines": [item.line_start, item.line_end],
                "quote": text(item.quote, self.languages),
                "supports": [_curie(iri) for iri in item.supports],
            }
            for item in evidence
        ]

    # Records.

    def document(self, document: Document) -> Json:
        return {
            "iri": document.iri,
            "id": document.id,
            "symbol": document.symbol,
            "type": document.type,
            "title": text_map(document.title, self.languages),
            "date": document.date,
            "issuer": self.body_ref(document.issuer),
            "submittedTo": [self.body_ref(iri) for iri in document.submitted_to],
            "requestedBy": [self.document_ref(iri) for iri in document.requested_by],
            "cites": [self.document_ref(iri) for iri in document.cites],
            "citedBy": [self.document_ref(iri) for iri in sorted(document.cited_by)],
            "recommendations": [self.recommendation_ref(iri) for iri in document.recommendations],
            "page": document.page,
            "sources": self.sources(document.sources),
        }

    def status(self, status: Status) -> Json:
        organization = self.catalog.bodies.get(status.organization)
        return {
            "organization": organization.id if organization else status.organization,
            "acceptance": status.acceptance,
            "implementation": status.implementation,
            "asOf": status.as_of,
            "source": self.symbol(status.reported_in),
            "responsible": text(status.responsible, self.languages),
            "comment": text(status.comment, self.languages),
        }

    def recommendation(self, recommendation: Recommendation) -> Json:
        """The recommendation with every status, latest first."""
        return self._recommendation(recommendation, recommendation.statuses)

    def recommendation_item(
        self, recommendation: Recommendation, *, as_of: str | None, organization: str | None
    ) -> Json:
        """The recommendation as a list shows it: where each organization stands as of `as_of` (its
        latest status by then), or only `organization` (an IRI) when the list is about one."""
        if organization is None:
            current = self.statuses.standing(as_of).latest.get(recommendation.iri, [])
        else:
            found = latest_status(recommendation, organization, as_of=as_of)
            current = [found] if found else []
        return self._recommendation(recommendation, current)

    def _recommendation(self, recommendation: Recommendation, statuses: list[Status]) -> Json:
        addressees = []
        for organization, role in sorted(recommendation.addressees.items()):
            body = self.catalog.bodies.get(organization)
            addressees.append(
                {
                    "organization": body.id if body else organization,
                    "label": text(body.label, self.languages) if body else None,
                    "role": role or recommendation.role,
                }
            )
        return {
            "iri": recommendation.iri,
            "id": recommendation.id,
            "report": self.symbol(recommendation.report),
            "reportIri": recommendation.report,
            "number": recommendation.number,
            "kind": recommendation.kind,
            "text": text_map(recommendation.text, self.languages),
            "quotedText": text_map(recommendation.quoted_text, self.languages),
            "addressees": addressees,
            "deadline": recommendation.deadline,
            "expectedImpact": recommendation.expected_impact,
            "statuses": [self.status(status) for status in statuses],
            "sources": self.sources(recommendation.sources),
        }

    def body(self, body: Body, *, as_of: str | None, standing: bool = True) -> Json:
        """The body; with `standing`, for an organization, what is addressed to it and where it stands."""
        view: Json = {
            "iri": body.iri,
            "id": body.id,
            "label": text_map(body.label, self.languages),
            "acronym": text_map(body.acronym, self.languages),
            "kind": body.kind,
            "parent": self.body_ref(body.parents[0]) if body.parents else None,
            "children": [self.body_ref(iri) for iri in body.children],
            "networks": [self.body_ref(iri) for iri in body.networks],
            "chair": self.body_ref(body.chairs[0]) if body.chairs else None,
        }
        if body.recommendations and standing:
            view["recommendations"] = [self.recommendation_ref(iri) for iri in body.recommendations]
            view["statusSummary"] = self.statuses.summary(body.iri, as_of=as_of)
        return view

    def network(self, body: Body) -> Json:
        return {
            "iri": body.iri,
            "id": body.id,
            "label": text_map(body.label, self.languages),
            "acronym": text_map(body.acronym, self.languages),
            "parent": self.body_ref(body.parents[0]) if body.parents else None,
            "members": [self.body_ref(iri) for iri in body.members],
        }
