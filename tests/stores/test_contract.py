"""One contract for every backend: the embedded store (in the process, and in a supervised engine
process on disk) and a real Oxigraph server over HTTP, reached through the Graph Store Protocol or
through SPARQL Update alone; each as the service uses it, versioned and with the union default graph
kept as the store's own (service/stores/dataset.py)."""

from __future__ import annotations

import gc
import io
import json
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from service.errors import NotAcceptable, QuerySyntaxError, RdfSyntaxError, UnsupportedMediaType
from service.rdf import RDF_MEDIA_TYPES, RESULTS_MEDIA_TYPES
from service.settings import Settings
from service.sparql.results import select
from service.stores import OxigraphStore, SparqlStore, SupervisedStore, versioned
from tests.conftest import empty_remote_store

G1 = "https://w3id.org/unkg/graph/test-1"
G2 = "https://w3id.org/unkg/graph/test-2"
WIPO = "https://w3id.org/unkg/id/body/wipo"
DATA = f"""
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<{WIPO}> skos:prefLabel "World Intellectual Property Organization"@en , "世界知识产权组织"@zh ;
    skos:notation "wipo" .
""".encode()
EXPECTED = Graph().parse(data=DATA, format="turtle")


@pytest.fixture(params=["oxigraph", "supervised", "remote", "remote-update-only"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SparqlStore]:
    if request.param == "oxigraph":
        store: SparqlStore = OxigraphStore()
    elif request.param == "supervised":
        store = SupervisedStore(str(tmp_path / "store"), network=False)
    else:
        url = request.getfixturevalue("oxigraph_server")
        store = empty_remote_store(url, graph_store=request.param == "remote")
    wrapped = versioned(store, Settings(store_path=":memory:", cache_bytes=0))
    yield wrapped
    wrapped.close()


#: Where the version is kept: the service's, not the data's.
SYSTEM = "https://w3id.org/unkg/graph/system"


def quads(store: SparqlStore) -> set[tuple[str, str, str, str]]:
    rows = select(store, f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{SYSTEM}>) }}")
    return {(str(r["s"]), str(r["p"]), r["o"].n3(), str(r["g"])) for r in rows}


def labels(store: SparqlStore) -> set[str]:
    rows = select(store, "SELECT ?label WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }")
    return {str(row["label"]) for row in rows}


def test_load_into_a_graph_is_seen_in_that_graph_and_in_the_union_default_graph(
    any_store: SparqlStore,
) -> None:
    count = any_store.load(DATA, media_type="text/turtle", graph=G1)
    assert count == 3
    assert labels(any_store) == {"World Intellectual Property Organization", "世界知识产权组织"}
    rows = select(
        any_store,
        f"SELECT ?o WHERE {{ GRAPH <{G1}> {{ ?s <http://www.w3.org/2004/02/skos/core#notation> ?o }} }}",
    )
    assert rows == [{"o": Literal("wipo")}]


def test_load_of_a_stream_reads_all_of_it(any_store: SparqlStore) -> None:
    lines = b"".join(f'<urn:s:{i}> <urn:p> "{i}" .\n'.encode() for i in range(5000))
    assert any_store.load(io.BytesIO(lines), media_type="application/n-triples", graph=G1) == 5000
    rows = select(any_store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}")
    assert int(rows[0]["n"]) == 5000  # type: ignore[call-overload]


def test_load_with_a_syntax_error_names_line_and_column_and_writes_nothing(any_store: SparqlStore) -> None:
    any_store.load(DATA, media_type="text/turtle", graph=G1)
    before = quads(any_store)
    broken = b'<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> "unterminated .\n'
    for data in (broken, io.BytesIO(broken)):
        with pytest.raises(RdfSyntaxError) as raised:
            any_store.load(data, media_type="text/turtle", graph=G2)
        assert (raised.value.line, raised.value.column) == (2, 17)
    assert quads(any_store) == before


def test_load_of_an_unknown_syntax_is_refused(any_store: SparqlStore) -> None:
    with pytest.raises(UnsupportedMediaType):
        any_store.load(DATA, media_type="text/plain", graph=G1)


def test_load_with_replace_empties_only_that_graph(any_store: SparqlStore) -> None:
    any_store.load(b"<urn:old> <urn:p> <urn:o> .", media_type="text/turtle", graph=G1)
    any_store.load(b"<urn:other> <urn:p> <urn:o> .", media_type="text/turtle", graph=G2)
    any_store.load(DATA, media_type="text/turtle", graph=G1, replace=True)
    graphs = {(s, g) for s, _, _, g in quads(any_store)}
    assert graphs == {(WIPO, G1), ("urn:other", G2)}


