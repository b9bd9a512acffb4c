"""`unkg ingest` as a librarian runs it: whole sources, idempotent, and failures that lose nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli import app
from service.stores import OxigraphStore
from tests.conftest import ROOT
from tests.ingest.conftest import WIPO, values

GRAPH = "https://w3id.org/unkg/graph/source/wo-pbc-38-2-jiu-recommendations-progress"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled data (the five sources and the reference data), and settings pointing at it."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    shutil.copytree(ROOT / "data" / "sources", data / "sources")
    monkeypatch.setenv("UNKG_STORE_PATH", str(tmp_path / "store"))
    monkeypatch.setenv("UNKG_ONTOLOGY_PATH", str(ROOT / "ontology"))
    monkeypatch.setenv("UNKG_SHAPES_PATH", str(ROOT / "shapes"))
    monkeypatch.setenv("UNKG_DATA_PATH", str(data))
    return tmp_path


def graph_size(store_path: Path, graph: str) -> list[str]:
    store = OxigraphStore(str(store_path))
    try:
        return values(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")  # type: ignore[arg-type]
    finally:
        store.close()


def test_ingest_twice_writes_once_and_the_store_validates(runner: CliRunner, project: Path) -> None:
    first = runner.invoke(app, ["ingest"])
    assert first.exit_code == 0, first.output
    kinds = ["jiu_report", "jiu_progress_report", "ceb_annual_overview_report", "secretary_general_report"]
    assert all(f"as {kind}:" in first.output for kind in kinds)
    assert first.output.count("ingested ") == 5
    before = graph_size(project / "store", GRAPH)
    second = runner.invoke(app, ["ingest"])
    assert second.exit_code == 0, second.output
    assert second.output.count("unchanged:") == 5
    assert graph_size(project / "store", GRAPH) == before
    validated = runner.invoke(app, ["validate"])
    assert validated.exit_code == 0, validated.output
    assert "no violations" in validated.output


def test_a_broken_source_fails_by_name_and_keeps_its_previous_graph(runner: CliRunner, project: Path) -> None:
    assert runner.invoke(app, ["ingest"]).exit_code == 0
    before = graph_size(project / "store", GRAPH)
    source = project / "data" / "sources" / WIPO.name
    source.write_text("\n".join(WIPO.read_text(encoding="utf-8").splitlines()[:600]), encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(source)])
    assert result.exit_code == 1
    assert f"error: {source}:600: {source.name} ends before its closing line" in result.output.replace(
        "\n", ""
    )
    assert graph_size(project / "store", GRAPH) == before


def test_facts_that_break_a_shape_are_not_written(runner: CliRunner, project: Path) -> None:
    source = project / "data" / "sources" / WIPO.name
    # A committee session that ends before it starts: the extractor states it, the shapes refuse it.
    text = WIPO.read_text(encoding="utf-8").replace("2025年 5月 19日至 23日", "2025年 5月 29日至 23日")
    source.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(source)])
    assert result.exit_code == 1
    assert "SHACL violations; its graph was left as it was" in result.output
    assert "https://w3id.org/unkg/id/session/wipo-pbc/38" in result.output
    assert graph_size(project / "store", GRAPH) == ["0"]
