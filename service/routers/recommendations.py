"""/api/recommendations: what each report recommended, to whom, and where each organization stands."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from service.answers import Limit, Offset, answer, page
from service.catalog.filters import RecommendationFilter, find_recommendations
from service.dependencies import CatalogDep, ViewsDep
from service.errors import NotFoundError
from service.examples import RECOMMENDATION_EXAMPLE, example_page, json_example

router = APIRouter(prefix="/api", tags=["recommendations"])


@router.get(
    "/recommendations",
    summary="List recommendations",
    responses={
        200: json_example(
            example_page(RECOMMENDATION_EXAMPLE, "/api/recommendations?organization=wipo&open=true&limit=1")
        )
    },
)
async def list_recommendations(
    request: Request,
    catalog: CatalogDep,
    views: ViewsDep,
    report: Annotated[str | None, Query(description="Symbol of the report, e.g. `JIU/REP/2024/4`.")] = None,
    number: Annotated[
        int | None, Query(ge=1, description="Number of the recommendation in its report.")
    ] = None,
    kind: Annotated[Literal["formal", "informal"] | None, Query(description="Formal or informal.")] = None,
    organization: Annotated[
        str | None,
        Query(description="Id of an addressed organization, e.g. `wipo`; statuses are then its own."),
    ] = None,
    role: Annotated[str | None, Query(description="Addressee role: `legislative`, `executive`.")] = None,
    acceptance: Annotated[
        str | None,
        Query(
            description="Latest acceptance: `accepted`, `not_accepted`, `under_consideration`, "
            "`not_relevant`."
        ),
    ] = None,
    implementation: Annotated[
        str | None, Query(description="Latest implementation: `implemented`, `in_progress`, `not_started`.")
    ] = None,
    as_of: Annotated[
        date | None,
        Query(description="Statuses as they stood on this date (YYYY-MM-DD); default: the latest."),
    ] = None,
    open: Annotated[
        bool | None,
        Query(
            description="True: still open as of `as_of` in the JIU's sense (accepted or under consideration, "
            "not implemented); false: closed (implemented, not accepted or not relevant). Recommendations "
            "without a status as of that date are neither."
        ),
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    """Recommendations matching every filter, by report symbol, formal before informal, then number.

    In a list, `statuses` holds each organization's latest status as of `as_of` (where each stands),
    or only the one of `organization` when it is given; read one recommendation for its whole history."""
    given = RecommendationFilter(
        report=report,
        number=number,
        kind=kind,
        organization=organization,
        role=role,
        acceptance=acceptance,
        implementation=implementation,
        as_of=as_of.isoformat() if as_of else None,
        open=open,
    )
    found = find_recommendations(catalog.catalog, catalog.statuses, given)
    addressed = catalog.catalog.body(organization) if organization else None
    items = [
        views.recommendation_item(
            recommendation, as_of=given.as_of, organization=addressed.iri if addressed else None
        )
        for recommendation in found[offset : offset + limit]
    ]
    return answer(request, page(request, items, total=len(found), limit=limit, offset=offset))


@router.get(
    "/recommendations/{id:path}",
    summary="Read a recommendation",
    responses={
        200: json_example(RECOMMENDATION_EXAMPLE),
        404: {"description": "No recommendation has this id"},
    },
)
async def read_recommendation(id: str, request: Request, catalog: CatalogDep, views: ViewsDep) -> Response:
    """The recommendation with this id (`jiu-rep-2024-4/formal/2`): its text, addressees and
    statuses, latest first."""
    recommendation = catalog.catalog.recommendation(id)
    if recommendation is None:
        raise NotFoundError(f"no recommendation has the id {id!r}")
    return answer(request, views.recommendation(recommendation))
