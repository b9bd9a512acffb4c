"""/health: whether the store answers, and how many triples each graph holds."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from service import __version__
from service.dependencies import SettingsDep, StoreDep
from service.errors import StoreError
from service.sparql.builders import graph_counts_query
from service.sparql.results import select

router = APIRouter(tags=["health"])


class EnginePublic(BaseModel):
    """The engine process queries run in (the embedded store under `unkg serve`)."""

    pid: int | None
    restarts: int
    memory_bytes: int
    calls: int


class StorePublic(BaseModel):
    backend: str
    reachable: bool
    error: str | None = None
    engine: EnginePublic | None = None


class HealthPublic(BaseModel):
    status: str
    version: str
    store: StorePublic
    triples: int | None = None
    graphs: dict[str, int] = {}


@router.get("/health", response_model=HealthPublic, responses={503: {"model": HealthPublic}})
def read_health(store: StoreDep, settings: SettingsDep) -> HealthPublic | JSONResponse:
    """Report whether the store answers, the number of triples per named graph, and the engine process
    (its pid, how many times it was started again after a crash or a runaway query, its memory, the
    calls it has in hand)."""
    status = store.engine_status()
    engine = None if status is None else EnginePublic(**asdict(status))
    try:
        rows = select(store, graph_counts_query())
    except StoreError as exc:
        unavailable = HealthPublic(
            status="unavailable",
            version=__version__,
            store=StorePublic(backend=settings.store, reachable=False, error=str(exc), engine=engine),
        )
        return JSONResponse(unavailable.model_dump(), status_code=503)
    graphs = {str(row["graph"]): int(row["triples"]) for row in rows}  # type: ignore[call-overload]
    return HealthPublic(
        status="ok",
        version=__version__,
        store=StorePublic(backend=settings.store, reachable=True, engine=engine),
        triples=sum(graphs.values()),
        graphs=graphs,
    )
