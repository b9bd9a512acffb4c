"""create_app(): the FastAPI application, given its settings and, in tests, its store."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from service import __version__
from service.body_limit import BodyLimit
from service.bundle import bundled_graphs, install_bundle, install_sources
from service.catalog import CatalogCache
from service.conventions import Compressed, HeadAsGet, known_query_parameters
from service.curation.curator import curator_for
from service.errors import (
    Conflict,
    EngineRestarted,
    ForbiddenOperation,
    InvalidIRIError,
    InvalidParameterError,
    LayoutError,
    NotAcceptable,
    NotFoundError,
    PreconditionFailed,
    PreconditionRequired,
    QueryEvaluationError,
    QuerySyntaxError,
    QueryTimeout,
    QueryTooComplex,
    RdfSyntaxError,
    ServiceError,
    StoreError,
    StoreTimeout,
    StoreUnavailable,
    UnsupportedMediaType,
)
from service.models import ErrorPublic, InvalidParameterPublic, ShapesReportPublic
from service.routers import (
    account,
    api,
    bodies,
    changesets,
    dataset,
    documents,
    graphs,
    health,
    ontology,
    queries,
    recommendations,
    resources,
    search,
    sparql,
)
from service.settings import Settings
from service.sparql.named import load_named_queries
from service.stores import SparqlStore, open_store, versioned
from service.tokens import TokenStore

logger = logging.getLogger(__name__)

STATUS_CODES: dict[type[ServiceError], int] = {
    InvalidIRIError: 400,
    ForbiddenOperation: 403,
    QuerySyntaxError: 400,
    # Well-formed, but the engine cannot evaluate it (an unknown function): not a syntax error.
    QueryEvaluationError: 422,
    QueryTooComplex: 400,
    RdfSyntaxError: 400,
    NotFoundError: 404,
    InvalidParameterError: 422,
    PreconditionRequired: 428,
    PreconditionFailed: 412,
    Conflict: 409,
    NotAcceptable: 406,
    UnsupportedMediaType: 415,
    StoreUnavailable: 502,
    EngineRestarted: 503,
    StoreTimeout: 504,
    QueryTimeout: 503,
}


def status_code_for(error: ServiceError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS_CODES:
            return STATUS_CODES[cls]
    return 500


async def handle_service_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    body: dict[str, object] = {"error": exc.code, "detail": str(exc)}
    if isinstance(exc, QueryEvaluationError):
        body["parameter"] = "query"
    if isinstance(exc, InvalidParameterError):
        body["parameter"] = exc.parameter
        if exc.allowed is not None:
            body["allowed"] = exc.allowed
    if isinstance(exc, PreconditionRequired | PreconditionFailed):
        body.update(exc.details)
    return JSONResponse(body, status_code=status_code_for(exc))


async def handle_validation_error(request: Request, exc: Exception) -> JSONResponse:
    """A request FastAPI could not read (a parameter of the wrong type): name each parameter and why."""
    assert isinstance(exc, RequestValidationError)
    malformed = next((error for error in exc.errors() if error.get("type") == "json_invalid"), None)
    if malformed is not None:
        return _malformed_json(malformed, exc.body)
    problems = []
    for error in exc.errors():
        location = [str(part) for part in error.get("loc", ())]
        problem: dict[str, object] = {
            "parameter": location[-1] if location else None,
            "in": location[0] if location else None,
            "message": error.get("msg"),
        }
        expected = (error.get("ctx") or {}).get("expected")
        if expected:
            problem["allowed"] = expected
        problems.append(problem)
    detail = "; ".join(f"{p['parameter']}: {p['message']}" for p in problems)
    first = problems[0]["parameter"] if problems else None
    return JSONResponse(
        {"error": "invalid_parameter", "detail": detail, "parameter": first, "problems": problems},
        status_code=422,
    )


def _malformed_json(error: Any, body: Any) -> JSONResponse:
    """400 for a body that is not JSON at all, naming where it breaks (FastAPI calls it a 422 of a
    parameter named after the character offset)."""
    location = error.get("loc", ())
    offset = location[-1] if location and isinstance(location[-1], int) else None
    reason = (error.get("ctx") or {}).get("error") or "not JSON"
    where = ""
    if offset is not None:
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body or "")
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        where = f" at line {line}, column {column}"
    detail = f"the body is not valid JSON: {reason}{where}"
    return JSONResponse({"error": "bad_request", "detail": detail, "parameter": "body"}, status_code=400)


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "content_too_large",
    415: "unsupported_media_type",
}


async def handle_http_error(request: Request, exc: Exception) -> JSONResponse:
    """HTTP-shaped problems the routers raise, in the same body as our own errors."""
    assert isinstance(exc, StarletteHTTPException)
    body = {"error": _HTTP_CODES.get(exc.status_code, "http_error"), "detail": exc.detail}
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


_SCHEMAS = "#/components/schemas/"


def _ref(model: type[ErrorPublic]) -> dict[str, str]:
    return {"$ref": _SCHEMAS + model.__name__}


def describe_errors(spec: dict[str, Any]) -> dict[str, Any]:
    """Make `spec` (FastAPI's OpenAPI document) say what the error handlers send: every 4xx and 5xx
    is an `ErrorPublic` body; 422 an `InvalidParameterPublic` (FastAPI's `HTTPValidationError` is never
    sent), or a `ShapesReportPublic` where the route says so; 401 wherever a bearer token is read; 413
    wherever a body is. A fuzzer reading it (tests/test_openapi_fuzz.py) holds each answer to it."""
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    for unsent in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unsent, None)
    for model in (ErrorPublic, InvalidParameterPublic, ShapesReportPublic):
        schema = model.model_json_schema(ref_template=_SCHEMAS + "{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if "security" in operation:
                responses.setdefault("401", {"description": "No valid bearer token"})
            body = operation.get("requestBody", {}).get("content", {})
            if body:
                responses.setdefault("413", {"description": "The body is over UNKG_MAX_REQUEST_BYTES"})
            if any(parameter.get("in") == "path" for parameter in operation.get("parameters", [])):
                # Starlette's router finds no route for a path segment it cannot match (a newline).
                responses.setdefault("404", {"description": "Not found"})
            if "application/json" in body:
                responses.setdefault("400", {"description": "The body is not JSON"})
            for status, response in responses.items():
                if not status.isdigit() or int(status) < 400:
                    continue
                content = response.setdefault("content", {})
                declared = content.get("application/json", {}).get("schema", {})
                if status != "422":
                    body = declared if declared.get("$ref") else _ref(ErrorPublic)
                elif declared == _ref(ShapesReportPublic):
                    body = {"anyOf": [_ref(ShapesReportPublic), _ref(InvalidParameterPublic)]}
                else:
                    body = _ref(InvalidParameterPublic)
                content["application/json"] = {"schema": body}
    return spec


def create_app(settings: Settings | None = None, *, store: SparqlStore | None = None) -> FastAPI:
    """Build the app. Without `store`, the lifespan opens the one `settings` describe and closes it."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = versioned(store, settings) if store is not None else open_store(settings, serving=True)
        try:
            try:
                # The default graph as the settings say (a first start, or a new setting).
                opened.arrange()
                bundle = [] if settings.bare else bundled_graphs(settings)
                install_bundle(opened, bundle, base_iri=settings.base_iri)
                for outcome in [] if settings.bare else install_sources(opened, settings):
                    if outcome.error:
                        logger.error("%s", outcome.error)
                    elif outcome.status == "ingested":
                        logger.info("ingested %s (%d triples)", outcome.path.name, outcome.triples)
            except LayoutError as exc:
                # Not served: its default graph would answer as if it were whole (an unreachable store
                # is served, /health saying so, since nothing it answers is wrong).
                logger.error("not serving: %s", exc)
                raise
            except StoreError as exc:
                # Serve anyway: /health says what is wrong, and `unkg install` finishes the job later.
                logger.error("the bundled graphs were not installed: %s", exc)
            app.state.store = opened
            app.state.curator = curator_for(settings, opened.layout)
            app.state.query_limiter = anyio.CapacityLimiter(settings.query_workers)
            app.state.catalogs = CatalogCache(base_iri=settings.base_iri, wait=settings.catalog_wait)
            yield
        finally:
            if store is None:
                opened.close()

    app = FastAPI(
        title="unkg",
        version=__version__,
        summary="UN System Knowledge Graph: resolutions, reports, recommendations, bodies and networks.",
        lifespan=lifespan,
    )

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            describe_errors(FastAPI.openapi(app))
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    if settings.max_request_bytes is not None:
        app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(Compressed)
    app.add_middleware(HeadAsGet, routes=app.router.routes)
    app.state.settings = settings
    app.state.tokens = TokenStore(settings.tokens_path)
    # Read at build time: a broken query file stops the start, naming the file and line.
    app.state.named_queries = load_named_queries(settings.queries_path)
    app.add_exception_handler(ServiceError, handle_service_error)
    app.add_exception_handler(StarletteHTTPException, handle_http_error)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
    # Routers whose routes declare every query parameter they read (the SPARQL protocol's and the
    # named questions' are read from the request and checked there).
    declared_only = [Depends(known_query_parameters)]
    app.include_router(health.router, dependencies=declared_only)
    app.include_router(sparql.router)
    app.include_router(graphs.router)
    app.include_router(dataset.router, dependencies=declared_only)
    app.include_router(resources.router, dependencies=declared_only)
    app.include_router(ontology.router, dependencies=declared_only)
    app.include_router(api.router, dependencies=declared_only)
    app.include_router(account.router, dependencies=declared_only)
    app.include_router(changesets.router, dependencies=declared_only)
    app.include_router(documents.router, dependencies=declared_only)
    app.include_router(recommendations.router, dependencies=declared_only)
    app.include_router(bodies.router, dependencies=declared_only)
    app.include_router(search.router, dependencies=declared_only)
    app.include_router(queries.router)

    @app.get("/", tags=["health"])
    def read_root() -> dict[str, object]:
        """Name the service and link its entry points."""
        links = {
            "sparql": "/sparql",
            "void": "/.well-known/void",
            "dumps": ["/dump.trig", "/dump.nq"],
            "ontology": "/ontology",
            "health": "/health",
            "docs": "/docs",
        }
        return {"name": "unkg", "version": __version__, "links": links}

    return app
