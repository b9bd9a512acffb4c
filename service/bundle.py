"""The bundled graphs: ontology, shapes, reference data and the ingested sources, installed idempotently."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph

from service.curation.replay import replay_curation
from service.ingest.pipeline import Outcome, ingest, source_files
from service.rdf import graph_iri, media_type_for_path, rdf_format
from service.settings import Settings
from service.stores.versioned import VersionedStore
from service.validation import Validator, read_directory

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BundledGraph:
    """One named graph made of every RDF file of one directory."""

    graph: str
    files: tuple[Path, ...]

    def checksum(self) -> str:
        digest = hashlib.sha256()
        for path in self.files:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        return digest.hexdigest()

    def read(self) -> bytes:
        """All files as one N-Triples document (Turtle prefixes do not carry across files)."""
        triples: list[pyoxigraph.Triple] = []
        for path in self.files:
            fmt = rdf_format(media_type_for_path(path))
            triples.extend(quad.triple for quad in pyoxigraph.parse(path=path, format=fmt))
        return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES) or b""


def bundled_graphs(settings: Settings) -> list[BundledGraph]:
    """The graphs `unkg serve` installs, from the directories in `settings`."""
    directories = {
        "ontology": settings.ontology_path,
        "shapes": settings.shapes_path,
        "reference": settings.data_path / "reference",
    }
    bundle = []
    for name, directory in directories.items():
        files = tuple(sorted(directory.glob("*.ttl")))
        if files:
            bundle.append(BundledGraph(graph=graph_iri(settings.base_iri, name), files=files))
    return bundle


def install_bundle(store: VersionedStore, bundle: list[BundledGraph], *, base_iri: str) -> list[str]:
    """Replace each bundled graph whose files changed since it was installed; return those graphs.

    Checksums are kept in the system graph, so a second start with the same files writes nothing. The
    librarians' changesets to a replaced graph are applied to it again (see service.curation.replay).
    """
    installed = store.system.checksums(store)
    changed = []
    for bundled in bundle:
        checksum = bundled.checksum()
        if installed.get(bundled.graph) == checksum:
            continue
        count = store.load(
            bundled.read(), media_type="application/n-triples", graph=bundled.graph, replace=True
        )
        store.update(store.system.set_checksum(bundled.graph, checksum))
        logger.info("installed %s (%d triples from %d files)", bundled.graph, count, len(bundled.files))
        replay_curation(store, bundled.graph, base_iri=base_iri)
        changed.append(bundled.graph)
    return changed


def install_sources(
    store: VersionedStore, settings: Settings, *, paths: list[Path] | None = None, force: bool = False
) -> list[Outcome]:
    """Ingest the bundled sources (or `paths`), each into its own graph, skipping those unchanged."""
    if paths is None:
        bundled = settings.data_path / "sources"
        paths = [bundled] if bundled.is_dir() else []
    files = source_files(paths)
    if not files:
        return []
    validator = Validator.from_directories(
        shapes_path=settings.shapes_path, ontology_path=settings.ontology_path
    )
    reference = read_directory(settings.data_path / "reference")
    return ingest(
        store, files, base_iri=settings.base_iri, reference=reference, validator=validator, force=force
    )
