"""A new release of the bundled data or of the extractors replaces their graphs; the librarians'
changesets to those graphs are applied again on the new base, so no curated triple is lost."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from service.app import create_app
from service.cli import app as cli
from service.settings import Settings
from service.tokens import TokenStore
from tests.conftest import ROOT
from tests.curation.conftest import DOCUMENT, graph_of, title, versions

WIPO = "https://w3id.org/unkg/id/body/wipo"
ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
REFERENCE = "https://w3id.org/unkg/graph/reference"


def test_curated_triples_survive_a_new_bundle_and_a_new_extraction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    shutil.copytree(ROOT / "data" / "sources", data / "sources")
    settings = Settings(
        store_path=str(tmp_path / "store"),
        ontology_path=ROOT / "ontology",
        shapes_path=ROOT / "shapes",
        data_path=data,
        queries_path=ROOT / "queries",
        tokens_path=tmp_path / "tokens.json",
    )
    _, secret = TokenStore(settings.tokens_path).create(name="Librarian", role="curator")
    curator = {"Authorization": f"Bearer {secret}"}
    with TestClient(create_app(settings)) as client:
        label = {
            "graph": REFERENCE,
            "message": "French short name",
            "additions": f'<{WIPO}> <{ALT_LABEL}> "OMPI"@fr .',
        }
        assert (
            client.post(
                "/api/changesets", json=label, headers={**curator, **versions(client, WIPO)}
            ).status_code
            == 201
        )
        source_graph = graph_of(client, DOCUMENT)
        french = {"graph": source_graph, "message": "French title", "additions": title("Examen", "fr")}
        assert (
            client.post(
                "/api/changesets", json=french, headers={**curator, **versions(client, DOCUMENT)}
            ).status_code
            == 201
        )

    # A new release: the reference data gains a line, and the sources are extracted again.
    bodies = data / "reference" / "bodies.ttl"
    bodies.write_text(
        bodies.read_text(encoding="utf-8") + f'\n<{WIPO}> <{ALT_LABEL}> "WIPO (new release)"@en .\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    for name, value in settings.model_dump().items():
        if value is not None and not isinstance(value, list):
            monkeypatch.setenv(f"UNKG_{name.upper()}", str(value))
    ingested = CliRunner().invoke(cli, ["ingest", "--force"])
    assert ingested.exit_code == 0, ingested.output

    with TestClient(create_app(settings)) as client:
        rows = client.get(
            "/sparql",
            params={"query": f"SELECT ?l WHERE {{ GRAPH <{REFERENCE}> {{ <{WIPO}> <{ALT_LABEL}> ?l }} }}"},
            headers={"Accept": "application/sparql-results+json"},
        ).json()["results"]["bindings"]
        labels = {row["l"]["value"] for row in rows}
        assert {"OMPI", "WIPO (new release)"} <= labels, labels
        assert client.get("/api/documents/JIU/REP/2024/4").json()["title"]["fr"] == "Examen"
