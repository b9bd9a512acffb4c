"""The catalog: the JSON API's records, read from the store at its current version and kept per version.

Answering from plain records keeps every endpoint of the API in milliseconds whatever the size of
the graph (the status questions aggregate over every assessment, which takes the store seconds at
1M triples). A write moves the store's version, and the next request reads a new catalog: at once
while reading one is quick (the bundled sources: a tenth of a second), or, once a read has taken
longer than `wait` seconds (9.5 s at 1M triples), in the background while requests are answered from
the previous catalog, saying so (`CatalogView.version` against the store's), so that a stream of
librarians' writes never holds the JSON API up.
"""

from __future__ import annotations

import gc
import threading
import time
from dataclasses import dataclass

from service.catalog.loading import load_catalog
from service.catalog.records import Catalog
from service.catalog.search import SearchIndex
from service.catalog.statuses import StatusIndex
from service.stores.versioned import VersionedStore

__all__ = ["Catalog", "CatalogCache", "CatalogView", "SearchIndex", "StatusIndex"]


@dataclass(frozen=True, slots=True)
class CatalogView:
    """One version's catalog, its search index and its status index."""

    catalog: Catalog
    search: SearchIndex
    statuses: StatusIndex


class CatalogCache:
    """The catalog of the store's current version, read again when the version moves."""

    def __init__(self, *, base_iri: str, wait: float = 2.0) -> None:
        self.base_iri = base_iri
        #: Seconds a read may have taken for the next one to be waited for; past it, read in the background.
        self.wait = wait
        self._current: CatalogView | None = None
        self._lock = threading.Lock()
        self._read_seconds = 0.0
        self._refreshing: threading.Thread | None = None
        # Not `_lock`, which a background read holds for seconds: starting one must not wait for it.
        self._starting = threading.Lock()

    def cached(self, store: VersionedStore) -> CatalogView | None:
        """The catalog to answer from when that is known without any I/O (the current version's, or the
        previous one while a slow read of the new one goes on), else None."""
        view = self._current
        version = store.known_version()
        if view is None or version is None:
            return None
        if view.catalog.version == version:
            return view
        return self._stale(store, view, version)

    def current(self, store: VersionedStore) -> CatalogView:
        version = store.version()
        view = self._current
        if view is not None and view.catalog.version == version:
            return view
        if view is not None:
            stale = self._stale(store, view, version)
            if stale is not None:
                return stale
        with self._lock:
            # Another request may have read it while this one waited.
            view = self._current
            if view is None or view.catalog.version != version:
                view = self._read(store, version)
            return view

    def _stale(self, store: VersionedStore, view: CatalogView, version: int) -> CatalogView | None:
        """`view` while the catalog of `version` is read in the background, when reads are slow."""
        if self._read_seconds <= self.wait:
            return None
        with self._starting:
            if self._refreshing is None or not self._refreshing.is_alive():
                self._refreshing = threading.Thread(
                    target=self._refresh, args=(store,), name="catalog-refresh", daemon=True
                )
                self._refreshing.start()
        return view

    def _refresh(self, store: VersionedStore) -> None:
        # Reads until it has caught up with the store: writes may land while it reads.
        while True:
            version = store.version()
            current = self._current
            if current is not None and current.catalog.version == version:
                return
            with self._lock:
                self._read(store, version)

    def _read(self, store: VersionedStore, version: int) -> CatalogView:
        """Read the catalog of `version` and make it current (the caller holds the lock)."""
        started = time.monotonic()
        catalog = load_catalog(store, base_iri=self.base_iri, version=version)
        view = self._current = CatalogView(catalog, SearchIndex(catalog), StatusIndex(catalog))
        self._read_seconds = time.monotonic() - started
        # Keep the records out of the cycle collector's full passes: at 1M triples one pass
        # over them took 120 ms, every thread stopped, a few times a minute under load.
        # Refcounting still frees an old catalog (its records hold no cycles).
        gc.collect()
        gc.freeze()
        return view
