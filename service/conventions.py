"""HTTP conventions every route keeps: HEAD answers as GET does, without the body; answers are
gzipped for clients that accept it; a query parameter a route does not declare is refused by name,
not silently ignored (and copied into `next` links).
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.datastructures import MutableHeaders
from starlette.middleware.gzip import GZipMiddleware
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import InvalidParameterError


class HeadAsGet:
    """Answer HEAD for every GET route, with GET's status and headers (Content-Length, ETag, Vary
    included) and no body, as RFC 9110 §9.3.2 asks. FastAPI's routes answer GET alone (405 otherwise);
    Starlette's plain routes do add HEAD, but would list a second operation for each in the OpenAPI
    document. A route that answers HEAD itself (the dumps: without writing the dump) keeps doing so."""

    def __init__(self, app: ASGIApp, *, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD" or self._answered(scope):
            await self.app(scope, receive, send)
            return
        finished = False

        async def send_headers_only(message: Message) -> None:
            nonlocal finished
            if message["type"] == "http.response.body":
                if not finished and not message.get("more_body", False):
                    finished = True
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
            else:
                await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)

    def _answered(self, scope: Scope) -> bool:
        return any(route.matches(scope)[0] is Match.FULL for route in self.routes)


class Compressed:
    """Gzip answers of 1 KiB or more for clients that send `Accept-Encoding: gzip` (a report page
    shrinks 5x). A gzipped answer is another representation, so its strong ETag gets a `-gzip`
    suffix (RFC 9110 §8.8.3, as Apache does), taken off again when a client sends it back in
    If-None-Match or If-Match, so conditional requests and 304s work in either encoding."""

    def __init__(self, app: ASGIApp, *, minimum_size: int = 1024) -> None:
        self.gzip = GZipMiddleware(app, minimum_size=minimum_size, compresslevel=6)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.gzip(scope, receive, send)
            return
        conditional = (b"if-none-match", b"if-match")
        headers = [
            (name, value.replace(_SUFFIX + b'"', b'"') if name in conditional else value)
            for name, value in scope["headers"]
        ]
        # Header values are bytes of any kind (ASGI's latin-1), not necessarily UTF-8.
        asked = b" ".join(value for name, value in scope["headers"] if name == b"if-none-match")
        asked_text = asked.decode("latin-1")

        async def send_marked(message: Message) -> None:
            if message["type"] == "http.response.start":
                response = MutableHeaders(raw=message["headers"])
                etag = response.get("etag", "")
                marked = etag[:-1] + _SUFFIX.decode() + '"'
                gzipped = response.get("content-encoding") == "gzip"
                # A 304 has no body to compress: it names the representation the client holds.
                if etag.endswith('"') and (gzipped or (message["status"] == 304 and marked in asked_text)):
                    response["etag"] = marked
                # Small answers go uncompressed, but a cache must still tell the encodings apart.
                varies = {name.strip().lower() for name in response.get("vary", "").split(",")}
                if "content-type" in response and "accept-encoding" not in varies:
                    response.add_vary_header("Accept-Encoding")
            await send(message)

        await self.gzip({**scope, "headers": headers}, receive, send_marked)


_SUFFIX = b"-gzip"


def _declared(dependant: Dependant) -> frozenset[str]:
    names = {parameter.alias for parameter in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= _declared(dependency)
    return frozenset(names)


def known_query_parameters(request: Request) -> None:
    """Refuse a query parameter the route does not declare (`?organisation=wipo` for `organization`),
    naming it and the ones the route takes. A router depends on this when its routes declare all the
    query parameters they read."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    accepted = _declared(route.dependant)
    unknown = sorted(set(request.query_params) - accepted)
    if unknown:
        message = "not a query parameter of this endpoint" + ("" if accepted else ", which takes none")
        raise InvalidParameterError(unknown[0], message, allowed=sorted(accepted) or None)
