"""The thinnest SPARQL server over pyoxigraph: Starlette, one thread hop, pyoxigraph's own writers.

A reference for `queries.py --with-floor`: what hosting pyoxigraph in Python costs before any of
unkg's work (negotiation, limits, caps, the cache, the protocol's checks), so that the difference
between unkg and the raw Oxigraph server can be split into the engine's share and ours.

    BENCH_STORE=/path/to/store uvicorn floor_server:app --loop uvloop --http httptools

It reads the store's own default graph, where unkg keeps the union of the data graphs since issue 16
(`BENCH_UNION=true`: pyoxigraph's union of every graph, for a store of named graphs only).
"""

from __future__ import annotations

import os

import pyoxigraph
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

store = pyoxigraph.Store(os.environ["BENCH_STORE"])
union = os.environ.get("BENCH_UNION") == "true"


def evaluate(query: str) -> tuple[bytes, str]:
    result = store.query(query, use_default_graph_as_union=union)
    if isinstance(result, pyoxigraph.QueryTriples):
        return result.serialize(format=pyoxigraph.RdfFormat.TURTLE) or b"", "text/turtle"
    if isinstance(result, pyoxigraph.QueryBoolean):
        return b'{"head":{},"boolean":%s}' % (
            b"true" if result else b"false"
        ), "application/sparql-results+json"
    return result.serialize(
        format=pyoxigraph.QueryResultsFormat.JSON
    ) or b"", "application/sparql-results+json"


async def sparql(request: Request) -> Response:
    content, media_type = await run_in_threadpool(evaluate, (await request.body()).decode())
    return Response(content, media_type=media_type)


app = Starlette(routes=[Route("/query", sparql, methods=["POST"])])
