"""The catalog: the JSON API's records, read from the store at its current version and kept per version.

Answering from plain records keeps every endpoint of the API in milliseconds whatever the size of
the graph (the status questions aggregate over every assessment, which takes the store seconds at
1M triples). A write moves the store's version, and the next request reads a new catalog.
"""

from __future__ import annotations

import gc
import threading
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

    def __init__(self, *, base_iri: str) -> None:
        self.base_iri = base_iri
        self._current: CatalogView | None = None
        self._lock = threading.Lock()

    def cached(self, store: VersionedStore) -> CatalogView | None:
        """The catalog of the store's current version when that is known without any I/O, else None."""
        view = self._current
        version = store.known_version()
        return view if view is not None and version is not None and view.catalog.version == version else None

    def current(self, store: VersionedStore) -> CatalogView:
        version = store.version()
        view = self._current
        if view is not None and view.catalog.version == version:
            return view
        with self._lock:
            # Another request may have read it while this one waited.
            view = self._current
            if view is None or view.catalog.version != version:
                catalog = load_catalog(store, base_iri=self.base_iri, version=version)
                view = self._current = CatalogView(catalog, SearchIndex(catalog), StatusIndex(catalog))
                # Keep the records out of the cycle collector's full passes: at 1M triples one pass
                # over them took 120 ms, every thread stopped, a few times a minute under load.
                # Refcounting still frees an old catalog (its records hold no cycles).
                gc.collect()
                gc.freeze()
            return view
