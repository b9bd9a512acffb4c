"""/api/search: one box across documents, recommendations and bodies, in Chinese and English."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from service.answers import Limit, Offset, answer, page
from service.catalog.search import KINDS
from service.catalog.views import Views, text
from service.dependencies import CatalogDep, ViewsDep
from service.examples import SEARCH_EXAMPLE, json_example

router = APIRouter(prefix="/api", tags=["search"])


@router.get("/search", summary="Search everything", responses={200: json_example(SEARCH_EXAMPLE)})
async def search(
    request: Request,
    catalog: CatalogDep,
    views: ViewsDep,
    q: Annotated[
        str, Query(min_length=1, description="Text to find: `相互承认`, `procurement`, `JIU/REP/2024`.")
    ],
    kind: Annotated[
        list[Literal["document", "recommendation", "body"]] | None,
        Query(description="Only these kinds of result (repeat the parameter for several)."),
    ] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Response:
    """Resources whose symbol, title, label, acronym or text contains `q`, best match first, with the
    matching snippet (`highlight` gives where the match is in it)."""
    hits = catalog.search.search(q, kinds=frozenset(kind or KINDS))
    items = []
    for hit in hits[offset : offset + limit]:
        snippet, highlight = hit.snippet()
        items.append(
            {
                "kind": hit.kind,
                "id": hit.id,
                "iri": hit.iri,
                "label": _label(views, hit.kind, hit.iri),
                "field": hit.field,
                "language": hit.language or None,
                "snippet": snippet,
                "highlight": list(highlight),
                "score": hit.score,
            }
        )
    return answer(request, page(request, items, total=len(hits), limit=limit, offset=offset))


def _label(views: Views, kind: str, iri: str) -> str | None:
    catalog = views.catalog
    if kind == "document":
        document = catalog.documents[iri]
        return document.symbol or text(document.title, views.languages)
    if kind == "recommendation":
        recommendation = catalog.recommendations[iri]
        report = views.symbol(recommendation.report) or ""
        return f"{report} {recommendation.kind or ''} {recommendation.number or ''}".strip()
    return text(catalog.bodies[iri].label, views.languages)
