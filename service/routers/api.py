"""What every JSON API router shares: the catalog, the language preference, pages, and ETag'd answers.

Every answer carries an ETag (a hash of its body, so any change to the graph or the request that
changes it changes the tag) and is 304 to a matching If-None-Match. `Accept: application/ld+json`
gets the same object with our @context (/api/context.jsonld), which maps its keys to the ontology.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from service.catalog import CatalogView
from service.catalog.views import Views
from service.negotiation import choose_languages, choose_media_type
from service.rdf import JSONLD_CONTEXT

JSON = "application/json"
JSONLD = "application/ld+json"
VARY = "Accept, Accept-Language"
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
#: The largest integer every JSON reader keeps exact (2^53 - 1): an offset is echoed in the page, and
#: a larger one could not be written back (past 2^64 it was a 500).
MAX_OFFSET = 2**53 - 1

#: The JSON-LD context of the API's objects: keys whose meaning is the same wherever they appear.
#: Keys it leaves out (labels in a chosen language, ids, counts) are plain JSON and expand to nothing.
API_CONTEXT: dict[str, Any] = {
    "@version": 1.1,
    # Not every prefix of /context.jsonld: "id" is a key of our objects here, not a prefix.
    **{prefix: JSONLD_CONTEXT[prefix] for prefix in ("unkg", "dct", "cito", "foaf")},
    "iri": "@id",
    "items": "@graph",
    "symbol": "unkg:symbol",
    "title": {"@id": "dct:title", "@container": "@language"},
    "text": {"@id": "unkg:text", "@container": "@language"},
    "quotedText": {"@id": "unkg:quotedText", "@container": "@language"},
    "acronym": {"@id": "unkg:acronym", "@container": "@language"},
    "issuer": {"@id": "unkg:issuedBy"},
    "submittedTo": {"@id": "unkg:submittedTo"},
    "requestedBy": {"@id": "unkg:requestedBy"},
    "cites": {"@id": "cito:cites"},
    "citedBy": {"@reverse": "cito:cites"},
    "page": {"@id": "foaf:page", "@type": "@id"},
    "reportIri": {"@id": "unkg:inReport", "@type": "@id"},
    "number": {"@id": "unkg:recommendationNumber"},
}


router = APIRouter(prefix="/api", tags=["api"])


@router.get(
    "/context.jsonld",
    summary="The JSON-LD @context of the API",
    response_class=Response,
    responses={200: {"content": {JSONLD: {"schema": {"type": "object"}}}}},
)
async def read_api_context() -> Response:
    """The JSON-LD @context of the API's answers (served at /api/context.jsonld)."""
    body = json.dumps({"@context": API_CONTEXT}, indent=2).encode()
    return Response(content=body, media_type=JSONLD)


async def get_catalog(request: Request) -> CatalogView:
    # On the event loop when nothing has to be read: the routers over the catalog are async too, as
    # they only compute (a thread hop each way cost more than most of their answers).
    catalogs, store = request.app.state.catalogs, request.app.state.store
    cached: CatalogView | None = catalogs.cached(store)
    view: CatalogView = cached if cached is not None else await run_in_threadpool(catalogs.current, store)
    request.state.catalog_version = view.catalog.version
    return view


async def get_views(
    request: Request,
    view: Annotated[CatalogView, Depends(get_catalog)],
    lang: Annotated[
        str | None,
        Query(
            description="Languages for labels and texts, best first (`zh`, `en,zh`); "
            "overrides Accept-Language. "
            "Without either, every language is given.",
            examples=["en"],
        ),
    ] = None,
) -> Views:
    header = lang if lang else request.headers.get("accept-language")
    return Views(view.catalog, view.statuses, choose_languages(header))


CatalogDep = Annotated[CatalogView, Depends(get_catalog)]
ViewsDep = Annotated[Views, Depends(get_views)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="How many items a page holds.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="How many items to skip.")]


def page(request: Request, items: list[Any], *, total: int, limit: int, offset: int) -> dict[str, Any]:
    """One page: its items, the total, and the URL of the next page (None on the last)."""
    following = offset + limit
    next_url = str(request.url.include_query_params(offset=following)) if following < total else None
    return {"total": total, "limit": limit, "offset": offset, "next": next_url, "items": items}


def answer(request: Request, payload: dict[str, Any], *, linked: bool = True) -> Response:
    """`payload` as JSON, or as JSON-LD when `linked` and Accept prefers it; ETag'd (see `etagged`)."""
    media_type = choose_media_type(request.headers.get("accept"), [JSON, JSONLD] if linked else [JSON])
    if media_type == JSONLD:
        payload = {"@context": str(request.url_for("read_api_context")), **payload}
    body = orjson.dumps(payload)
    return etagged(request, body, media_type=media_type, headers=_catalog_headers(request))


def _catalog_headers(request: Request) -> dict[str, str]:
    """Which version of the graph an answer from the catalog shows, and whether a newer one is being
    read (after a write, on a large graph, answers come from the previous catalog until then)."""
    shown: int | None = getattr(request.state, "catalog_version", None)
    if shown is None:
        return {}
    headers = {"Unkg-Catalog-Version": str(shown)}
    latest = request.app.state.store.known_version()
    if latest is not None and latest != shown:
        headers["Unkg-Catalog-Stale"] = f"version {latest} is being read"
    return headers


def etagged(
    request: Request,
    body: bytes,
    *,
    media_type: str,
    etag: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """`body` with an ETag (a hash of it, unless given), Vary, and 304 when If-None-Match names it."""
    etag = etag or '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
    headers = {"Vary": VARY, **(headers or {}), "ETag": etag}
    if _matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    return Response(content=body, media_type=media_type, headers=headers)


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags
