"""How the API answers: pages, ETag'd JSON (or JSON-LD), and what became of a change.

Every answer carries an ETag (a hash of its body, so any change to the graph or the request that
changes it changes the tag) and is 304 to a matching If-None-Match. `Accept: application/ld+json`
gets the same object with our @context (/api/context.jsonld), which maps its keys to the ontology.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Annotated, Any

import orjson
from fastapi import Header, Query, Request
from fastapi.responses import JSONResponse, Response

from service.curation.changesets import Record
from service.curation.curator import Outcome
from service.models import ShapesReportPublic
from service.negotiation import choose_languages, choose_media_type
from service.rendering import serialize_graph
from service.tokens import Token
from service.validation import ValidationResult

JSON = "application/json"
JSONLD = "application/ld+json"
VARY = "Accept, Accept-Language"
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
#: The largest integer every JSON reader keeps exact (2^53 - 1): an offset is echoed in the page, and
#: a larger one could not be written back (past 2^64 it was a 500).
MAX_OFFSET = 2**53 - 1


Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="How many items a page holds.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="How many items to skip.")]


def page(request: Request, items: list[Any], *, total: int, limit: int, offset: int) -> dict[str, Any]:
    """One page: its items, the total, and the URL of the next page (None on the last)."""
    following = offset + limit
    next_url = str(request.url.include_query_params(offset=following)) if following < total else None
    return {"total": total, "limit": limit, "offset": offset, "next": next_url, "items": items}


def answer(request: Request, payload: dict[str, Any], *, linked: bool = True) -> Response:
    """`payload` as JSON, or as JSON-LD when `linked` and Accept prefers it; ETag'd (see `etagged`)."""
    media_type = choose_media_type(request.headers.get("accept"), [JSON, JSONLD] if linked else [JSON])
    if media_type == JSONLD:
        payload = {"@context": str(request.url_for("read_api_context")), **payload}
    body = orjson.dumps(payload)
    return etagged(request, body, media_type=media_type, headers=_catalog_headers(request))


def _catalog_headers(request: Request) -> dict[str, str]:
    """Which version of the graph an answer from the catalog shows, and whether a newer one is being
    read (after a write, on a large graph, answers come from the previous catalog until then)."""
    shown: int | None = getattr(request.state, "catalog_version", None)
    if shown is None:
        return {}
    headers = {"Unkg-Catalog-Version": str(shown)}
    latest = request.app.state.store.known_version()
    if latest is not None and latest != shown:
        headers["Unkg-Catalog-Stale"] = f"version {latest} is being read"
    return headers


def etagged(
    request: Request,
    body: bytes,
    *,
    media_type: str,
    etag: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """`body` with an ETag (a hash of it, unless given), Vary, and 304 when If-None-Match names it."""
    etag = etag or '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
    headers = {"Vary": VARY, **(headers or {}), "ETag": etag}
    if _matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    return Response(content=body, media_type=media_type, headers=headers)


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags


IfMatch = Annotated[
    str | None,
    Header(
        description="ETags of the resources the change touches (from GET /doc/…), or of its graph (from "
        "GET /rdf-graph-store?graph=…); needed when it changes a resource that exists."
    ),
]


def _violations(results: Sequence[ValidationResult], language: str) -> str:
    """What a refused change breaks, in a sentence: how many results and the first one's message."""
    first = f": {results[0].message(language)}" if results else ""
    return f"the change breaks the shapes ({len(results)} results); nothing was written{first}"


#: A 422 the gate refuses a change with: its report as JSON, or as Turtle when Accept asks for it.
SHAPES_REPORT: dict[str, Any] = {
    "model": ShapesReportPublic,
    "content": {"text/turtle": {"schema": {"type": "string"}}},
}


def outcome_response(
    request: Request, outcome: Outcome, token: Token, *, applied_status: int = 201
) -> Response:
    """`applied_status` applied (201: something new was made), 202 submitted, 200 dry run, or 422
    with the gate's report (JSON or Turtle)."""
    checked = outcome.gate
    if not outcome.conforms:
        accept = request.headers.get("accept")
        if accept and choose_media_type(accept, ["application/json", "text/turtle"]) == "text/turtle":
            content = serialize_graph(checked.report.as_graph(), media_type="text/turtle")
            return Response(content=content, status_code=422, media_type="text/turtle")
        language = (choose_languages(request.headers.get("accept-language")) or ["en"])[0]
        return JSONResponse(
            status_code=422,
            content={
                "error": "shapes_violated",
                "detail": _violations(checked.report.results, language),
                "conforms": False,
                "focusNodes": len(checked.focus_nodes),
                "results": [result.as_json(language) for result in checked.report.results],
            },
        )
    record = outcome.record
    if outcome.unchanged:
        return JSONResponse(
            {"conforms": True, "applied": False, "detail": "the graph is already so: nothing to change"}
        )
    if record is None:
        return JSONResponse(
            {"conforms": True, "applied": False, "focusNodes": len(checked.focus_nodes), "results": []}
        )
    described = [_described(request, outcome, one, token) for one in outcome.records]
    answered = dict(described[0])
    if len(described) > 1:
        # One request changed several graphs: one record for each, applied (or submitted) together.
        answered["changesets"] = described
    return JSONResponse(
        status_code=202 if record.status == "submitted" else applied_status,
        content=answered,
        headers={"Location": str(request.url_for("read_changeset", id=record.id))},
    )


def _described(request: Request, outcome: Outcome, record: Record, token: Token) -> dict[str, Any]:
    return {
        "id": record.id,
        "iri": record.iri,
        "status": record.status,
        "graph": record.graph,
        "message": record.message,
        "author": {"token": token.id, "name": token.name},
        "at": record.at,
        "additions": record.additions,
        "removals": record.removals,
        "touches": sorted(map(str, record.touches)),
        "basedOn": sorted(record.based_on),
        # As the history will show it: the store version its application made; none until then.
        "sequence": outcome.version if record.status == "applied" else None,
        "group": record.group,
        "version": outcome.version,
        "patch": record.patch,
    }
