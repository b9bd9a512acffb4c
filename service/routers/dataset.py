"""The dataset as a whole: its VoID and DCAT description at /.well-known/void, and full dumps.

Both carry a weak ETag made of the store's version and the time of its last write, so a client that
has them already gets 304 Not Modified without the store doing the work again.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from service.dependencies import SettingsDep, StoreDep
from service.negotiation import choose_media_type
from service.rdf import GRAPH_MEDIA_TYPES
from service.rendering import serialize_graph
from service.sparql.builders import class_counts_query, graph_counts_query
from service.sparql.results import select
from service.stores.versioned import VersionedStore
from service.void import DUMPS, DatasetFacts, describe_dataset

router = APIRouter(tags=["dataset"])
_CHUNK = 1 << 16
# Dumps up to this size stay in memory on their way out; larger ones go through a temporary file.
_SPOOL = 16 << 20


def _etag(store: VersionedStore) -> str:
    return f'W/"unkg-{store.version()}"'


def _validators(store: VersionedStore, modified: str | None) -> dict[str, str]:
    """ETag and Last-Modified of the store at its current version, last written at `modified`."""
    headers = {"ETag": _etag(store)}
    if modified:
        when = datetime.fromisoformat(modified.replace("Z", "+00:00")).astimezone(UTC)
        headers["Last-Modified"] = format_datetime(when, usegmt=True)
    return headers


def _not_modified(request: Request, headers: dict[str, str]) -> bool:
    """Whether the client's copy is current (If-None-Match wins over If-Modified-Since, RFC 9110)."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or headers["ETag"].removeprefix("W/") in tags
    since = request.headers.get("if-modified-since")
    if since and "Last-Modified" in headers:
        try:
            return parsedate_to_datetime(headers["Last-Modified"]) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False  # an unreadable date is ignored, as RFC 9110 says
    return False


def _int(value: object) -> int:
    return int(str(value))


def _root(request: Request) -> str:
    return str(request.base_url)


@router.get(
    "/.well-known/void",
    summary="VoID and DCAT description of the dataset",
    responses={
        200: {"content": {media_type: {} for media_type in GRAPH_MEDIA_TYPES}},
        304: {"description": "The client's copy (If-None-Match / If-Modified-Since) is current"},
        406: {"description": "No offered media type is acceptable"},
    },
)
def read_void(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """Triples per graph, entities per class, the SPARQL endpoint, the dumps, licence, last change."""
    media_type = choose_media_type(request.headers.get("accept"), list(GRAPH_MEDIA_TYPES))
    modified = store.modified()
    headers = _validators(store, modified) | {"Vary": "Accept"}
    if _not_modified(request, headers):
        return Response(status_code=304, headers=headers)
    facts = DatasetFacts(
        graphs={str(row["graph"]): _int(row["triples"]) for row in select(store, graph_counts_query())},
        classes={str(row["class"]): _int(row["entities"]) for row in select(store, class_counts_query())},
        modified=modified,
    )
    graph = describe_dataset(
        _root(request), base_iri=settings.base_iri, facts=facts, license=settings.dataset_license
    )
    return Response(serialize_graph(graph, media_type=media_type), media_type=media_type, headers=headers)


def _dump_route(path: str, media_type: str) -> None:
    route: dict[str, Any] = {
        "summary": f"Every quad of the dataset, as {media_type}",
        "response_class": StreamingResponse,
        "responses": {
            200: {"content": {media_type: {}}},
            304: {"description": "The client's copy (If-None-Match / If-Modified-Since) is current"},
        },
        "name": f"dump_{path.replace('.', '_')}",
    }

    # GET and HEAD as two routes, not one with two methods: each gets its own operation id.
    @router.get(f"/{path}", **route)
    @router.head(f"/{path}", **route)
    async def read_dump(request: Request, store: StoreDep) -> Response:
        headers = _validators(store, store.modified())
        if _not_modified(request, headers):
            return Response(status_code=304, headers=headers)
        headers["Content-Disposition"] = f'attachment; filename="unkg.{path.rsplit(".", 1)[1]}"'
        if request.method == "HEAD":
            head = Response(media_type=media_type, headers=headers)
            del head.headers["content-length"]  # unknown until the dump is written; not 0
            return head
        spool = await run_in_threadpool(_dump, store, media_type)
        if _etag(store) != headers["ETag"]:
            # A write landed during the dump: what was read may be newer than these validators say.
            del headers["ETag"], headers["Last-Modified"]
        return StreamingResponse(_chunks(spool), media_type=media_type, headers=headers)


def _dump(store: VersionedStore, media_type: str) -> tempfile.SpooledTemporaryFile[bytes]:
    spool: tempfile.SpooledTemporaryFile[bytes] = tempfile.SpooledTemporaryFile(max_size=_SPOOL)
    store.dump(spool, media_type=media_type)
    spool.seek(0)
    return spool


def _chunks(spool: tempfile.SpooledTemporaryFile[bytes]) -> Iterator[bytes]:
    with spool:
        while chunk := spool.read(_CHUNK):
            yield chunk


for _path, _media_type in DUMPS.items():
    _dump_route(_path, _media_type)
