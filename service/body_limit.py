"""BodyLimit: a request body over `max_bytes` is refused with 413, in our error format and naming the
limit, before it is read whole: at once when its Content-Length says so, or as soon as the chunks
received pass the limit.

Starlette has a body limit of its own, but it answers in plain text ("Content Too Large") without
saying what the limit is, and replaces any answer to a request whose Content-Length is over it.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(HTTPException):
    def __init__(self, max_bytes: int) -> None:
        super().__init__(
            413, f"the request body is over the limit of {max_bytes} bytes (UNKG_MAX_REQUEST_BYTES)"
        )


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            # Refused before reading a byte of it.
            error = BodyTooLarge(self.max_bytes)
            response = JSONResponse({"error": "content_too_large", "detail": error.detail}, status_code=413)
            await response(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Raised where the app reads the body: its error handler answers.
                    raise BodyTooLarge(self.max_bytes)
            return message

        await self.app(scope, limited, send)
