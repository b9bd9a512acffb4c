"""FastAPI dependencies: the store and the settings of the running app."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from service.settings import Settings
from service.stores.versioned import VersionedStore


def get_store(request: Request) -> VersionedStore:
    store: VersionedStore = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


StoreDep = Annotated[VersionedStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
