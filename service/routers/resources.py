"""Linked data: every IRI the graph mints resolves here, whatever host or port serves it.

/id/{path} answers 303 See Other to /doc/{path}, which serves the description as HTML, Turtle, JSON-LD,
N-Triples or RDF/XML by Accept, or by an extension (/doc/body/wipo.ttl). Unknown IRIs are 404.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from rdflib import URIRef

from service.answers import etagged
from service.curation.changesets import service_graphs
from service.curation.versions import representation_tag, resource_tags
from service.dependencies import SettingsDep, StoreDep
from service.errors import NotFoundError
from service.negotiation import choose_media_type
from service.pages import resource_page
from service.rdf import JSONLD_CONTEXT, iri
from service.rendering import DOCUMENT_EXTENSIONS, DOCUMENT_MEDIA_TYPES, serialize_graph
from service.sparql.builders import describe_query, labels_query, symbol_query
from service.sparql.results import construct, select

router = APIRouter(tags=["linked data"])


@router.get(
    "/id/{path:path}",
    status_code=303,
    summary="An IRI the graph mints: 303 to its description",
    response_class=RedirectResponse,
    responses={303: {"description": "See Other: Location is /doc/{path}"}},
)
def resolve_iri(path: str, request: Request) -> RedirectResponse:
    """See Other: the description of the thing named /id/{path} is at /doc/{path}."""
    return RedirectResponse(f"/doc/{quote(path)}", status_code=303, headers={"Vary": "Accept"})


@router.get(
    "/symbol/{symbol:path}",
    status_code=303,
    summary="A UN document symbol: 303 to the document",
    response_class=RedirectResponse,
    responses={
        303: {"description": "See Other: Location is the document's IRI"},
        404: {"description": "No document has that symbol"},
    },
)
def resolve_symbol(symbol: str, store: StoreDep, settings: SettingsDep) -> RedirectResponse:
    """See Other: /symbol/A/RES/71/243 leads to the IRI of the document with that symbol."""
    rows = select(store, symbol_query(symbol))
    if not rows:
        raise NotFoundError(f"no document has the symbol {symbol}")
    document = str(rows[0]["document"])
    prefix = f"{settings.base_iri}id/"
    location = "/id/" + quote(document[len(prefix) :]) if document.startswith(prefix) else document
    return RedirectResponse(location, status_code=303)


@router.get(
    "/context.jsonld",
    summary="The JSON-LD @context of unkg's documents",
    response_class=JSONResponse,
    responses={200: {"content": {"application/ld+json": {"schema": {"type": "object"}}}}},
)
def read_context() -> JSONResponse:
    """The prefixes and terms that JSON-LD documents from this server are compacted with."""
    return JSONResponse({"@context": JSONLD_CONTEXT}, media_type="application/ld+json")


_READ: dict[str, Any] = {
    "summary": "The description of a resource, by Accept or extension",
    "responses": {
        200: {"content": {media_type: {} for media_type in DOCUMENT_MEDIA_TYPES}},
        400: {"description": "The path makes no IRI (a character an IRI may not hold)"},
        404: {"description": "Unknown IRI"},
        406: {"description": "No offered media type is acceptable"},
    },
}


# GET and HEAD as two routes, not one with two methods: each gets its own operation id in the OpenAPI.
@router.get("/doc/{path:path}", **_READ)
@router.head("/doc/{path:path}", **_READ)
def read_resource(path: str, request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """Describe the resource: its statements, what points at it, and where each fact comes from."""
    media_type = None
    for extension, offered in DOCUMENT_EXTENSIONS.items():
        if path.endswith(extension):
            path, media_type = path[: -len(extension)], offered
            break
    if media_type is None:
        media_type = choose_media_type(request.headers.get("accept"), DOCUMENT_MEDIA_TYPES)
    resource = iri(f"{settings.base_iri}id/{path}")
    description = construct(store, describe_query(resource))
    if len(description) == 0:
        raise NotFoundError(f"nothing is known of {resource}")
    history = f"/api/changesets?resource={quote(str(resource), safe='')}"
    headers = {"Vary": "Accept", "Link": f'<{resource}>; rel="canonical", <{history}>; rel="version-history"'}
    # The version of its own statements: what If-Match on a changeset to it is compared with.
    version = resource_tags(
        store, [resource], hidden=service_graphs(settings.base_iri), own_default_graph=not store.layout.union
    ).get(resource, "r0")
    if media_type == "text/html":
        predicates = {p for p in description.predicates() if isinstance(p, URIRef)}
        classes = {o for o in description.objects(resource) if isinstance(o, URIRef)}
        labels = select(store, labels_query(predicates | classes))
        page = resource_page(resource, description, labels, base_iri=settings.base_iri, history=history)
        body, media_type = page, "text/html; charset=utf-8"
    else:
        body = serialize_graph(description, media_type=media_type)
    etag = representation_tag(version, body)
    return etagged(request, body, media_type=media_type, etag=etag, headers=headers)
