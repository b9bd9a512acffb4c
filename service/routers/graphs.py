"""Graph Store HTTP Protocol at /rdf-graph-store (?graph=IRI, or ?default to read the union), and the
graphs' curation settings at /api/graphs.

Reads are public and carry the graph's ETag (its version, then a hash of the body). Writes (PUT
replaces a graph, POST adds to it, DELETE empties it) need a curator's token and are changesets like
any other: If-Match with the graph's ETag, the SHACL gate, review when the graph requires it, and the
history; `message` says why.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from rdflib import Graph, URIRef
from starlette.concurrency import run_in_threadpool

from service.curation.changesets import parse_graph, system_graph
from service.curation.gate import Change
from service.curation.versions import graph_tag, representation_tag
from service.dependencies import SettingsDep, StoreDep, requires
from service.errors import InvalidParameterError, NotFoundError, UnsupportedMediaType
from service.negotiation import choose_media_type
from service.rdf import GRAPH_MEDIA_TYPES, UNKG, iri, term
from service.routers.api import answer, etagged
from service.routers.changesets import SHAPES_REPORT, IfMatch, curator, outcome_response
from service.settings import Settings
from service.sparql.results import ask, graph_triples, select
from service.stores.versioned import VersionedStore
from service.tokens import Token

router = APIRouter(tags=["sparql"])

GraphParameter = Annotated[
    str | None, Query(description="IRI of a named graph", examples=["https://w3id.org/unkg/graph/notes"])
]
Message = Annotated[str | None, Query(description="Why: kept in the history with the change.")]


_READ: dict[str, Any] = {
    "summary": "Read one graph (Graph Store HTTP Protocol)",
    "responses": {
        200: {"content": {media_type: {} for media_type in GRAPH_MEDIA_TYPES}},
        304: {"description": "If-None-Match names the current ETag"},
        400: {"description": "Neither or both of `graph` and `default`, or `graph` is not an IRI"},
        404: {"description": "No such graph"},
        406: {"description": "No offered media type is acceptable"},
    },
}


# GET and HEAD as two routes, not one with two methods: each gets its own operation id in the OpenAPI.
@router.get("/rdf-graph-store", **_READ)
@router.head("/rdf-graph-store", **_READ)
def read_graph(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    graph: GraphParameter = None,
    default: str | None = Query(None, description="Present (empty) to read the default graph"),
) -> Response:
    """The triples of the named graph `graph`, or of the default graph (`?default`), by Accept."""
    if (graph is None) == (default is None):
        raise HTTPException(400, "give either graph=IRI or default")
    media_type = choose_media_type(request.headers.get("accept"), list(GRAPH_MEDIA_TYPES))
    version = f"u{store.version()}"
    if graph is not None:
        found = graph_tag(store, str(iri(graph)), system_graph=system_graph(settings.base_iri))
        if found is None:
            raise NotFoundError(f"no graph {graph}")
        version = found
    output = io.BytesIO()
    store.dump(output, media_type=media_type, graph=graph)
    body = output.getvalue()
    return etagged(
        request,
        body,
        media_type=media_type,
        etag=representation_tag(version, body),
        headers={"Vary": "Accept"},
    )


def _target(graph: str | None, default: str | None, settings: SettingsDep, request: Request) -> str:
    if default is not None or graph is None:
        raise HTTPException(400, "writes name their graph (graph=IRI): the default graph is the union of all")
    target = str(iri(graph))
    if target in curator(request, settings).hidden_graphs:
        raise InvalidParameterError("graph", "the history and system graphs change only through the service")
    return target


def _body_graph(request: Request, body: bytes) -> Graph:
    """The triples of a request body, by its Content-Type; RdfSyntaxError names the line and column."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in GRAPH_MEDIA_TYPES:
        raise UnsupportedMediaType(
            f"send one of {', '.join(GRAPH_MEDIA_TYPES)}, not {media_type or 'nothing'}"
        )
    return parse_graph(body, media_type=media_type)


@dataclass(frozen=True)
class GraphWrite:
    """A Graph Store Protocol write: who sends it, to which graph, why, and against which version."""

    request: Request
    store: VersionedStore
    settings: Settings
    token: Token
    target: str
    message: str
    if_match: str | None

    def apply(self, *, additions: Graph, removals: Graph) -> Response:
        """The write as a changeset: 201 (or 202 for review), 204 when it changes nothing."""
        change = Change(graph=self.target, additions=additions, removals=removals)
        outcome = curator(self.request, self.settings).submit(
            self.store, change, author=self.token, message=self.message, if_match=self.if_match
        )
        if outcome.unchanged:
            return Response(status_code=204)
        return outcome_response(self.request, outcome, self.token)


def graph_write(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    token: Annotated[Token, requires("curator")],
    if_match: IfMatch = None,
    graph: GraphParameter = None,
    default: str | None = None,
    message: Message = None,
) -> GraphWrite:
    target = _target(graph, default, settings, request)
    method = request.method
    return GraphWrite(
        request, store, settings, token, target, message or f"Graph Store Protocol: {method}", if_match
    )


Write = Annotated[GraphWrite, Depends(graph_write)]

