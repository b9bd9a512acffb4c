"""create_app(): the FastAPI application, given its settings and, in tests, its store."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from service import __version__
from service.bundle import bundled_graphs, install_bundle, install_sources
from service.errors import (
    InvalidIRIError,
    NotAcceptable,
    NotFoundError,
    QuerySyntaxError,
    RdfSyntaxError,
    ServiceError,
    StoreError,
    StoreTimeout,
    StoreUnavailable,
    UnsupportedMediaType,
)
from service.rdf import graph_iri
from service.routers import health
from service.settings import Settings
from service.stores import SparqlStore, open_store

logger = logging.getLogger(__name__)

STATUS_CODES: dict[type[ServiceError], int] = {
    InvalidIRIError: 400,
    QuerySyntaxError: 400,
    RdfSyntaxError: 400,
    NotFoundError: 404,
    NotAcceptable: 406,
    UnsupportedMediaType: 415,
    StoreUnavailable: 502,
    StoreTimeout: 504,
}


def status_code_for(error: ServiceError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS_CODES:
            return STATUS_CODES[cls]
    return 500


async def handle_service_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    return JSONResponse({"error": exc.code, "detail": str(exc)}, status_code=status_code_for(exc))


def create_app(settings: Settings | None = None, *, store: SparqlStore | None = None) -> FastAPI:
    """Build the app. Without `store`, the lifespan opens the one `settings` describe and closes it."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = store or open_store(settings)
        try:
            try:
                system_graph = graph_iri(settings.base_iri, "system")
                install_bundle(opened, bundled_graphs(settings), system_graph=system_graph)
                for outcome in install_sources(opened, settings):
                    if outcome.error:
                        logger.error("%s", outcome.error)
                    elif outcome.status == "ingested":
                        logger.info("ingested %s (%d triples)", outcome.path.name, outcome.triples)
            except StoreError as exc:
                # Serve anyway: /health says what is wrong, and `unkg install` finishes the job later.
                logger.error("the bundled graphs were not installed: %s", exc)
            app.state.store = opened
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
    app.state.settings = settings
    app.add_exception_handler(ServiceError, handle_service_error)
    app.include_router(health.router)

    @app.get("/", tags=["health"])
    def read_root() -> dict[str, object]:
        """Name the service and link its entry points."""
        return {"name": "unkg", "version": __version__, "links": {"health": "/health", "docs": "/docs"}}

    return app
