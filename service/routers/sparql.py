"""SPARQL 1.1 Protocol at /sparql: query by GET, by POST form and by POST application/sparql-query.

Without a query, /sparql describes itself (SPARQL 1.1 Service Description), limits included. Each
query runs under a time limit that stops it and row and byte caps that cut its result at a whole row
(saying so in the Unkg-Truncated header); SERVICE calls only the endpoints on the allow-list.
Updates (POST application/sparql-update, or a form's `update=`) need a curator's bearer token and are
changesets like any other: their effect is worked out first and goes through If-Match, the SHACL gate,
review and the history (see service/curation/updates.py); LOAD is refused outright (403).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

import anyio
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from service.answers import SHAPES_REPORT, outcome_response
from service.curation.curator import Curator
from service.curation.updates import change_of_update
from service.dependencies import CuratorDep, SettingsDep, StoreDep, authorize, bearer_secret, tokens_of
from service.description import service_description
from service.errors import QueryTimeout
from service.lexing import declares_dataset, enumerates_graphs, graph_subqueries, mentions
from service.negotiation import choose_media_type
from service.query_page import query_page
from service.rdf import GRAPH_MEDIA_TYPES, RDF_MEDIA_TYPES, RESULTS_MEDIA_TYPES, iri
from service.rendering import serialize_graph
from service.settings import Settings
from service.sparql.safety import check_query, check_update
from service.stores.base import QueryLimits
from service.stores.versioned import VersionedStore

router = APIRouter(tags=["sparql"])

#: `format=` for browsers and scripts that cannot set Accept.
FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "ntriples": "application/n-triples",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "xml-rdf": "application/rdf+xml",
    "trig": "application/trig",
    "nquads": "application/n-quads",
    "html": "text/html",
}
# Aliases clients send for SPARQL JSON and XML results.
_ACCEPT_ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
}
_FORM = "application/x-www-form-urlencoded"
_HTML = "text/html"
_QUERY = "application/sparql-query"
_UPDATE = "application/sparql-update"
_VARY = {"Vary": "Accept"}
#: Set when a cap cut the result short: which one, and its value ("rows; limit=100000").
TRUNCATED_HEADER = "Unkg-Truncated"
#: Whether the result came from the cache keyed by the graph's version ("hit") or was evaluated ("miss").
CACHE_HEADER = "Unkg-Cache"
# Seconds past a query's deadline before its client is answered without it, when the store cannot stop
# the query itself (an engine in the server process): its evaluation is abandoned, not stopped.
_GRACE = 1.5
# The same for a store that stops its queries (the supervised engine, killed a second past the
# deadline): only a safety net, never reached while the engine's supervisor works, so that a worker
# slot is given back only when its evaluation is over.
_SAFETY_NET = 15.0


def _accept(request: Request, parameters: list[tuple[str, str]]) -> str:
    """The Accept header, or the media type a `format` parameter names; aliases made canonical."""
    formats = [value for name, value in parameters if name == "format"]
    if formats:
        value = formats[-1]
        if value not in FORMATS and "/" not in value:
            raise HTTPException(400, f"unknown format {value!r}; use one of: {', '.join(FORMATS)}")
        return FORMATS.get(value, value)
    accept = request.headers.get("accept", "")
    for alias, canonical in _ACCEPT_ALIASES.items():
        accept = accept.replace(alias, canonical)
    return accept or "*/*"


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HTTPException(400, f"the {what} is not UTF-8 (byte {exc.start})") from exc


#: Fields a form may hold: the protocol's few, with room for many default- and named-graph-uri.
MAX_FORM_FIELDS = 1_000


def _form(body: bytes) -> list[tuple[str, str]]:
    """The fields of a form body (in a worker thread: a large form takes a while to split)."""
    try:
        return parse_qsl(_decode(body, "form"), keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS)
    except ValueError as exc:
        raise HTTPException(400, f"the form has more than {MAX_FORM_FIELDS} fields") from exc


def _one(parameters: list[tuple[str, str]], name: str) -> str | None:
    values = [value for key, value in parameters if key == name]
    if len(values) > 1:
        raise HTTPException(400, f"give one '{name}' parameter, not {len(values)}")
    return values[0] if values else None


def _graphs(parameters: list[tuple[str, str]], name: str) -> list[str]:
    return [str(iri(value)) for key, value in parameters if key == name]


def _update(
    request: Request,
    store: VersionedStore,
    settings: Settings,
    curator: Curator,
    update: str,
    parameters: list[tuple[str, str]],
) -> Response:
    """Run a SPARQL update as a changeset: a curator's, through If-Match, the gate and the history."""
    # Who is asking first: reading a long update is work done for curators only.
    token = authorize(tokens_of(request), bearer_secret(request), "curator")
    check_update(update)
    using, using_named = _graphs(parameters, "using-graph-uri"), _graphs(parameters, "using-named-graph-uri")
    if (using or using_named) and (mentions(update, "USING") or mentions(update, "WITH")):
        raise HTTPException(400, "give the dataset by using-graph-uri parameters or in the update, not both")
    base_iri = str(request.url.replace(query=""))
    outcome = curator.submit(
        store,
        lambda: change_of_update(
            store,
            update,
            base_iri=base_iri,
            using=using,
            using_named=using_named,
            allowed_services=settings.service_allow_list,
            manages_graphs=token.may("admin"),
        ),
        author=token,
        message=_one(parameters, "message") or "SPARQL Update",
        if_match=request.headers.get("if-match"),
    )
    if outcome.unchanged:
        return Response(status_code=204)
    return outcome_response(request, outcome, token)


