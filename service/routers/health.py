"""/health: whether the store answers, and how many triples each graph holds."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from service import __version__
from service.dependencies import SettingsDep, StoreDep
from service.errors import StoreError
from service.sparql.builders import graph_counts_query
from service.sparql.results import select

router = APIRouter(tags=["health"])


class StorePublic(BaseModel):
    backend: str
    reachable: bool
    error: str | None = None


class HealthPublic(BaseModel):
    status: str
    version: str
    store: StorePublic
    triples: int | None = None
    graphs: dict[str, int] = {}


@router.get("/health", response_model=HealthPublic, responses={503: {"model": HealthPublic}})
def read_health(store: StoreDep, settings: SettingsDep) -> HealthPublic | JSONResponse:
    """Report whether the store answers and the number of triples per named graph."""
    try:
        rows = select(store, graph_counts_query())
    except StoreError as exc:
        unavailable = HealthPublic(
            status="unavailable",
            version=__version__,
            store=StorePublic(backend=settings.store, reachable=False, error=str(exc)),
        )
        return JSONResponse(unavailable.model_dump(), status_code=503)
    graphs = {str(row["graph"]): int(row["triples"]) for row in rows}  # type: ignore[call-overload]
    return HealthPublic(
        status="ok",
        version=__version__,
        store=StorePublic(backend=settings.store, reachable=True),
        triples=sum(graphs.values()),
        graphs=graphs,
    )
