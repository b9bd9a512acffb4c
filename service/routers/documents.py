"""/api/documents: reports, resolutions and other documents, by UN symbol (slashes kept) or id."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from service.answers import Limit, Offset, answer, page
from service.catalog.filters import find_documents
from service.dependencies import CatalogDep, ViewsDep
from service.errors import NotFoundError
from service.examples import DOCUMENT_EXAMPLE, example_page, json_example

router = APIRouter(prefix="/api", tags=["documents"])


@router.get(
    "/documents",
    summary="List documents",
    responses={200: json_example(example_page(DOCUMENT_EXAMPLE, "/api/documents?type=jiu_report&limit=1"))},
)
async def list_documents(
    request: Request,
    catalog: CatalogDep,
    views: ViewsDep,
    type: Annotated[
        str | None, Query(description="Document type notation, e.g. `jiu_report`, `ga_resolution`.")
    ] = None,
    issuer: Annotated[str | None, Query(description="Id of the issuing body, e.g. `jiu`, `wipo`.")] = None,
    year: Annotated[int | None, Query(ge=1900, le=2999, description="Year of the document's date.")] = None,
    cites: Annotated[
        str | None, Query(description="Symbol of a document it cites, e.g. `A/RES/71/243`.")
    ] = None,
    q: Annotated[str | None, Query(description="Text in its symbol or title (Chinese or English).")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    """Documents matching every filter given, ordered by symbol (documents without one last, by id)."""
    found = find_documents(
        catalog.catalog, catalog.search, type=type, issuer=issuer, year=year, cites=cites, q=q
    )
    items = [views.document(document) for document in found[offset : offset + limit]]
    return answer(request, page(request, items, total=len(found), limit=limit, offset=offset))


@router.get(
    "/documents/{symbol:path}",
    summary="Read a document by symbol or id",
    responses={
        200: json_example(DOCUMENT_EXAMPLE),
        404: {"description": "No document has this symbol or id"},
    },
)
async def read_document(symbol: str, request: Request, catalog: CatalogDep, views: ViewsDep) -> Response:
    """The document with this UN symbol (`JIU/REP/2024/4`, `A/RES/71/243`), or else with this id."""
    document = catalog.catalog.document(symbol)
    if document is None:
        raise NotFoundError(f"no document has the symbol or id {symbol!r}")
    return answer(request, views.document(document))