def test_load_of_trig_keeps_its_graphs(any_store: SparqlStore) -> None:
    trig = f"<{G1}> {{ <urn:a> <urn:p> <urn:b> }} <{G2}> {{ <urn:c> <urn:p> <urn:d> }}".encode()
    assert any_store.load(trig, media_type="application/trig") == 2
    assert {(s, g) for s, _, _, g in quads(any_store)} == {("urn:a", G1), ("urn:c", G2)}


def test_update_inserts_and_deletes(any_store: SparqlStore) -> None:
    any_store.update(f"INSERT DATA {{ GRAPH <{G1}> {{ <urn:a> <urn:p> <urn:b> , <urn:c> }} }}")
    any_store.update(f"DELETE DATA {{ GRAPH <{G1}> {{ <urn:a> <urn:p> <urn:b> }} }}")
    assert quads(any_store) == {("urn:a", "urn:p", "<urn:c>", G1)}


def test_malformed_update_raises_query_syntax_error_and_writes_nothing(any_store: SparqlStore) -> None:
    with pytest.raises(QuerySyntaxError):
        any_store.update(
            f"INSERT DATA {{ GRAPH <{G1}> {{ <urn:a> <urn:p> <urn:b> }} }} ; INSERT DATA {{ <urn:x> "
        )
    assert quads(any_store) == set()


def test_malformed_query_raises_query_syntax_error(any_store: SparqlStore) -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        any_store.query("SELECT * WHERE { ?s ?p }")
    assert "1:" in str(raised.value) or "line" in str(raised.value).lower()


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_select_answers_in_each_results_format(any_store: SparqlStore, accept: str, media_type: str) -> None:
    any_store.load(DATA, media_type="text/turtle", graph=G1)
    result = any_store.query(
        "SELECT ?label WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?label } ORDER BY ?label",
        accept=accept,
    )
    assert result.media_type == media_type
    formats = {
        "application/sparql-results+json": pyoxigraph.QueryResultsFormat.JSON,
        "application/sparql-results+xml": pyoxigraph.QueryResultsFormat.XML,
        "text/tab-separated-values": pyoxigraph.QueryResultsFormat.TSV,
    }
    if media_type == "text/csv":
        assert result.content.decode().splitlines() == [
            "label",
            "World Intellectual Property Organization",
            "世界知识产权组织",
        ]
        return
    solutions = pyoxigraph.parse_query_results(result.content, format=formats[media_type])
    assert [s["label"] for s in solutions] == [  # type: ignore[union-attr]
        pyoxigraph.Literal("World Intellectual Property Organization", language="en"),
        pyoxigraph.Literal("世界知识产权组织", language="zh"),
    ]


def test_solutions_are_terms_in_projection_order_over_the_union_of_graphs(any_store: SparqlStore) -> None:
    any_store.load(DATA, media_type="text/turtle", graph=G1)
    any_store.load(f"<{WIPO}> <urn:p> <urn:o> .".encode(), media_type="application/n-triples", graph=G2)
    rows = any_store.solutions(
        "SELECT ?label ?s ?missing WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?label ; "
        "<urn:p> ?o } ORDER BY ?label"
    )
    assert list(rows) == [
        (
            pyoxigraph.Literal("World Intellectual Property Organization", language="en"),
            pyoxigraph.NamedNode(WIPO),
            None,
        ),
        (pyoxigraph.Literal("世界知识产权组织", language="zh"), pyoxigraph.NamedNode(WIPO), None),
    ]


def test_solutions_of_a_malformed_query_raise_query_syntax_error(any_store: SparqlStore) -> None:
    with pytest.raises(QuerySyntaxError):
        list(any_store.solutions("SELECT * WHERE { ?s ?p }"))


def test_ask_answers_a_boolean(any_store: SparqlStore) -> None:
    any_store.load(DATA, media_type="text/turtle", graph=G1)
    result = any_store.query(f"ASK {{ <{WIPO}> ?p ?o }}", accept="application/sparql-results+json")
    assert result.media_type == "application/sparql-results+json"
    assert json.loads(result.content)["boolean"] is True


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_answers_in_each_rdf_format(
    any_store: SparqlStore, accept: str, rdflib_format: str
) -> None:
    any_store.load(DATA, media_type="text/turtle", graph=G1)
    result = any_store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", accept=accept)
    assert result.media_type == accept
    assert isomorphic(Graph().parse(data=result.content, format=rdflib_format), EXPECTED)


