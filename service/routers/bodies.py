"""/api/bodies and /api/networks: the bodies of the UN system, their structure, and where they stand."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from service.answers import Limit, Offset, answer, page
from service.catalog.filters import find_bodies, find_networks
from service.dependencies import CatalogDep, ViewsDep
from service.errors import NotFoundError
from service.examples import BODY_EXAMPLE, NETWORK_EXAMPLE, example_page, json_example

router = APIRouter(prefix="/api", tags=["bodies"])


@router.get(
    "/bodies",
    summary="List bodies",
    responses={200: json_example(example_page(BODY_EXAMPLE, "/api/bodies?kind=organization&limit=1"))},
)
async def list_bodies(
    request: Request,
    catalog: CatalogDep,
    views: ViewsDep,
    kind: Annotated[
        str | None,
        Query(description="Body kind notation, e.g. `organization`, `network`, `high_level_committee`."),
    ] = None,
    parent: Annotated[
        str | None, Query(description="Id of the body they are directly part of, e.g. `hlcm`.")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    """Bodies of this kind and under this parent, by id (read one for what is addressed to it)."""
    found = find_bodies(catalog.catalog, kind=kind, parent=parent)
    items = [views.body(body, as_of=None, standing=False) for body in found[offset : offset + limit]]
    return answer(request, page(request, items, total=len(found), limit=limit, offset=offset))


@router.get(
    "/bodies/{id}",
    summary="Read a body",
    responses={200: json_example(BODY_EXAMPLE), 404: {"description": "No body has this id"}},
)
async def read_body(
    id: str,
    request: Request,
    catalog: CatalogDep,
    views: ViewsDep,
    as_of: Annotated[
        date | None, Query(description="Date its status summary is taken at; default: the latest.")
    ] = None,
) -> Response:
    """The body: labels, kind, parent and children, networks, chair; for an organization, the
    recommendations addressed to it and counts of its latest statuses."""
    body = catalog.catalog.body(id)
    if body is None:
        raise NotFoundError(f"no body has the id {id!r}")
    return answer(request, views.body(body, as_of=as_of.isoformat() if as_of else None))


@router.get(
    "/networks",
    summary="List inter-agency networks",
    responses={200: json_example(example_page(NETWORK_EXAMPLE, "/api/networks?limit=1"))},
)
async def list_networks(
    request: Request,
    catalog: CatalogDep,
    views: ViewsDep,
    parent: Annotated[str | None, Query(description="Id of their parent committee, e.g. `hlcm`.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    """Inter-agency networks with their parent committee and their members where the sources name them."""
    found = find_networks(catalog.catalog, parent=parent)
    items = [views.network(body) for body in found[offset : offset + limit]]
    return answer(request, page(request, items, total=len(found), limit=limit, offset=offset))
