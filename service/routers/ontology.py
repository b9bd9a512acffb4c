"""The ontology's IRI serves the ontology: HTML documentation for people, RDF for machines."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.dependencies import SettingsDep, StoreDep
from service.errors import NotFoundError
from service.negotiation import choose_media_type
from service.pages import ontology_page
from service.rdf import graph_iri, iri, term
from service.rendering import DOCUMENT_EXTENSIONS, DOCUMENT_MEDIA_TYPES, serialize_graph
from service.sparql.results import construct

router = APIRouter(tags=["linked data"])


@router.get(
    "/ontology{suffix:path}",
    summary="The unkg ontology and its concept schemes",
    responses={
        200: {"content": {media_type: {} for media_type in DOCUMENT_MEDIA_TYPES}},
        404: {"description": "No such ontology document (or the ontology is not installed)"},
        406: {"description": "No offered media type is acceptable"},
    },
)
def read_ontology(suffix: str, request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """/ontology (and its version IRI /ontology/0.1.0), by Accept or extension (/ontology.ttl)."""
    media_type = DOCUMENT_EXTENSIONS.get(suffix) if suffix.startswith(".") else None
    if suffix and media_type is None and not suffix.startswith("/"):
        raise NotFoundError(f"no ontology document {suffix}")
    if media_type is None:
        media_type = choose_media_type(request.headers.get("accept"), DOCUMENT_MEDIA_TYPES)
    named = term(iri(graph_iri(settings.base_iri, "ontology")))
    graph = construct(store, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {named} {{ ?s ?p ?o }} }}")
    if len(graph) == 0:
        raise NotFoundError("the ontology is not installed in the store (run `unkg install`)")
    headers = {"Vary": "Accept"}
    if media_type == "text/html":
        return Response(ontology_page(graph), media_type="text/html; charset=utf-8", headers=headers)
    return Response(serialize_graph(graph, media_type=media_type), media_type=media_type, headers=headers)
