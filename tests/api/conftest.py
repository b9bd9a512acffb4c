"""The JSON API over the bundled sources, ingested at start-up as `unkg serve` does (one app per module)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.sparql.results import select
from service.stores import OxigraphStore
from tests.ingest.conftest import ingest_settings

PREFIXES = """PREFIX unkg: <https://w3id.org/unkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX org: <http://www.w3.org/ns/org#>
"""


@pytest.fixture(scope="module")
def bundled() -> Iterator[TestClient]:
    store = OxigraphStore()
    with TestClient(create_app(ingest_settings(), store=store)) as client:
        yield client
    store.close()


def sparql(client: TestClient, query: str) -> list[dict[str, str]]:
    """Rows of a SELECT over the app's store, as strings: what the API's answers are checked against."""
    store = client.app.state.store  # type: ignore[attr-defined]
    return [{name: str(value) for name, value in row.items()} for row in select(store, PREFIXES + query)]


def every_item(client: TestClient, url: str) -> list[dict[str, Any]]:
    """All items of a list, following `next` from page to page."""
    items: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url:
        response = client.get(next_url)
        assert response.status_code == 200, response.text
        page = response.json()
        items += page["items"]
        next_url = page["next"]
    return items
