"""Fixtures of the curation tests: an app over the ingested sources (one per test module, so that
each module starts from the same graph), its token store, a curator, and helpers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.sparql.results import select
from service.stores import OxigraphStore
from service.tokens import TokenStore
from tests.ingest.conftest import ingest_settings

DOCUMENT = "https://w3id.org/unkg/id/document/jiu-rep-2024-4"
DCT_TITLE = "http://purl.org/dc/terms/title"
UNKG = "https://w3id.org/unkg/ontology#"


@pytest.fixture(scope="module")
def tokens(tmp_path_factory: pytest.TempPathFactory) -> TokenStore:
    return TokenStore(tmp_path_factory.mktemp("var") / "tokens.json")


@pytest.fixture(scope="module")
def client(tokens: TokenStore) -> Iterator[TestClient]:
    # These tests hold writes to If-Match everywhere, as a deployment may (`require_if_match`); the
    # default, If-Match honoured when sent, is tested in test_sparql_update_standard.py.
    settings = ingest_settings().model_copy(update={"tokens_path": tokens.path, "require_if_match": True})
    store = OxigraphStore()
    with TestClient(create_app(settings, store=store)) as test_client:
        yield test_client
    store.close()


@pytest.fixture(scope="module")
def curator(tokens: TokenStore) -> dict[str, str]:
    _, text = tokens.create(name="Li Wei, UN Library", role="curator")
    return {"Authorization": f"Bearer {text}"}


def graph_of(client: TestClient, node: str) -> str:
    rows = select(client.app.state.store, f"SELECT ?g WHERE {{ GRAPH ?g {{ <{node}> a ?c }} }} LIMIT 1")  # type: ignore[attr-defined]
    return str(rows[0]["g"])


def a_wipo_status(client: TestClient) -> tuple[str, str]:
    rows = select(
        client.app.state.store,  # type: ignore[attr-defined]
        f"""SELECT ?s ?g WHERE {{ GRAPH ?g {{ ?s <{UNKG}organization> <https://w3id.org/unkg/id/body/wipo> ;
            a <{UNKG}StatusAssessment> }} }} ORDER BY ?s LIMIT 1""",
    )
    return str(rows[0]["s"]), str(rows[0]["g"])


def quads(client: TestClient) -> int:
    rows = select(client.app.state.store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")  # type: ignore[attr-defined]
    return int(rows[0]["n"])


def graph_size(client: TestClient, graph: str) -> int:
    rows = select(
        client.app.state.store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    )  # type: ignore[attr-defined]
    return int(rows[0]["n"])


def versions(client: TestClient, *resources: str) -> dict[str, str]:
    """If-Match naming the current version of each resource, read as a librarian's client would."""
    tags = []
    for resource in resources:
        response = client.get("/doc/" + resource.removeprefix("https://w3id.org/unkg/id/"))
        assert response.status_code == 200, resource
        tags.append(response.headers["etag"])
    return {"If-Match": ", ".join(tags)}


def title(text: str, language: str) -> str:
    return f'<{DOCUMENT}> <{DCT_TITLE}> "{text}"@{language} .'