def limits_for(request: Request, settings: Settings) -> QueryLimits:
    """What this request's query may take: the row and byte caps hold for anonymous requests; one
    with a valid bearer token (any role) has none (a wrong token is 401, never silently anonymous).
    The time limit holds for everyone."""
    secret = bearer_secret(request)
    if secret is not None:
        authorize(tokens_of(request), secret, "curator")
        return QueryLimits(timeout=settings.query_timeout)
    return QueryLimits(
        timeout=settings.query_timeout,
        max_rows=settings.max_result_rows,
        max_bytes=settings.max_result_bytes,
    )


def _run(
    store: VersionedStore,
    settings: Settings,
    request: Request,
    query: str,
    parameters: list[tuple[str, str]],
    limits: QueryLimits,
) -> Response:
    # Relative IRIs resolve against the endpoint, as the protocol allows.
    base_iri = str(request.url.replace(query=""))
    check_query(query, allowed_services=settings.service_allow_list, base_iri=base_iri)
    default_graphs = _graphs(parameters, "default-graph-uri")
    named_graphs = _graphs(parameters, "named-graph-uri")
    if not (default_graphs or named_graphs) and enumerates_graphs(query) and not declares_dataset(query):
        # `GRAPH ?g` ranges over the data graphs; the history and system graphs are read by name.
        dataset = store.hiding_bookkeeping(query) if graph_subqueries(query) else None
        if dataset is not None:
            default_graphs, named_graphs = dataset
        else:
            query = store.layout.hide_bookkeeping(query)
    result = store.query(
        query,
        accept=_accept(request, parameters),
        default_graphs=default_graphs,
        named_graphs=named_graphs,
        base_iri=base_iri,
        limits=limits,
    )
    headers = dict(_VARY)
    headers[CACHE_HEADER] = "hit" if result.cached else "miss"
    if result.truncated:
        cap = limits.max_rows if result.truncated == "rows" else limits.max_bytes
        headers[TRUNCATED_HEADER] = f"{result.truncated}; limit={cap}"
    return Response(content=result.content, media_type=result.media_type, headers=headers)


