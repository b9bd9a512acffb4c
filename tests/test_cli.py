"""The `unkg` command line, run as a user runs it, on a real store on disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from service.cli import app
from tests.conftest import FIXTURES, ROOT

WIPO_TTL = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/unkg/id/body/wipo>
    skos:prefLabel "World Intellectual Property Organization"@en , "世界知识产权组织"@zh .
"""
LABEL_QUERY = (
    "SELECT ?label WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?label } ORDER BY ?label"
)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings through the environment, as a deployment sets them; returns the store directory."""
    store_path = tmp_path / "store"
    monkeypatch.setenv("UNKG_STORE_PATH", str(store_path))
    monkeypatch.setenv("UNKG_ONTOLOGY_PATH", str(ROOT / "ontology"))
    monkeypatch.setenv("UNKG_SHAPES_PATH", str(ROOT / "shapes"))
    monkeypatch.setenv("UNKG_DATA_PATH", str(tmp_path / "data"))
    return store_path


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_load_then_query_prints_a_table_of_results(runner: CliRunner, env: Path, tmp_path: Path) -> None:
    data = write(tmp_path / "wipo.ttl", WIPO_TTL)
    loaded = runner.invoke(app, ["load", str(data), "--graph", "https://w3id.org/unkg/graph/test"])
    assert loaded.exit_code == 0, loaded.output
    assert f"loaded 2 triples from {data} into https://w3id.org/unkg/graph/test in" in loaded.output
    assert "triples/s" in loaded.output
    queried = runner.invoke(app, ["query", LABEL_QUERY])
    assert queried.exit_code == 0, queried.output
    assert "World Intellectual Property Organization@en" in queried.output
    assert "世界知识产权组织@zh" in queried.output
    assert queried.output.rstrip().endswith("2 rows")


def test_a_file_with_a_syntax_error_is_named_with_line_and_column_and_loads_nothing(
    runner: CliRunner, env: Path, tmp_path: Path
) -> None:
    good = write(tmp_path / "good.ttl", WIPO_TTL)
    bad = write(tmp_path / "bad.ttl", '<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> "unterminated .\n')
    result = runner.invoke(app, ["load", str(bad), str(good)])
    assert result.exit_code == 1
    assert f"{bad}:2:17: Unexpected end of file; nothing of {bad} was loaded" in result.output.replace(
        "\n", ""
    )
    counted = runner.invoke(
        app,
        [
            "query",
            "--format",
            "csv",
            "SELECT DISTINCT ?s WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?o } ORDER BY ?s",
        ],
    )
    assert counted.output.splitlines() == ["s", "https://w3id.org/unkg/id/body/wipo"]


def test_a_file_of_unknown_syntax_is_refused_by_name(runner: CliRunner, env: Path, tmp_path: Path) -> None:
    data = write(tmp_path / "notes.txt", "hello")
    result = runner.invoke(app, ["load", str(data)])
    assert result.exit_code == 1
    assert "cannot tell the RDF syntax of notes.txt" in result.output


def test_query_in_a_chosen_format_prints_that_format(runner: CliRunner, env: Path, tmp_path: Path) -> None:
    runner.invoke(app, ["load", str(write(tmp_path / "wipo.ttl", WIPO_TTL))])
    result = runner.invoke(
        app,
        [
            "query",
            "-f",
            "turtle",
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(!CONTAINS(STR(?s), '/graph/')) }",
        ],
    )
    assert result.exit_code == 0
    assert isomorphic(
        Graph().parse(data=result.stdout, format="turtle"), Graph().parse(data=WIPO_TTL, format="turtle")
    )
    result = runner.invoke(app, ["query", "-f", "json", LABEL_QUERY])
    bindings = json.loads(result.stdout)["results"]["bindings"]
    assert [b["label"]["value"] for b in bindings] == [
        "World Intellectual Property Organization",
        "世界知识产权组织",
    ]


def test_a_malformed_query_exits_2_with_the_parser_position(runner: CliRunner, env: Path) -> None:
    result = runner.invoke(app, ["query", "SELECT * WHERE { ?s ?p }"])
    assert result.exit_code == 2
    assert "error: error at 1:25" in result.output


def test_dump_writes_trig_that_reads_back_the_same(runner: CliRunner, env: Path, tmp_path: Path) -> None:
    graph = "https://w3id.org/unkg/graph/test"
    runner.invoke(app, ["load", str(write(tmp_path / "wipo.ttl", WIPO_TTL)), "--graph", graph])
    output = tmp_path / "dump.trig"
    result = runner.invoke(app, ["dump", "-o", str(output)])
    assert result.exit_code == 0, result.output
    dumped = Dataset().parse(output, format="trig")
    assert isomorphic(dumped.graph(URIRef(graph)), Graph().parse(data=WIPO_TTL, format="turtle"))
    nquads = runner.invoke(app, ["dump", "--format", "nquads"])
    assert nquads.stdout.count(f"<{graph}> .") == 2


def test_install_is_idempotent_and_the_bundled_graphs_validate(runner: CliRunner, env: Path) -> None:
    first = runner.invoke(app, ["install"])
    assert first.exit_code == 0, first.output
    assert "installed: https://w3id.org/unkg/graph/ontology (2 files)" in first.output
    assert "installed: https://w3id.org/unkg/graph/shapes (1 file)" in first.output
    second = runner.invoke(app, ["install"])
    assert "up to date: https://w3id.org/unkg/graph/ontology (2 files)" in second.output
    validated = runner.invoke(app, ["validate"])
    assert validated.exit_code == 0, validated.output
    assert "no violations" in validated.output


def test_validate_files_with_violations_exits_1_and_names_focus_node_path_and_shape(
    runner: CliRunner, env: Path, tmp_path: Path
) -> None:
    prefixes = (FIXTURES / "shapes" / "prefixes.ttl").read_text(encoding="utf-8")
    world = (FIXTURES / "shapes" / "world.ttl").read_text(encoding="utf-8")
    invalid = (FIXTURES / "shapes" / "StatusAssessmentShape" / "invalid.ttl").read_text(encoding="utf-8")
    data = write(tmp_path / "assessment.ttl", prefixes + world + invalid)
    result = runner.invoke(app, ["validate", "--format", "json", "--lang", "zh", str(data)])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["conforms"] is False
    found = {(r["focusNode"], r["path"], r["shape"], r["message"]) for r in report["results"]}
    assert (
        "urn:unkg:test:subject",
        "https://w3id.org/unkg/ontology#asOf",
        "https://w3id.org/unkg/shapes#StatusAssessmentShape",
        "落实情况评估须有且仅有一个截至日期，类型为 xsd:date。",
    ) in found
    text = runner.invoke(app, ["validate", str(data)])
    assert text.exit_code == 1
    assert "does not conform: 3 violations" in text.output


def test_validate_names_the_line_of_a_file_that_does_not_parse(
    runner: CliRunner, env: Path, tmp_path: Path
) -> None:
    bad = write(tmp_path / "bad.ttl", "<urn:a> <urn:b> .\n")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:1:17" in result.output.replace("\n", "")


def test_a_store_path_whose_parents_do_not_exist_yet_is_created(
    runner: CliRunner, env: Path, tmp_path: Path
) -> None:
    nested = tmp_path / "var" / "deep" / "store"
    result = runner.invoke(app, ["--store-path", str(nested), "install"])
    assert result.exit_code == 0, result.output
    assert (nested / "CURRENT").is_file()


def test_flags_win_over_the_environment(runner: CliRunner, env: Path, tmp_path: Path) -> None:
    other = tmp_path / "other-store"
    runner.invoke(app, ["--store-path", str(other), "load", str(write(tmp_path / "wipo.ttl", WIPO_TTL))])
    assert other.is_dir()
    assert not env.exists()


def test_impossible_settings_are_refused_before_anything_runs(
    runner: CliRunner, env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UNKG_STORE", "remote")
    result = runner.invoke(app, ["query", "ASK {}"])
    assert result.exit_code == 2
    assert "store=remote needs UNKG_SPARQL_QUERY_URL and UNKG_SPARQL_UPDATE_URL" in result.output


def test_validate_without_shapes_says_where_it_looked(runner: CliRunner, env: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["--shapes-path", str(tmp_path / "nowhere"), "validate"])
    assert result.exit_code == 2
    assert f"no Turtle files in {tmp_path / 'nowhere'}" in result.output.replace("\n", "")


def test_help_documents_the_environment_variables(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "200"})
    for variable in (
        "UNKG_STORE",
        "UNKG_STORE_PATH",
        "UNKG_SPARQL_QUERY_URL",
        "UNKG_BASE_IRI",
        "UNKG_SPARQL_PASSWORD",
    ):
        assert variable in result.output


def test_load_says_where_the_triples_went_and_a_bare_store_keeps_its_own_default_graph(
    runner: CliRunner, env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = write(tmp_path / "wipo.ttl", WIPO_TTL)
    # The union default graph: triples without a graph go to the write graph, in the union.
    union = runner.invoke(app, ["load", str(data)])
    assert union.exit_code == 0, union.output
    assert f"loaded 2 triples from {data} into https://w3id.org/unkg/graph/default in" in union.output
    counted = runner.invoke(app, ["query", "--format", "csv", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"])
    assert counted.output.splitlines()[-1] == "2", counted.output
    # A bare store elsewhere: the store's own default graph, nothing else in it.
    monkeypatch.setenv("UNKG_STORE_PATH", str(tmp_path / "bare"))
    bare = runner.invoke(app, ["--bare", "load", str(data)])
    assert bare.exit_code == 0, bare.output
    assert f"loaded 2 triples from {data} into the default graph in" in bare.output
    counted = runner.invoke(
        app, ["--bare", "query", "--format", "csv", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"]
    )
    assert counted.output.splitlines()[-1] == "2", counted.output
    graphs = runner.invoke(
        app, ["--bare", "query", "--format", "csv", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"]
    )
    # No data graph was made: the only named graph is unkg's own (the store's version).
    assert graphs.output.splitlines()[1:] == ["https://w3id.org/unkg/graph/system"], graphs.output


def test_audit_draws_the_same_seeded_sample_of_statements_with_the_lines_that_back_them(
    runner: CliRunner, env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UNKG_DATA_PATH", str(ROOT / "data"))
    source = ROOT / "data" / "sources" / "ceb-annual-overview-2019.zh.txt"
    assert runner.invoke(app, ["ingest", str(source)]).exit_code == 0
    first = runner.invoke(app, ["audit", "--size", "30", "--seed", "5"])
    assert first.exit_code == 0, first.output
    assert first.output.startswith("# Audit sample: 30 statements, seed 5")
    items = [
        line
        for line in first.output.splitlines()
        if line.startswith(tuple(f"{n}. [ ]" for n in range(1, 31)))
    ]
    assert len(items) == 30 and all("ceb-annual-overview-2019" in line for line in items)
    # Evidence nodes are how statements are checked, not statements to check.
    assert "ontology#Evidence>" not in first.output and "ontology#evidence>" not in first.output
    # Each statement quotes lines of the source, and the quotes are the source's own words.
    text = source.read_text(encoding="utf-8")
    quoted = [line.split(": ", 1)[1] for line in first.output.splitlines() if line.startswith("   - lines ")]
    assert quoted and all(quote.rstrip("…")[:40] in text for quote in quoted)
    assert runner.invoke(app, ["audit", "--size", "30", "--seed", "5"]).output == first.output
    assert runner.invoke(app, ["audit", "--size", "30", "--seed", "6"]).output != first.output


def test_every_setting_is_a_flag_described_in_help_and_in_the_readme_table(runner: CliRunner) -> None:
    from service.settings import ENVIRONMENT_ONLY, Settings, settings_table

    shown = runner.invoke(app, ["--help"], env={"COLUMNS": "300"}).output
    for name in Settings.model_fields:
        variable = "UNKG_" + name.upper()
        assert variable in shown, variable
        if name not in ENVIRONMENT_ONLY:
            assert "--" + name.replace("_", "-") in shown, name
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert settings_table() in readme, "README's settings table is stale: python -m service.settings"


def test_settings_issue_18_named_are_flags_that_work(runner: CliRunner, env: Path, tmp_path: Path) -> None:
    queries = tmp_path / "questions"
    queries.mkdir()
    ran = runner.invoke(app, ["--queries-path", str(queries), "--query-timeout", "5", "query", "ASK {}"])
    assert ran.exit_code == 0, ran.output
    assert ran.output.strip() == "true"
    refused = runner.invoke(app, ["--query-timeout", "soon", "query", "ASK {}"])
    assert refused.exit_code == 2 and "query_timeout" in refused.output


def test_a_command_run_in_a_subfolder_uses_its_deployment_s_store_not_a_new_one_where_it_runs(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deployment = tmp_path / "deployment"
    deployment.mkdir()
    for part in ("ontology", "shapes", "queries"):
        (deployment / part).symlink_to(ROOT / part)
    (deployment / "data").mkdir()
    for name in list(os.environ):
        if name.startswith("UNKG_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(deployment)
    data = write(tmp_path / "wipo.ttl", WIPO_TTL)
    assert (
        runner.invoke(app, ["load", str(data), "--graph", "https://w3id.org/unkg/graph/test"]).exit_code == 0
    )
    elsewhere = deployment / "notes" / "2026"
    elsewhere.mkdir(parents=True)
    monkeypatch.chdir(elsewhere)
    counted = runner.invoke(
        app,
        [
            "query",
            "--format",
            "csv",
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/unkg/graph/test> { ?s ?p ?o } }",
        ],
    )
    assert counted.exit_code == 0, counted.output
    assert counted.output.split() == ["n", "2"]
    assert not (elsewhere / "var").exists() and (deployment / "var" / "store").is_dir()


def test_a_store_a_running_server_holds_is_named_with_what_to_do_instead(
    runner: CliRunner, env: Path
) -> None:
    from service.stores import OxigraphStore

    held = OxigraphStore(str(env))  # as `unkg serve` holds it, in another process or this one
    try:
        result = runner.invoke(app, ["query", "ASK {}"])
    finally:
        held.close()
    assert result.exit_code == 2
    assert "in use by another process" in result.output and "unkg serve" in result.output
    assert "/sparql" in result.output and "LOCK" not in result.output


def test_load_checks_the_shapes_first_and_loads_nothing_of_a_file_that_breaks_them(
    runner: CliRunner, env: Path, tmp_path: Path
) -> None:
    nameless = write(
        tmp_path / "nameless.ttl",
        "<https://w3id.org/unkg/id/body/nameless> a <http://www.w3.org/ns/org#Organization> .\n",
    )
    refused = runner.invoke(
        app, ["load", str(nameless), "--graph", "https://w3id.org/unkg/graph/test"], env={"COLUMNS": "300"}
    )
    assert refused.exit_code == 1
    assert "does not conform" in refused.output and "body/nameless" in refused.output
    assert "nothing of it was loaded" in refused.output
    asked = "ASK { GRAPH ?g { <https://w3id.org/unkg/id/body/nameless> ?p ?o } }"
    assert runner.invoke(app, ["query", asked]).output.strip() == "false"
    loaded = runner.invoke(
        app, ["load", "--no-validate", str(nameless), "--graph", "https://w3id.org/unkg/graph/test"]
    )
    assert loaded.exit_code == 0 and "loaded 1 triple from" in loaded.output
    assert runner.invoke(app, ["query", asked]).output.strip() == "true"


def test_load_of_quads_with_graph_says_the_quads_keep_their_graphs(
    runner: CliRunner, env: Path, tmp_path: Path
) -> None:
    quads = write(tmp_path / "more.nq", '<urn:a> <urn:b> "c" <urn:own> .\n')
    loaded = runner.invoke(app, ["load", str(quads), "--graph", "https://w3id.org/unkg/graph/reference"])
    assert loaded.exit_code == 0, loaded.output
    assert "loaded 1 quad from" in loaded.output
    assert (
        "into the graphs it names (its default graph's triples into https://w3id.org/unkg/graph/reference)"
        in (loaded.output.replace("\n", ""))
    )
    where = runner.invoke(app, ["query", "--format", "csv", "SELECT ?g WHERE { GRAPH ?g { <urn:a> ?p ?o } }"])
    assert where.output.split() == ["g", "urn:own"]


def test_the_readme_s_unkg_command_runs_from_any_folder(tmp_path: Path) -> None:
    from service import __version__

    ran = subprocess.run(
        [str(ROOT / "unkg"), "version"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == __version__
    assert not (tmp_path / "var").exists()


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("SELECT * WHERE { ?s unknown:p ?o }", "the prefix 'unknown:' is not declared; add PREFIX unknown:"),
        ("INSERT DATA { <urn:a> <urn:b> 1 }", "this is a SPARQL update (INSERT), not a query"),
        ("PREFIX x: <urn:x:> DELETE WHERE { ?s x:p ?o }", "this is a SPARQL update (DELETE), not a query"),
    ],
)
def test_a_query_that_does_not_parse_is_explained_in_the_user_s_terms(
    runner: CliRunner, env: Path, query: str, said: str
) -> None:
    result = runner.invoke(app, ["query", query], env={"COLUMNS": "300"})
    assert result.exit_code == 2
    assert said in result.output
    assert "\\u{" not in result.output and "expected CONSTRUCT" not in result.output


def test_dump_of_a_graph_the_store_lacks_says_so(runner: CliRunner, env: Path) -> None:
    result = runner.invoke(app, ["dump", "--graph", "https://nope.example/g"])
    assert result.exit_code == 2
    assert "the store has no graph https://nope.example/g" in result.output


def test_dump_into_a_reader_that_stops_ends_quietly(env: Path, tmp_path: Path) -> None:
    data = write(
        tmp_path / "many.nt", "".join(f'<urn:s{n}> <urn:p> "{"x" * 200}" .\n' for n in range(20_000))
    )
    environment = {**os.environ, "UNKG_STORE_PATH": str(env)}
    loaded = subprocess.run(
        [sys.executable, "-m", "service", "load", "--no-validate", str(data), "--graph", "urn:g"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert loaded.returncode == 0, loaded.stderr
    dumped = subprocess.run(
        f"{sys.executable} -m service dump --format nquads | head -n 1",
        shell=True,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert dumped.stdout.count("\n") == 1
    assert "Broken pipe" not in dumped.stderr and "Traceback" not in dumped.stderr


def test_install_counts_files_as_a_person_would(
    runner: CliRunner, env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UNKG_DATA_PATH", str(ROOT / "data"))
    result = runner.invoke(app, ["install"])
    assert result.exit_code == 0, result.output
    assert "(1 files)" not in result.output and "(1 file)" in result.output


def test_a_format_that_does_not_fit_the_query_names_the_ones_that_do(runner: CliRunner, env: Path) -> None:
    result = runner.invoke(
        app, ["query", "-f", "turtle", "SELECT * WHERE { ?s ?p ?o }"], env={"COLUMNS": "300"}
    )
    assert result.exit_code == 2
    assert "--format turtle does not fit this query" in result.output
    assert "SELECT and ASK results come as table, json, xml, csv, tsv" in result.output
    assert "media types" not in result.output


def test_audit_of_a_graph_that_is_no_source_graph_says_so(runner: CliRunner, env: Path) -> None:
    for name in ("bad iri", "https://w3id.org/unkg/graph/ontology"):
        result = runner.invoke(app, ["audit", "--graph", name], env={"COLUMNS": "300"})
        assert result.exit_code == 2 and f"--graph {name} is no source graph" in result.output
