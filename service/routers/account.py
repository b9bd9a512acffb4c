"""/api/me (the token a request carries, as the service sees it) and /api/tokens (an admin's: make,
list and revoke tokens over HTTP, as `unkg token` does on the server's machine)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from service.dependencies import TokensDep, requires
from service.errors import NotFoundError
from service.tokens import Role, Token

router = APIRouter(prefix="/api", tags=["account"])


def _public(token: Token) -> dict[str, str | None]:
    """What may be shown of a token: never its hash."""
    return {
        "id": token.id,
        "name": token.name,
        "role": token.role,
        "created": token.created,
        "revoked": token.revoked,
    }


@router.get(
    "/me",
    summary="Who the bearer token says you are",
    responses={
        401: {"description": "No token, or one that is malformed, unknown or revoked"},
    },
)
async def read_me(token: Annotated[Token, requires("curator")]) -> dict[str, str]:
    """The token's id, holder, role and date: any live token of any role may ask."""
    return {"id": token.id, "name": token.name, "role": token.role, "created": token.created}


class TokenIn(BaseModel):
    name: str = Field(min_length=1, description="Who holds it (kept in the history as the author's name).")
    role: Role = Field(description="curator (submit), reviewer (approve, reject) or admin (configure).")


@router.post(
    "/tokens",
    summary="Make a token (admin); its text is shown once",
    status_code=201,
    responses={403: {"description": "Not an admin"}},
)
def create_token(
    admin: Annotated[Token, requires("admin")], tokens: TokensDep, wanted: Annotated[TokenIn, Body()]
) -> JSONResponse:
    """A new token for `name` in `role`. The answer's `token` is its text, shown this once: only its
    SHA-256 hash is kept."""
    token, text = tokens.create(name=wanted.name, role=wanted.role)
    return JSONResponse(
        {**_public(token), "token": text}, status_code=201, headers={"Cache-Control": "no-store"}
    )


@router.get("/tokens", summary="List the tokens (admin)", responses={403: {"description": "Not an admin"}})
def list_tokens(admin: Annotated[Token, requires("admin")], tokens: TokensDep) -> dict[str, object]:
    """Every token, revoked ones included, oldest first: id, holder, role, dates (never a secret)."""
    items = [_public(token) for token in tokens.all()]
    return {"items": items, "total": len(items)}


@router.delete(
    "/tokens/{id}",
    summary="Revoke a token (admin)",
    responses={403: {"description": "Not an admin"}, 404: {"description": "No such token"}},
)
def revoke_token(
    id: str, admin: Annotated[Token, requires("admin")], tokens: TokensDep
) -> dict[str, str | None]:
    """From now on the token is refused (401); the changesets it made keep its name."""
    try:
        return _public(tokens.revoke(id))
    except KeyError:
        raise NotFoundError(f"no token has the id {id!r}") from None