async def _evaluate(
    store: VersionedStore, settings: Settings, request: Request, query: str, parameters: list[tuple[str, str]]
) -> Response:
    """Run the query in a worker thread, at most `query_workers` at once.

    The engine stops a query at its deadline whenever its written result fills another buffer (see
    service/stores/capped.py); one that yields little for long (a sort or an aggregate over
    everything) is stopped by killing the engine process (service/stores/supervised.py), and only
    then is the worker slot given back, so the evaluations running never outnumber the slots. An
    in-process engine (`engine=in-process`, or a store in memory) cannot be stopped: its client is
    answered all the same and the evaluation goes on in a thread of its own until it ends.
    """
    limits = limits_for(request, settings)
    timeout = limits.timeout
    try:
        grace = _SAFETY_NET if store.stops_its_queries else _GRACE
        with anyio.fail_after(None if timeout is None else timeout + grace):
            return await anyio.to_thread.run_sync(
                _run,
                store,
                settings,
                request,
                query,
                parameters,
                limits,
                abandon_on_cancel=True,
                limiter=request.app.state.query_limiter,
            )
    except TimeoutError:
        raise QueryTimeout(f"the query ran past the {timeout:g} s limit and was stopped") from None


def _describe(request: Request, store: VersionedStore, settings: Settings) -> Response:
    accept = _accept(request, list(request.query_params.multi_items()))
    # HTML is offered last: only a client that asks for it (a browser) gets the query page.
    media_type = choose_media_type(accept, [*GRAPH_MEDIA_TYPES, _HTML])
    endpoint = str(request.url.replace(query=""))
    if media_type == _HTML:
        return Response(content=query_page(endpoint), media_type=_HTML, headers=_VARY)
    limits = limits_for(request, settings)
    description = service_description(
        endpoint,
        limits=limits,
        allowed_services=settings.service_allow_list,
        layout=store.layout,
        max_request_bytes=settings.max_request_bytes,
    )
    content = serialize_graph(description, media_type=media_type)
    return Response(content=content, media_type=media_type, headers=_VARY)


_RESULT_CONTENT: dict[str, dict[str, Any]] = {
    media_type: {} for media_type in list(RESULTS_MEDIA_TYPES) + list(RDF_MEDIA_TYPES)
}
_RESULTS: dict[str, Any] = {
    "description": "Query results, negotiated by Accept or `format`",
    "content": _RESULT_CONTENT,
}
# What any query may meet, however it is sent.
_QUERY_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "Malformed query or request, with the parser's message and position"},
    401: {"description": "A bearer token was sent and is not valid (no token: anonymous)"},
    403: {"description": "SERVICE to an endpoint off the allow-list"},
    422: {"description": "A well-formed query the engine cannot evaluate (an unknown function)"},
    406: {"description": "No offered media type is acceptable; lists what is offered"},
    502: {"description": "The store could not be reached"},
    503: {"description": "The query ran past its time limit and was stopped, or its engine restarted"},
    504: {"description": "The store did not answer in time"},
}
_GRAPH_URIS = {"type": "array", "items": {"type": "string"}}
_UPDATE_422 = (
    "The update breaks the shapes (the report) or is not one the gate takes; or the query cannot be evaluated"
)


def _parameters(*names: str, query: bool = False) -> list[dict[str, Any]]:
    """The protocol's URL parameters, as OpenAPI describes them (the routes read them from the URL)."""
    described: dict[str, dict[str, Any]] = {
        "query": {"schema": {"type": "string"}, "example": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"},
        "format": {"schema": {"type": "string", "enum": list(FORMATS)}, "description": "Instead of Accept"},
        "message": {"schema": {"type": "string"}, "description": "Why: kept in the history (updates)"},
    }
    return [
        {"name": name, "in": "query", "required": False}
        | described.get(name, {"schema": _GRAPH_URIS, "explode": True, "description": "A graph's IRI"})
        for name in (("query",) if query else ()) + names
    ]


#: The three bodies of the SPARQL 1.1 Protocol's POST, described so that clients (and the fuzzer in
#: tests/test_openapi_fuzz.py) can send each.
_POST_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        _FORM: {
            "schema": {
                "type": "object",
                "properties": {
                    "query": {"type": "string", "description": "A SPARQL query"},
                    "update": {"type": "string", "description": "A SPARQL update (a curator's token)"},
                    "default-graph-uri": _GRAPH_URIS,
                    "named-graph-uri": _GRAPH_URIS,
                    "using-graph-uri": _GRAPH_URIS,
                    "using-named-graph-uri": _GRAPH_URIS,
                    "format": {"type": "string", "enum": list(FORMATS)},
                },
            },
            "example": {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"},
        },
        _QUERY: {"schema": {"type": "string"}, "example": "ASK { ?s ?p ?o }"},
        _UPDATE: {
            "schema": {"type": "string"},
            "example": "INSERT DATA { GRAPH <https://example.org/graph/notes> { <urn:a> <urn:b> 1 } }",
        },
    },
}


