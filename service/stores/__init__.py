"""Stores: `open_store(settings)` is the only place that picks a backend."""

from __future__ import annotations

import httpx

from service.rdf import graph_iri
from service.settings import IN_MEMORY, Settings
from service.stores.base import SparqlResult, SparqlStore
from service.stores.oxigraph import OxigraphStore
from service.stores.remote import RemoteStore
from service.stores.versioned import VersionedStore

__all__ = [
    "OxigraphStore",
    "RemoteStore",
    "SparqlResult",
    "SparqlStore",
    "VersionedStore",
    "open_store",
    "versioned",
]


def versioned(store: SparqlStore, settings: Settings) -> VersionedStore:
    """`store`, keeping its version in the system graph (itself if it already does)."""
    if isinstance(store, VersionedStore):
        return store
    shared = isinstance(store, RemoteStore)
    return VersionedStore(
        store,
        version_graph=graph_iri(settings.base_iri, "system"),
        shared=shared,
        cache_bytes=settings.cache_bytes,
    )


def open_store(settings: Settings) -> VersionedStore:
    """Open the store `settings` describe (the embedded one by default, or a remote endpoint), versioned."""
    return versioned(_open_backend(settings), settings)


def _open_backend(settings: Settings) -> SparqlStore:
    if settings.store == "remote":
        assert settings.sparql_query_url and settings.sparql_update_url  # checked by Settings
        auth = None
        if settings.sparql_username is not None and settings.sparql_password is not None:
            auth = httpx.BasicAuth(settings.sparql_username, settings.sparql_password.get_secret_value())
        client = httpx.Client(auth=auth, timeout=httpx.Timeout(settings.store_timeout))
        return RemoteStore(
            client,
            query_url=settings.sparql_query_url,
            update_url=settings.sparql_update_url,
            graph_store_url=settings.sparql_graph_store_url,
        )
    return OxigraphStore(None if settings.store_path == IN_MEMORY else settings.store_path)
