"""Fixtures for ingestion: the real sources, variants of them, and a store they were ingested into."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from service.bundle import install_sources
from service.ingest.bodies import BodyIndex
from service.ingest.pipeline import Outcome
from service.settings import IN_MEMORY, Settings
from service.sparql.results import select
from service.stores import OxigraphStore, SparqlStore, versioned
from tests.conftest import ROOT

SOURCES = ROOT / "data" / "sources"
JIU = SOURCES / "jiu-2024-mutual-recognition.zh.txt"
WIPO = SOURCES / "WO-PBC-38-2-jiu-recommendations-progress.zh.txt"
CEB_2019 = SOURCES / "ceb-annual-overview-2019.zh.txt"
CEB_2007 = SOURCES / "ceb-annual-overview-2006-2007.zh.txt"
SG = SOURCES / "A-75-201-management-reform.zh.txt"
PREFIXES = """PREFIX unkg: <https://w3id.org/unkg/ontology#>
PREFIX id: <https://w3id.org/unkg/id/>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
"""


def ingest_settings() -> Settings:
    """Settings that read the repository's ontology, shapes and reference data, with an in-memory store."""
    return Settings(
        store_path=IN_MEMORY,
        ontology_path=ROOT / "ontology",
        shapes_path=ROOT / "shapes",
        data_path=ROOT / "data",
        queries_path=ROOT / "queries",
    )


def ingest_files(store: SparqlStore, settings: Settings, *paths: Path) -> list[Outcome]:
    """Ingest `paths` as the service does: through the versioned store, which keeps the default graph
    the union of the data graphs (in `store` itself, which the tests then read)."""
    return install_sources(versioned(store, settings), settings, paths=list(paths))


def rows(store: OxigraphStore, query: str) -> list[dict[str, str]]:
    return [{name: str(value) for name, value in row.items()} for row in select(store, PREFIXES + query)]


def values(store: OxigraphStore, query: str) -> list[str]:
    return [next(iter(row.values())) for row in rows(store, query)]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    """A store with the JIU report and WIPO's progress report ingested (read-only for the tests)."""
    store = OxigraphStore()
    outcomes = ingest_files(store, ingest_settings(), JIU, WIPO)
    assert [o.status for o in outcomes] == ["ingested", "ingested"], [o.error for o in outcomes]
    yield store
    store.close()


def variant(tmp_path: Path, original: Path, edit: object, *, name: str | None = None) -> Path:
    """A copy of `original` changed by `edit(lines) -> lines`, under the same or another file name."""
    lines = original.read_text(encoding="utf-8").split("\n")
    changed = edit(lines)  # type: ignore[operator]
    path = tmp_path / (name or original.name)
    path.write_text("\n".join(changed), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def five() -> Iterator[OxigraphStore]:
    """The five sources, ingested once for the whole run (read-only for the tests)."""
    store = OxigraphStore()
    outcomes = ingest_files(store, ingest_settings(), CEB_2019, CEB_2007, SG, JIU, WIPO)
    assert [o.status for o in outcomes] == ["ingested"] * 5, [o.error for o in outcomes]
    yield store
    store.close()


@pytest.fixture(scope="session")
def bodies() -> BodyIndex:
    """The bodies (and documents known by title) of the reference data, as ingestion reads them."""
    reference = Graph()
    for path in sorted((ROOT / "data" / "reference").glob("*.ttl")):
        reference.parse(path)
    return BodyIndex(reference)