#: The bodies a Graph Store write takes: one graph in an RDF syntax.
_WRITE_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        media_type: {
            "schema": {"type": ["object", "array"]}
            if media_type == "application/ld+json"
            else {"type": "string"}
        }
        for media_type in GRAPH_MEDIA_TYPES
    }
    | {"text/turtle": {"schema": {"type": "string"}, "example": "<urn:a> <urn:b> 1 ."}},
}
_WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    201: {"description": "Applied: the changeset it became"},
    202: {"description": "The graph requires review: submitted"},
    204: {"description": "Nothing to change"},
    400: {"description": "No graph named, or the body does not parse (line and column)"},
    404: {"description": "DELETE: no such graph"},
    401: {"description": "No valid bearer token"},
    412: {"description": "If-Match names a version no longer current"},
    415: {"description": "The body is not an RDF syntax offered"},
    422: {"description": "The change breaks the shapes (the report), or names a graph it may not"}
    | SHAPES_REPORT,
    428: {"description": "The graph exists and If-Match is missing"},
}


@router.put(
    "/rdf-graph-store",
    summary="Replace a graph (curator)",
    responses=_WRITE_RESPONSES,
    openapi_extra={"requestBody": _WRITE_BODY},
)
async def replace_graph(write: Write) -> Response:
    """The graph becomes the body's triples: what it lacks is removed, what is new is added."""
    body = await write.request.body()

    def replace() -> Response:
        new = _body_graph(write.request, body)
        return write.apply(additions=new, removals=graph_triples(write.store, write.target) - new)

    # Parsing, the gate and the store take time: off the event loop, which keeps answering others.
    return await run_in_threadpool(replace)


@router.post(
    "/rdf-graph-store",
    summary="Add triples to a graph (curator)",
    responses=_WRITE_RESPONSES,
    openapi_extra={"requestBody": _WRITE_BODY},
)
async def add_to_graph(write: Write) -> Response:
    """The body's triples are added to the graph (merged: those it has already stay once)."""
    body = await write.request.body()

    def add() -> Response:
        return write.apply(additions=_body_graph(write.request, body), removals=Graph())

    return await run_in_threadpool(add)


@router.delete("/rdf-graph-store", summary="Empty a graph (curator)", responses=_WRITE_RESPONSES)
def delete_graph(write: Write) -> Response:
    """Every triple of the graph is removed, as one changeset (which a revert brings back)."""
    old = graph_triples(write.store, write.target)
    if not len(old):
        raise NotFoundError(f"no graph {write.target}")
    return write.apply(additions=Graph(), removals=old)


class GraphSettings(BaseModel):
    reviewRequired: bool = Field(description="Changesets to this graph wait for a reviewer's approval.")


@router.get(
    "/api/graphs", summary="The named graphs: version (ETag) and curation settings", tags=["curation"]
)
def list_graphs(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """Every named graph the store knows (an emptied one too, with its version), its version and
    whether it requires review."""
    system = term(URIRef(system_graph(settings.base_iri)))
    hidden = curator(request, settings).hidden_graphs
    query = (
        "SELECT ?graph ?version ?review WHERE {\n"
        # `GRAPH ?graph {}` lists the named graphs without reading their quads (3 ms at 1M triples,
        # where DISTINCT over every quad took 0.8 s).
        "  GRAPH ?graph { }\n"
        f"  OPTIONAL {{ GRAPH {system} {{ ?graph {term(UNKG.version)} ?version }} }}\n"
        f"  OPTIONAL {{ GRAPH {system} {{ ?graph {term(UNKG.reviewRequired)} ?review }} }} }} ORDER BY ?graph"
    )
    graphs = [
        {
            "graph": str(row["graph"]),
            "version": f"g{int(str(row.get('version', 0)))}",
            "reviewRequired": str(row.get("review", "false")) == "true",
        }
        for row in select(store, query)
        if str(row["graph"]) not in hidden
    ]
    return answer(request, {"items": graphs, "total": len(graphs)}, linked=False)


@router.put(
    "/api/graphs/settings",
    summary="Set a graph's curation settings (admin)",
    tags=["curation"],
    responses={
        400: {"description": "`graph` is not an IRI"},
        403: {"description": "Not an admin"},
        404: {"description": "No such graph"},
    },
)
def set_graph_settings(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    token: Annotated[Token, requires("admin")],
    values: Annotated[GraphSettings, Body()],
    graph: Annotated[str, Query(description="IRI of the graph")],
) -> Response:
    """Whether changesets to `graph` wait for review (`submitted`) or are applied at once."""
    target = _target(graph, None, settings, request)
    node = term(URIRef(target))
    if not ask(store, f"ASK {{ GRAPH {node} {{ ?s ?p ?o }} }}"):
        raise NotFoundError(f"no graph {target}")
    system, review = term(URIRef(system_graph(settings.base_iri))), term(UNKG.reviewRequired)
    flag = "true" if values.reviewRequired else "false"
    store.update(
        f"DELETE WHERE {{ GRAPH {system} {{ {node} {review} ?any }} }} ;\n"
        f"INSERT DATA {{ GRAPH {system} {{ {node} {review} {flag} }} }}"
    )
    return answer(request, {"graph": target, "reviewRequired": values.reviewRequired}, linked=False)