@router.get(
    "/sparql",
    summary="Query by GET, or the service description",
    responses={
        200: _RESULTS | {"content": _RESULT_CONTENT | {_HTML: {}}},
        **_QUERY_RESPONSES,
    },
    openapi_extra={"parameters": _parameters("default-graph-uri", "named-graph-uri", "format", query=True)},
)
async def query_by_get(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """Run `query` (with `default-graph-uri`, `named-graph-uri`); without one, describe the service.

    Example: `/sparql?query=SELECT ?label WHERE { ?s skos:prefLabel ?label } LIMIT 5` needs its
    prefixes, e.g. `PREFIX skos: <http://www.w3.org/2004/02/skos/core#>`.
    """
    parameters = list(request.query_params.multi_items())
    if _one(parameters, "update") is not None:
        raise HTTPException(400, "SPARQL Update is sent by POST, never by GET")
    query = _one(parameters, "query")
    if query is None:
        return _describe(request, store, settings)
    return await _evaluate(store, settings, request, query, parameters)


@router.post(
    "/sparql",
    summary="Query by POST (form or application/sparql-query), or update (a curator's, through the gate)",
    responses={
        200: _RESULTS,
        **_QUERY_RESPONSES,
        201: {"description": "Update applied: the changeset it became"},
        202: {"description": "Update submitted for review (its graph requires review)"},
        204: {"description": "Update changes nothing"},
        401: {"description": "An update needs a bearer token; a query's token must be valid"},
        403: {"description": "LOAD, SERVICE off the allow-list, or a token whose role may not update"},
        412: {"description": "If-Match names a version no longer current"},
        422: {"description": _UPDATE_422} | SHAPES_REPORT,
        428: {"description": "The update changes existing resources and If-Match is missing"},
        415: {"description": "The body is neither a form, application/sparql-query nor -update"},
    },
    openapi_extra={
        "requestBody": _POST_BODY,
        "parameters": _parameters(
            "default-graph-uri",
            "named-graph-uri",
            "using-graph-uri",
            "using-named-graph-uri",
            "format",
            "message",
        ),
    },
)
async def query_by_post(
    request: Request, store: StoreDep, settings: SettingsDep, curator: CuratorDep
) -> Response:
    """Run a query sent as a form (`query=`) or directly as `application/sparql-query`; or an update
    (`update=` or `application/sparql-update`), which a curator's token makes a changeset (`message=`
    in the URL says why)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    url_parameters = list(request.query_params.multi_items())
    body = await request.body()
    if content_type == _FORM:
        form = await anyio.to_thread.run_sync(_form, body)
        parameters = url_parameters + form
        update = _one(form, "update")
        if update is not None:
            return await anyio.to_thread.run_sync(
                _update, request, store, settings, curator, update, parameters
            )
        query = _one(parameters, "query")
        if query is None:
            raise HTTPException(400, "the form has no 'query' field")
    elif content_type == _QUERY:
        parameters = url_parameters
        if _one(parameters, "query") is not None:
            raise HTTPException(400, "a direct POST carries its query in the body, not in 'query='")
        query = _decode(body, "query")
    elif content_type == _UPDATE:
        update = _decode(body, "update")
        return await anyio.to_thread.run_sync(
            _update, request, store, settings, curator, update, url_parameters
        )
    else:
        raise HTTPException(
            415,
            f"send the body as {_FORM}, {_QUERY} or {_UPDATE}, with that Content-Type; "
            + (f"{content_type} is none of these" if content_type else "the request had no Content-Type"),
        )
    return await _evaluate(store, settings, request, query, parameters)
