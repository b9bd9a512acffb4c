"""/api/me: the token a request carries, as the service sees it (to check one before writing)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from service.dependencies import requires
from service.tokens import Token

router = APIRouter(prefix="/api", tags=["account"])


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
