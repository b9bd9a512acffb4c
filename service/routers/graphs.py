"""The Graph Store HTTP Protocol at /rdf-graph-store, and the graphs' curation settings at /api/graphs.

A graph is named indirectly (`?graph=IRI`, or `?default` for the default graph) or directly: the
graph whose IRI is a URL under /rdf-graph-store/ itself (`/rdf-graph-store/person/1.ttl`). Reads
are public and carry the graph's ETag (its version, then a hash of the body). Writes need a
curator's token and are changesets like any other (If-Match when sent or demanded, the SHACL gate,
review when the graph requires it, the history; `message` says why): PUT replaces a graph (201 when
it makes it, 200 when it replaced one), POST adds to it (multipart/form-data too), DELETE drops it;
POST to /rdf-graph-store itself makes a new graph and answers 201 with its Location. A write to the
default graph goes where the layout says (service/stores/dataset.py).
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from rdflib import BNode, Graph, URIRef
from starlette.concurrency import run_in_threadpool

from service.answers import SHAPES_REPORT, IfMatch, answer, etagged, outcome_response
from service.curation.changesets import parse_graph
from service.curation.curator import Curator
from service.curation.gate import Change
from service.curation.versions import graph_tag, representation_tag
from service.dependencies import CuratorDep, SettingsDep, StoreDep, requires
from service.errors import InvalidParameterError, NotFoundError, UnsupportedMediaType
from service.negotiation import choose_media_type
from service.rdf import GRAPH_MEDIA_TYPES, iri, term
from service.sparql.results import ask, select
from service.stores.dataset import DEFAULT_GRAPH, in_graph
from service.stores.versioned import VersionedStore
from service.tokens import Token

router = APIRouter(tags=["sparql"])

STORE_PATH = "/rdf-graph-store"
GraphParameter = Annotated[
    str | None, Query(description="IRI of a named graph", examples=["https://w3id.org/unkg/graph/notes"])
]
DefaultParameter = Annotated[str | None, Query(description="Present (empty): the default graph")]
Message = Annotated[str | None, Query(description="Why: kept in the history with the change.")]
_MULTIPART = "multipart/form-data"


def graph_named(request: Request, graph: str | None, default: str | None, *, direct: bool) -> str | None:
    """The graph a request names: DEFAULT_GRAPH, an IRI, or None for the Graph Store itself."""
    if direct:
        if graph is not None or default is not None:
            raise HTTPException(400, "a graph named by its URL takes neither graph= nor default")
        # The path as it was sent (percent-encoding kept, decoded by nobody): the graph's IRI.
        raw = request.scope.get("raw_path")
        path = raw.decode("latin-1") if isinstance(raw, bytes) else request.url.path
        return str(iri(str(request.url.replace(path=path, query=""))))
    if graph is not None and default is not None:
        raise HTTPException(400, "give graph=IRI or default, not both")
    if default is not None:
        return DEFAULT_GRAPH
    return None if graph is None else str(iri(graph))


def _exists(store: VersionedStore, graph: str) -> bool:
    return graph == DEFAULT_GRAPH or ask(store, f"ASK {{ GRAPH {term(URIRef(graph))} {{ }} }}")


_READ: dict[str, Any] = {
    "responses": {
        200: {"content": {media_type: {} for media_type in GRAPH_MEDIA_TYPES}},
        304: {"description": "If-None-Match names the current ETag"},
        400: {"description": "Neither or both of `graph` and `default`, or `graph` is not an IRI"},
        404: {"description": "No such graph"},
        406: {"description": "No offered media type is acceptable"},
    },
}


def _read(request: Request, store: VersionedStore, settings: SettingsDep, graph: str | None) -> Response:
    """The triples of `graph` (the default graph: the union of the data graphs, or the store's own)."""
    if graph is None:
        raise HTTPException(400, "give graph=IRI or default (or name the graph by its URL)")
    media_type = choose_media_type(request.headers.get("accept"), list(GRAPH_MEDIA_TYPES))
    if not _exists(store, graph):
        raise NotFoundError(f"no graph {graph}")
    if graph == DEFAULT_GRAPH and store.layout.union:
        version = f"u{store.version()}"
    else:
        version = graph_tag(store, graph, system=store.system) or "g0"
    output = io.BytesIO()
    store.dump(output, media_type=media_type, graph=None if graph == DEFAULT_GRAPH else graph)
    body = output.getvalue()
    return etagged(
        request,
        body,
        media_type=media_type,
        etag=representation_tag(version, body),
        headers={"Vary": "Accept"},
    )


# GET and HEAD as two routes, not one with two methods: each gets its own operation id in the OpenAPI.
@router.get(STORE_PATH, summary="Read a graph (Graph Store HTTP Protocol)", **_READ)
@router.head(STORE_PATH, summary="Read a graph's headers (Graph Store HTTP Protocol)", **_READ)
def read_graph(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    graph: GraphParameter = None,
    default: DefaultParameter = None,
) -> Response:
    """The triples of the named graph `graph`, or of the default graph (`?default`), by Accept."""
    return _read(request, store, settings, graph_named(request, graph, default, direct=False))


@router.get(STORE_PATH + "/{path:path}", summary="Read a graph named by its URL", **_READ)
@router.head(STORE_PATH + "/{path:path}", summary="Read the headers of a graph named by its URL", **_READ)
def read_graph_directly(request: Request, store: StoreDep, settings: SettingsDep, path: str) -> Response:
    """The triples of the graph whose IRI is this URL (direct graph identification)."""
    return _read(request, store, settings, graph_named(request, None, None, direct=True))


async def _body_graph(request: Request) -> Graph:
    """The triples of a request body, by its Content-Type (each part of a multipart/form-data body by
    its own); RdfSyntaxError names the line and column."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == _MULTIPART:
        found = Graph()
        form = await request.form()
        for name, part in form.multi_items():
            if isinstance(part, str):
                raise InvalidParameterError(
                    name, "each part of the form is an RDF file, with its Content-Type"
                )
            content = await part.read()
            part_type = (part.content_type or "").split(";")[0].strip().lower()
            found += await run_in_threadpool(_parsed, content, part_type)
        return found
    body = await request.body()
    return await run_in_threadpool(_parsed, body, media_type)


def _parsed(body: bytes, media_type: str) -> Graph:
    if media_type not in GRAPH_MEDIA_TYPES:
        offered = ", ".join([*GRAPH_MEDIA_TYPES, _MULTIPART])
        raise UnsupportedMediaType(f"send one of {offered}, not {media_type or 'nothing'}")
    return parse_graph(body, media_type=media_type)


@dataclass(frozen=True)
class GraphWrite:
    """A Graph Store Protocol write: who sends it, to which graph, why, and against which version."""

    request: Request
    store: VersionedStore
    curator: Curator
    token: Token
    message: str
    if_match: str | None

    def target(self, graph: str | None) -> str:
        if graph is None:
            raise HTTPException(400, "give graph=IRI or default (or name the graph by its URL)")
        target = self.store.layout.target(graph)
        if target in self.curator.hidden_graphs:
            raise InvalidParameterError(
                "graph", "the history and system graphs change only through the service"
            )
        return target

    def apply(self, change: Change, *, existed: bool) -> Response:
        """The write as a changeset: 201 when it made the graph, 200 when the graph was there (202 for
        review), 204 when it changes nothing."""
        outcome = self.curator.submit(
            self.store, change, author=self.token, message=self.message, if_match=self.if_match
        )
        if outcome.unchanged:
            return Response(status_code=204)
        return outcome_response(self.request, outcome, self.token, applied_status=200 if existed else 201)

    def held(self, graph: str) -> Graph:
        found = Graph()
        for row in select(self.store, f"SELECT ?s ?p ?o WHERE {{ {in_graph(graph, '?s ?p ?o')} }}"):
            found.add((row["s"], row["p"], row["o"]))
        return found


def graph_write(
    request: Request,
    store: StoreDep,
    curator: CuratorDep,
    token: Annotated[Token, requires("curator")],
    if_match: IfMatch = None,
    message: Message = None,
) -> GraphWrite:
    return GraphWrite(
        request, store, curator, token, message or f"Graph Store Protocol: {request.method}", if_match
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
    200: {"description": "Applied to a graph that was there: the changeset it became"},
    201: {"description": "Applied, and the graph is new: the changeset it became"},
    202: {"description": "The graph requires review: submitted"},
    204: {"description": "Nothing to change"},
    400: {"description": "No graph named, or the body does not parse (line and column)"},
    404: {"description": "DELETE: no such graph"},
    401: {"description": "No valid bearer token"},
    412: {"description": "If-Match names a version no longer current"},
    415: {"description": "The body is not an RDF syntax offered"},
    422: {"description": "The change breaks the shapes (the report), or names a graph it may not"}
    | SHAPES_REPORT,
    428: {"description": "The graph demands If-Match and it is missing"},
}
_WRITE: dict[str, Any] = {"responses": _WRITE_RESPONSES, "openapi_extra": {"requestBody": _WRITE_BODY}}


def _has_blank_nodes(graph: Graph) -> bool:
    return any(isinstance(node, BNode) for triple in graph for node in triple)


async def _replace(write: GraphWrite, graph: str | None) -> Response:
    """The graph becomes the body's triples (made if it was not there)."""
    target = write.target(graph)
    new = await _body_graph(write.request)

    def replace() -> Response:
        existed = _exists(write.store, target)
        old = write.held(target)
        if _has_blank_nodes(old) or _has_blank_nodes(new):
            # Stored blank nodes cannot be named to remove: the graph is emptied and written anew.
            change = Change(graph=target, additions=new, removals=old, emptied="CLEAR")
        else:
            change = Change(graph=target, additions=new - old, removals=old - new)
        if not existed and not len(new):
            change = Change(graph=target, created=True)
        return write.apply(change, existed=existed)

    # The gate and the store take time: off the event loop, which keeps answering others.
    return await run_in_threadpool(replace)


async def _merge(write: GraphWrite, graph: str | None) -> Response:
    """The body's triples are added to the graph (merged: those it has already stay once)."""
    target = write.target(graph)
    new = await _body_graph(write.request)

    def add() -> Response:
        existed = _exists(write.store, target)
        return write.apply(Change(graph=target, additions=new, created=not existed), existed=existed)

    return await run_in_threadpool(add)


def _drop(write: GraphWrite, graph: str | None) -> Response:
    """Every triple of the graph is removed and the graph dropped, as one changeset (which a revert
    brings back)."""
    target = write.target(graph)
    if graph != DEFAULT_GRAPH and not _exists(write.store, target):
        raise NotFoundError(f"no graph {target}")
    # The default graph always is: deleting it empties it (the write graph, with the union).
    emptied: Literal["CLEAR", "DROP"] = "CLEAR" if graph == DEFAULT_GRAPH else "DROP"
    change = Change(graph=target, removals=write.held(target), emptied=emptied)
    outcome = write.curator.submit(
        write.store, change, author=write.token, message=write.message, if_match=write.if_match
    )
    if outcome.unchanged:
        return Response(status_code=204)
    return outcome_response(write.request, outcome, write.token, applied_status=200)


@router.put(STORE_PATH, summary="Replace a graph (curator)", **_WRITE)
async def replace_graph(
    write: Write, request: Request, graph: GraphParameter = None, default: DefaultParameter = None
) -> Response:
    """The graph becomes the body's triples: what it lacks is removed, what is new is added."""
    return await _replace(write, graph_named(request, graph, default, direct=False))


@router.put(STORE_PATH + "/{path:path}", summary="Replace a graph named by its URL (curator)", **_WRITE)
async def replace_graph_directly(write: Write, request: Request, path: str) -> Response:
    """The graph whose IRI is this URL becomes the body's triples."""
    return await _replace(write, graph_named(request, None, None, direct=True))


@router.post(STORE_PATH, summary="Add triples to a graph, or make a new graph (curator)", **_WRITE)
async def add_to_graph(
    write: Write, request: Request, graph: GraphParameter = None, default: DefaultParameter = None
) -> Response:
    """The body's triples are added to the graph; without `graph` or `default`, they make a new graph,
    named by a URL under /rdf-graph-store/ (its Location)."""
    named = graph_named(request, graph, default, direct=False)
    if named is None:
        made = str(request.url_for("read_graph_directly", path=uuid.uuid4().hex))
        response = await _merge(write, made)
        if response.status_code in (201, 202):
            response.headers["Location"] = made
        return response
    return await _merge(write, named)


@router.post(
    STORE_PATH + "/{path:path}", summary="Add triples to a graph named by its URL (curator)", **_WRITE
)
async def add_to_graph_directly(write: Write, request: Request, path: str) -> Response:
    """The body's triples are added to the graph whose IRI is this URL."""
    return await _merge(write, graph_named(request, None, None, direct=True))


@router.delete(STORE_PATH, summary="Drop a graph (curator)", responses=_WRITE_RESPONSES)
def delete_graph(
    write: Write, request: Request, graph: GraphParameter = None, default: DefaultParameter = None
) -> Response:
    """Every triple of the graph is removed, as one changeset (which a revert brings back)."""
    return _drop(write, graph_named(request, graph, default, direct=False))


@router.delete(
    STORE_PATH + "/{path:path}", summary="Drop a graph named by its URL (curator)", responses=_WRITE_RESPONSES
)
def delete_graph_directly(write: Write, request: Request, path: str) -> Response:
    """Every triple of the graph whose IRI is this URL is removed."""
    return _drop(write, graph_named(request, None, None, direct=True))


class GraphSettings(BaseModel):
    reviewRequired: bool = Field(description="Changesets to this graph wait for a reviewer's approval.")
    ifMatchRequired: bool = Field(
        default=False,
        description="Writes that change existing resources of this graph must send If-Match (else 428).",
    )


@router.get(
    "/api/graphs", summary="The named graphs: version (ETag) and curation settings", tags=["curation"]
)
def list_graphs(request: Request, store: StoreDep, settings: SettingsDep, curator: CuratorDep) -> Response:
    """Every named graph the store knows (an emptied one too, with its version), its version, and
    whether it requires review and If-Match."""
    hidden = curator.hidden_graphs
    # `GRAPH ?graph {}` lists the named graphs without reading their quads (3 ms at 1M triples,
    # where DISTINCT over every quad took 0.8 s).
    names = [
        str(row["graph"]) for row in select(store, "SELECT ?graph WHERE { GRAPH ?graph { } } ORDER BY ?graph")
    ]
    names = [name for name in names if name not in hidden]
    flags = store.system.flags(store, names)
    versions = store.system.graph_versions(store)
    graphs = [
        {
            "graph": name,
            "version": f"g{versions.get(name, 0)}",
            "reviewRequired": flags.get(name, {}).get("reviewRequired", False),
            "ifMatchRequired": curator.require_if_match or flags.get(name, {}).get("ifMatchRequired", False),
            "inDefaultGraph": store.layout.member(name),
        }
        for name in names
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
    curator: CuratorDep,
    token: Annotated[Token, requires("admin")],
    values: Annotated[GraphSettings, Body()],
    graph: Annotated[str, Query(description="IRI of the graph")],
) -> Response:
    """Whether changesets to `graph` wait for review (`submitted`) or are applied at once, and whether
    its writes must send If-Match; the change is kept in the history, with who made it."""
    target = str(iri(graph))
    if target in curator.hidden_graphs:
        raise InvalidParameterError("graph", "the history and system graphs change only through the service")
    if not _exists(store, target):
        raise NotFoundError(f"no graph {target}")
    curator.set_graph_settings(
        store,
        target,
        {"reviewRequired": values.reviewRequired, "ifMatchRequired": values.ifMatchRequired},
        author=token,
    )
    return answer(
        request,
        {"graph": target, "reviewRequired": values.reviewRequired, "ifMatchRequired": values.ifMatchRequired},
        linked=False,
    )
