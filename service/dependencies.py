"""FastAPI dependencies: the store and the settings of the running app, and who is asking."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from service.settings import Settings
from service.stores.versioned import VersionedStore
from service.tokens import InvalidToken, Role, Token, TokenStore

_bearer = HTTPBearer(auto_error=False, description="A token made by `unkg token create`.")
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="unkg"'}


# Async, though they only read app state: FastAPI runs a plain `def` dependency in a worker thread,
# two thread hops on every request for nothing.
async def get_store(request: Request) -> VersionedStore:
    store: VersionedStore = request.app.state.store
    return store


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def tokens_of(request: Request) -> TokenStore:
    tokens: TokenStore = request.app.state.tokens
    return tokens


async def get_tokens(request: Request) -> TokenStore:
    return tokens_of(request)


def authorize(tokens: TokenStore, secret: str | None, role: Role) -> Token:
    """The token whose text is `secret`, which must hold `role` or one above it (401 without a valid
    token, 403 with a lesser role)."""
    if secret is None:
        raise HTTPException(401, f"this needs a bearer token with the {role} role", headers=_CHALLENGE)
    try:
        token = tokens.authenticate(secret)
    except InvalidToken as exc:
        raise HTTPException(401, str(exc), headers=_CHALLENGE) from exc
    if not token.may(role):
        raise HTTPException(403, f"this needs the {role} role; the token {token.id} is a {token.role}'s")
    return token


def bearer_secret(request: Request) -> str | None:
    """The text of the request's bearer token, if it sends one."""
    scheme, _, secret = request.headers.get("authorization", "").partition(" ")
    return secret.strip() or None if scheme.lower() == "bearer" else None


def requires(role: Role) -> Any:
    """A dependency: the caller's token, which must hold `role` or one above it."""

    def authorized(
        tokens: Annotated[TokenStore, Depends(get_tokens)],
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Token:
        return authorize(tokens, credentials.credentials if credentials else None, role)

    return Depends(authorized)


StoreDep = Annotated[VersionedStore, Depends(get_store)]
TokensDep = Annotated[TokenStore, Depends(get_tokens)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
