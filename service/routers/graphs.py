"""Graph Store HTTP Protocol, reading: /rdf-graph-store?graph=IRI and ?default."""

from __future__ import annotations

import io

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from service.dependencies import StoreDep
from service.errors import NotFoundError
from service.negotiation import choose_media_type
from service.rdf import GRAPH_MEDIA_TYPES, iri, term
from service.sparql.results import ask

router = APIRouter(tags=["sparql"])


@router.get(
    "/rdf-graph-store",
    summary="Read one graph (Graph Store HTTP Protocol)",
    responses={
        200: {"content": {media_type: {} for media_type in GRAPH_MEDIA_TYPES}},
        400: {"description": "Neither or both of `graph` and `default`, or `graph` is not an IRI"},
        404: {"description": "No such graph"},
        406: {"description": "No offered media type is acceptable"},
    },
)
def read_graph(
    request: Request,
    store: StoreDep,
    graph: str | None = Query(None, description="IRI of a named graph"),
    default: str | None = Query(None, description="Present (empty) to read the default graph"),
) -> Response:
    """The triples of the named graph `graph`, or of the default graph (`?default`), by Accept."""
    if (graph is None) == (default is None):
        raise HTTPException(400, "give either graph=IRI or default")
    media_type = choose_media_type(request.headers.get("accept"), list(GRAPH_MEDIA_TYPES))
    if graph is not None and not ask(store, f"ASK {{ GRAPH {term(iri(graph))} {{ ?s ?p ?o }} }}"):
        raise NotFoundError(f"no graph {graph}")
    output = io.BytesIO()
    store.dump(output, media_type=media_type, graph=graph)
    return Response(content=output.getvalue(), media_type=media_type, headers={"Vary": "Accept"})
