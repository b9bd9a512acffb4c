"""The list questions of the JSON API over a catalog, each answer in one deterministic order.

A filter naming something the catalog does not hold (a report symbol, an organization id, a status
that is not a notation of its scheme) raises InvalidParameterError naming the parameter, never an
empty answer that would hide the typo.
"""

from __future__ import annotations

from dataclasses import dataclass

from service.catalog.records import Body, Catalog, Document, Recommendation
from service.catalog.search import SearchIndex
from service.catalog.statuses import StatusIndex, StatusQuestion
from service.errors import InvalidParameterError


def check_notation(catalog: Catalog, parameter: str, value: str | None, scheme: str) -> None:
    """Raise InvalidParameterError unless `value` is None or a notation of `scheme`."""
    allowed = catalog.schemes.get(scheme, [])
    if value is not None and value not in allowed:
        raise InvalidParameterError(parameter, f"{value!r} is not a value of {scheme}", allowed=allowed)


def body_iri(catalog: Catalog, parameter: str, id: str) -> str:
    """The IRI of the body with this id; InvalidParameterError if there is none."""
    body = catalog.body(id)
    if body is None:
        raise InvalidParameterError(parameter, f"no body has the id {id!r} (see /api/bodies)")
    return body.iri


def document_iri(catalog: Catalog, parameter: str, symbol: str) -> str:
    """The IRI of the document with this symbol (or id); InvalidParameterError if there is none."""
    document = catalog.document(symbol)
    if document is None:
        raise InvalidParameterError(parameter, f"no document has the symbol or id {symbol!r}")
    return document.iri


def _document_order(document: Document) -> tuple[str, str]:
    return (document.symbol or "\uffff", document.id)


def find_documents(
    catalog: Catalog,
    index: SearchIndex,
    *,
    type: str | None = None,
    issuer: str | None = None,
    year: int | None = None,
    cites: str | None = None,
    q: str | None = None,
) -> list[Document]:
    """Documents matching every filter given, by symbol (those without one last, by id)."""
    check_notation(catalog, "type", type, "document-type")
    issuer_iri = body_iri(catalog, "issuer", issuer) if issuer else None
    cited_iri = document_iri(catalog, "cites", cites) if cites else None
    matching = None
    if q:
        matching = index.search(q, kinds=frozenset({"document"})).iris()
    found = [
        document
        for document in catalog.documents.values()
        if (type is None or document.type == type)
        and (issuer_iri is None or document.issuer == issuer_iri)
        and (year is None or document.year == year)
        and (cited_iri is None or cited_iri in document.cites)
        and (matching is None or document.iri in matching)
    ]
    return sorted(found, key=_document_order)


@dataclass(frozen=True, slots=True)
class RecommendationFilter:
    report: str | None = None
    number: int | None = None
    kind: str | None = None
    organization: str | None = None
    role: str | None = None
    acceptance: str | None = None
    implementation: str | None = None
    as_of: str | None = None
    open: bool | None = None


def find_recommendations(
    catalog: Catalog, statuses: StatusIndex, given: RecommendationFilter
) -> list[Recommendation]:
    """Recommendations matching every filter, by report symbol, formal before informal, then number.

    Statuses are each organization's latest as of `as_of` (every status when it is not given); with
    `organization`, only that organization's role and status count, otherwise any organization's.
    """
    check_notation(catalog, "role", given.role, "addressee-role")
    check_notation(catalog, "acceptance", given.acceptance, "acceptance-status")
    check_notation(catalog, "implementation", given.implementation, "implementation-status")
    report = document_iri(catalog, "report", given.report) if given.report else None
    organization = body_iri(catalog, "organization", given.organization) if given.organization else None
    candidates: list[str]
    if organization is not None:
        candidates = catalog.bodies[organization].recommendations
    elif report is not None:
        candidates = catalog.documents[report].recommendations
    else:
        candidates = catalog.recommendation_order
    question = StatusQuestion(given.acceptance, given.implementation, given.open)
    standing = None
    if question.asks():
        standing = statuses.standing(given.as_of).matching(question, organization=organization)
    found = []
    for iri in candidates:
        if standing is not None and iri not in standing:
            continue
        recommendation = catalog.recommendations[iri]
        if report is not None and recommendation.report != report:
            continue
        if given.number is not None and recommendation.number != given.number:
            continue
        if given.kind is not None and recommendation.kind != given.kind:
            continue
        if organization is not None and organization not in recommendation.addressees:
            continue
        if given.role is not None:
            # An addressee's own role, or else the one the recommendation states for all its addressees.
            if organization is not None:
                roles = {recommendation.addressees[organization] or recommendation.role}
            else:
                roles = {role or recommendation.role for role in recommendation.addressees.values()}
            if given.role not in (roles or {recommendation.role}):
                continue
        found.append(recommendation)
    return found


def find_bodies(catalog: Catalog, *, kind: str | None = None, parent: str | None = None) -> list[Body]:
    """Bodies of this kind, directly under this parent, by id."""
    check_notation(catalog, "kind", kind, "body-kind")
    parent_iri = body_iri(catalog, "parent", parent) if parent else None
    found = [
        body
        for body in catalog.bodies.values()
        if (kind is None or body.kind == kind) and (parent_iri is None or parent_iri in body.parents)
    ]
    return sorted(found, key=lambda body: body.id)


def find_networks(catalog: Catalog, *, parent: str | None = None) -> list[Body]:
    """Inter-agency networks (bodies of kind network), by id."""
    return find_bodies(catalog, kind="network", parent=parent)
