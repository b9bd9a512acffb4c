"""Stores: `open_store(settings)` is the only place that picks a backend."""

from __future__ import annotations

import httpx

from service.rdf import graph_iri
from service.settings import IN_MEMORY, Settings
from service.stores.base import SparqlResult, SparqlStore
from service.stores.dataset import Layout, layout
from service.stores.oxigraph import OxigraphStore
from service.stores.remote import RemoteStore
from service.stores.supervised import SupervisedStore
from service.stores.versioned import VersionedStore

__all__ = [
    "OxigraphStore",
    "RemoteStore",
    "SparqlResult",
    "SparqlStore",
    "SupervisedStore",
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
        layout=layout_of(settings),
    )


def layout_of(settings: Settings) -> Layout:
    """The default graph `settings` ask for (see service/stores/dataset.py)."""
    base = settings.base_iri
    return layout(
        union=settings.union_default_graph,
        bookkeeping=[graph_iri(base, "history"), graph_iri(base, "system")],
        excluded=map(str, settings.union_excludes),
        write_graph=settings.default_write_graph or graph_iri(base, "default"),
    )


def open_store(settings: Settings, *, serving: bool = False) -> VersionedStore:
    """Open the store `settings` describe (the embedded one by default, or a remote endpoint), versioned.

    `serving` is for the web server, which answers anyone: there the embedded store on disk runs in a
    supervised engine process (unless `engine` says in-process); commands run it in their own.
    """
    return versioned(_open_backend(settings, serving=serving), settings)


def _open_backend(settings: Settings, *, serving: bool) -> SparqlStore:
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
    if settings.store_path == IN_MEMORY:
        return OxigraphStore(None)
    if serving and settings.engine == "process":
        return SupervisedStore(
            settings.store_path,
            network=bool(settings.service_allow_list),
            max_memory=settings.engine_max_memory,
            jemalloc=settings.engine_jemalloc,
        )
    return OxigraphStore(settings.store_path)
