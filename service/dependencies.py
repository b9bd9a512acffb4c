"""FastAPI dependencies: the store and the settings of the running app, and who is asking."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from service.catalog import CatalogView
from service.catalog.views import Views
from service.curation.curator import Curator
from service.negotiation import choose_languages
from service.settings import Settings
from service.stores.versioned import VersionedStore
from service.tokens import ROLES, InvalidToken, Role, Token, TokenStore

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


async def get_curator(request: Request) -> Curator:
    """The app's one Curator: every write goes through it (its lock keeps check and write together)."""
    curator: Curator = request.app.state.curator
    return curator


def tokens_of(request: Request) -> TokenStore:
    tokens: TokenStore = request.app.state.tokens
    return tokens


async def get_tokens(request: Request) -> TokenStore:
    return tokens_of(request)


def authorize(tokens: TokenStore, secret: str | None, role: Role) -> Token:
    """The token whose text is `secret`, which must hold `role` or one above it (401 without a valid
    token, 403 with a lesser role)."""
    if secret is None:
        # Any token will do where the lowest role is asked: naming "curator" there misleads.
        holder = "" if role == ROLES[0] else f" of a {role} (or above)"
        raise HTTPException(
            401,
            f"this needs a bearer token{holder}: send 'Authorization: Bearer <token>' "
            "(an admin makes tokens with `unkg token create`)",
            headers=_CHALLENGE,
        )
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
CuratorDep = Annotated[Curator, Depends(get_curator)]


async def get_catalog(request: Request) -> CatalogView:
    # On the event loop when nothing has to be read: the routers over the catalog are async too, as
    # they only compute (a thread hop each way cost more than most of their answers).
    catalogs, store = request.app.state.catalogs, request.app.state.store
    cached: CatalogView | None = catalogs.cached(store)
    view: CatalogView = cached if cached is not None else await run_in_threadpool(catalogs.current, store)
    request.state.catalog_version = view.catalog.version
    return view


async def get_views(
    request: Request,
    view: Annotated[CatalogView, Depends(get_catalog)],
    lang: Annotated[
        str | None,
        Query(
            description="Languages for labels and texts, best first (`zh`, `en,zh`); "
            "overrides Accept-Language. "
            "Without either, every language is given.",
            examples=["en"],
        ),
    ] = None,
) -> Views:
    header = lang if lang else request.headers.get("accept-language")
    return Views(view.catalog, view.statuses, choose_languages(header))


CatalogDep = Annotated[CatalogView, Depends(get_catalog)]
ViewsDep = Annotated[Views, Depends(get_views)]