def test_query_with_unacceptable_accept_raises_not_acceptable(any_store: SparqlStore) -> None:
    with pytest.raises(NotAcceptable):
        any_store.query("SELECT * WHERE { ?s ?p ?o }", accept="image/png")


@pytest.mark.parametrize(
    ("query", "offered"),
    [
        ("CONSTRUCT WHERE { ?s ?p ?o }", list(RDF_MEDIA_TYPES)),
        ("SELECT * WHERE { ?s ?p ?o }", list(RESULTS_MEDIA_TYPES)),
        ("ASK { ?s ?p ?o }", list(RESULTS_MEDIA_TYPES)),
    ],
)
def test_not_acceptable_raised_in_a_worker_thread_lists_the_offered_types_and_can_be_dropped_anywhere(
    any_store: SparqlStore, monkeypatch: pytest.MonkeyPatch, query: str, offered: list[str]
) -> None:
    """As the app does: the query runs in a worker thread, its error is answered on the event loop's.
    pyoxigraph's parsers and results, if the error kept them, would be dropped there and refuse
    ("PyQuerySolutions is unsendable, but is being dropped on another thread")."""
    any_store.load(DATA, media_type="text/turtle", graph=G1)
    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    raised: list[BaseException] = []

    def run() -> None:
        try:
            any_store.query(query, accept="image/png")
        except NotAcceptable as exc:
            raised.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    assert [type(error) for error in raised] == [NotAcceptable]
    assert raised[0].offered == offered  # type: ignore[attr-defined]
    assert str(raised[0]) == "acceptable media types are: " + ", ".join(offered)
    raised.clear()
    gc.collect()
    assert unraisable == []


def test_default_graphs_restrict_what_a_query_sees(any_store: SparqlStore) -> None:
    any_store.load(b"<urn:a> <urn:p> <urn:b> .", media_type="text/turtle", graph=G1)
    any_store.load(b"<urn:c> <urn:p> <urn:d> .", media_type="text/turtle", graph=G2)
    rows = select(any_store, "SELECT ?s WHERE { ?s ?p ?o }", default_graphs=[G2])
    assert rows == [{"s": URIRef("urn:c")}]


def test_relative_iris_resolve_against_the_base_iri_unless_the_query_sets_its_own(
    any_store: SparqlStore,
) -> None:
    result = any_store.query(
        "SELECT ?x WHERE { BIND(<s> AS ?x) }",
        accept="application/sparql-results+json",
        base_iri="http://unkg.test/sparql",
    )
    assert json.loads(result.content)["results"]["bindings"] == [
        {"x": {"type": "uri", "value": "http://unkg.test/s"}}
    ]
    own = any_store.query(
        "BASE <http://own.test/> SELECT ?x WHERE { BIND(<s> AS ?x) }",
        accept="application/sparql-results+json",
        base_iri="http://unkg.test/sparql",
    )
    assert json.loads(own.content)["results"]["bindings"] == [
        {"x": {"type": "uri", "value": "http://own.test/s"}}
    ]


def test_dump_writes_the_whole_dataset_as_trig_and_n_quads(any_store: SparqlStore) -> None:
    any_store.load(DATA, media_type="text/turtle", graph=G1)
    any_store.load(b"<urn:c> <urn:p> <urn:d> .", media_type="text/turtle", graph=G2)
    expected = Dataset()
    expected.graph(URIRef(G1)).parse(data=DATA, format="turtle")
    expected.graph(URIRef(G2)).parse(data=b"<urn:c> <urn:p> <urn:d> .", format="turtle")
    for media_type, fmt in (("application/trig", "trig"), ("application/n-quads", "nquads")):
        output = io.BytesIO()
        any_store.dump(output, media_type=media_type)
        dumped = Dataset().parse(data=output.getvalue(), format=fmt)
        for name in (G1, G2):
            assert isomorphic(dumped.graph(URIRef(name)), expected.graph(URIRef(name))), (media_type, name)


def test_dump_of_one_graph_writes_its_triples(any_store: SparqlStore) -> None:
    any_store.load(DATA, media_type="text/turtle", graph=G1)
    any_store.load(b"<urn:c> <urn:p> <urn:d> .", media_type="text/turtle", graph=G2)
    output = io.BytesIO()
    any_store.dump(output, media_type="text/turtle", graph=G1)
    assert isomorphic(Graph().parse(data=output.getvalue(), format="turtle"), EXPECTED)
