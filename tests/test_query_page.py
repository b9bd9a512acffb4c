"""The HTML query page browsers get at /sparql, and its examples, each run against the bundled data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.query_page import EXAMPLES
from service.stores import OxigraphStore
from tests.ingest.conftest import ingest_settings

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def bundled() -> Iterator[TestClient]:
    """The app over the bundled data, ingested at start-up as `unkg serve` does."""
    store = OxigraphStore()
    with TestClient(create_app(ingest_settings(), store=store)) as client:
        yield client
    store.close()


def test_a_browser_gets_the_query_page(client: TestClient) -> None:
    response = client.get("/sparql", headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "Accept" in response.headers["vary"]
    page = response.text
    assert '<textarea id="query"' in page
    assert 'id="highlighted"' in page  # the highlighting layer under the editor
    assert "PREFIX unkg: &lt;https://w3id.org/unkg/ontology#&gt;" in page  # the first example, escaped
    for example in EXAMPLES:
        assert example.title in page
    assert '"http://testserver/sparql"' in page  # the page queries the endpoint it came from


def test_clients_that_do_not_ask_for_html_still_get_the_service_description(client: TestClient) -> None:
    for accept in ("", "*/*", "text/turtle"):
        response = client.get("/sparql", headers={"Accept": accept} if accept else {})
        assert response.headers["content-type"].startswith("text/turtle"), accept


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.title for e in EXAMPLES])
def test_every_example_finds_something_in_the_bundled_data(bundled: TestClient, example: object) -> None:
    response = bundled.post("/sparql", data={"query": example.query})  # type: ignore[attr-defined]
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"], example.title  # type: ignore[attr-defined]
