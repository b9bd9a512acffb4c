"""The store's version: every write advances it, a refused write does not, on every backend."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest

from service.errors import QuerySyntaxError, RdfSyntaxError
from service.stores import OxigraphStore, SparqlStore, VersionedStore
from tests.conftest import empty_remote_store

SYSTEM = "https://w3id.org/unkg/graph/system"


@pytest.fixture(params=["oxigraph", "remote"])
def backend(request: pytest.FixtureRequest) -> Iterator[tuple[SparqlStore, bool]]:
    if request.param == "oxigraph":
        store: SparqlStore = OxigraphStore()
        shared = False
    else:
        store = empty_remote_store(request.getfixturevalue("oxigraph_server"))
        shared = True
    yield store, shared
    store.close()


def test_writes_advance_the_version_and_refused_writes_do_not(backend: tuple[SparqlStore, bool]) -> None:
    store, shared = backend
    versioned = VersionedStore(store, version_graph=SYSTEM, shared=shared)
    assert versioned.version() == 0
    assert versioned.modified() is None
    versioned.update("INSERT DATA { <urn:a> <urn:p> <urn:b> }")
    assert versioned.version() == 1
    versioned.load(b"<urn:c> <urn:p> <urn:d> .", media_type="application/n-triples", graph="urn:g")
    assert versioned.version() == 2
    with pytest.raises(QuerySyntaxError):
        versioned.update("INSERT DATA { <urn:x> ")
    with pytest.raises(RdfSyntaxError):
        versioned.load(b"<urn:x> <urn:p> .", media_type="application/n-triples")
    assert versioned.version() == 2
    modified = versioned.modified()
    assert modified is not None
    assert datetime.datetime.fromisoformat(modified.replace("Z", "+00:00")).year >= 2024


def test_a_shared_store_sees_the_writes_of_other_servers(oxigraph_server: str) -> None:
    store = empty_remote_store(oxigraph_server, graph_store=False)
    first = VersionedStore(store, version_graph=SYSTEM, shared=True)
    second = VersionedStore(store, version_graph=SYSTEM, shared=True)
    assert (first.version(), second.version()) == (0, 0)
    first.update("INSERT DATA { <urn:a> <urn:p> <urn:b> }")
    assert second.version() == 1
    store.close()
