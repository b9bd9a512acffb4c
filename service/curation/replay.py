"""Librarians' changes survive a new release of the bundled data or of the extractors.

A bundled or ingested graph is replaced whole when its files (or the extractor) change. Curated, it
is its base plus the diffs of the changesets applied to it, in order; so after the base is replaced,
the same diffs are applied again, in order, in one update: the new base with the librarians' work on
it (a removal of what the new base no longer has changes nothing). Without this, an upgrade would
silently drop every curated triple of those graphs while their history still showed them applied.
"""

from __future__ import annotations

import logging

import pyoxigraph

from service.curation.changesets import STATUSES, data_update, parse_patch
from service.curation.history import History
from service.stores.versioned import VersionedStore

logger = logging.getLogger(__name__)


def replay_curation(store: VersionedStore, graph: str, *, base_iri: str) -> int:
    """Apply again, in the order they were applied, every applied changeset of `graph`; return how
    many there were."""
    applied = History(store, base_iri).find(
        graph=pyoxigraph.NamedNode(graph), state=pyoxigraph.NamedNode(str(STATUSES["applied"]))
    )
    # In the order they were applied (the store version each made), not submitted.
    ordered = sorted(applied, key=lambda item: (item["sequence"] or 0, item["at"]))
    changes = [parse_patch(item["patch"], graph=graph) for item in ordered]
    parts = [part for change in changes for part in data_update(change, layout=store.layout)]
    if parts:
        store.update(" ;\n".join(parts))
        logger.warning("%s was replaced: %d curated changesets applied to it again", graph, len(applied))
    return len(applied)
