"""After a write, the JSON API never waits for a slow catalog read: it answers from the previous
catalog, saying so, until the new one is read in the background (`catalog_wait`)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.stores import OxigraphStore
from service.tokens import TokenStore
from tests.curation.conftest import DOCUMENT, graph_of, title, versions
from tests.ingest.conftest import ingest_settings

API = "/api/documents/JIU/REP/2024/4"


@pytest.fixture(scope="module")
def slow_catalog(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """catalog_wait=0: every catalog read counts as slow, as a read at 1M triples (9.5 s) does."""
    tokens = TokenStore(tmp_path_factory.mktemp("var") / "tokens.json")
    _, secret = tokens.create(name="Librarian", role="curator")
    settings = ingest_settings().model_copy(update={"tokens_path": tokens.path, "catalog_wait": 0.0})
    store = OxigraphStore()
    with TestClient(create_app(settings, store=store)) as client:
        yield client, {"Authorization": f"Bearer {secret}"}
    store.close()


def test_after_a_write_answers_come_from_the_previous_catalog_until_the_new_one_is_read(
    slow_catalog: tuple[TestClient, dict[str, str]],
) -> None:
    client, curator = slow_catalog
    first = client.get(API)
    before = first.headers["unkg-catalog-version"]
    assert "unkg-catalog-stale" not in first.headers
    body = {"graph": graph_of(client, DOCUMENT), "message": "m", "additions": title("Esame", "it")}
    assert (
        client.post(
            "/api/changesets", json=body, headers={**curator, **versions(client, DOCUMENT)}
        ).status_code
        == 201
    )
    stale = client.get(API)
    assert stale.headers["unkg-catalog-version"] == before and "unkg-catalog-stale" in stale.headers
    assert "it" not in stale.json()["title"]
    deadline = time.monotonic() + 60
    while True:
        fresh = client.get(API)
        if "unkg-catalog-stale" not in fresh.headers:
            break
        assert time.monotonic() < deadline, "the catalog was never read again"
        time.sleep(0.05)
    assert int(fresh.headers["unkg-catalog-version"]) > int(before)
    assert fresh.json()["title"]["it"] == "Esame"
