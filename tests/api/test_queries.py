"""/api/queries: named questions kept as SPARQL files, with typed parameters bound as terms."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.sparql.named import parse_named_query
from service.stores import RemoteStore
from tests.conftest import empty_remote_store
from tests.ingest.conftest import ingest_settings

RUNS = {
    "open-recommendations": {"organization": "wipo", "as_of": "2025-12-31"},
    "status-history": {"recommendation": "jiu-rep-2023-3/formal/2"},
    "reports-citing": {"resolution": "A/RES/71/243"},
    "legislative-deadlines": {},
    "bodies-under": {"committee": "hlcm"},
}


def test_the_named_questions_are_listed_with_their_parameters(bundled: TestClient) -> None:
    listed = bundled.get("/api/queries").json()
    assert [q["name"] for q in listed["items"]] == sorted(RUNS)
    open_question = next(q for q in listed["items"] if q["name"] == "open-recommendations")
    assert open_question["title"] == "Open recommendations of an organization as of a date"
    assert open_question["parameters"] == [
        {
            "name": "organization",
            "type": "body",
            "required": True,
            "default": None,
            "description": "Id of the organization, e.g. wipo",
        },
        {
            "name": "as_of",
            "type": "date",
            "required": False,
            "default": "today",
            "description": "Statuses as they stood on this date (YYYY-MM-DD); default: today",
        },
    ]
    assert open_question["url"] == "http://testserver/api/queries/open-recommendations"


@pytest.mark.parametrize("name", sorted(RUNS))
def test_each_named_question_answers_from_the_bundled_sources(bundled: TestClient, name: str) -> None:
    response = bundled.get(f"/api/queries/{name}", params=RUNS[name])
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["query"] == name and answer["total"] == len(answer["rows"]) > 0
    assert set(answer["rows"][0]) == set(answer["columns"])


def test_open_recommendations_agree_with_the_json_api(bundled: TestClient) -> None:
    rows = bundled.get("/api/queries/open-recommendations", params=RUNS["open-recommendations"]).json()[
        "rows"
    ]
    api = bundled.get("/api/recommendations?organization=wipo&open=true&as_of=2025-12-31&limit=100").json()
    assert {row["recommendation"] for row in rows} == {r["iri"] for r in api["items"]}


def test_results_come_as_csv_by_format_or_accept(bundled: TestClient) -> None:
    by_format = bundled.get("/api/queries/reports-citing", params={**RUNS["reports-citing"], "format": "csv"})
    by_accept = bundled.get(
        "/api/queries/reports-citing", params=RUNS["reports-citing"], headers={"Accept": "text/csv"}
    )
    assert by_format.headers["content-type"] == "text/csv; charset=utf-8"
    assert by_format.content == by_accept.content
    rows = list(csv.DictReader(io.StringIO(by_format.text)))
    json_rows = bundled.get("/api/queries/reports-citing", params=RUNS["reports-citing"]).json()["rows"]
    assert [row["report"] for row in rows] == [row["report"] for row in json_rows]


@pytest.mark.parametrize(
    ("name", "params", "parameter"),
    [
        ("open-recommendations", {}, "organization"),
        ("open-recommendations", {"organization": "nobody"}, "organization"),
        ("open-recommendations", {"organization": "wipo", "as_of": "yesterday"}, "as_of"),
        ("open-recommendations", {"organization": "wipo", "colour": "red"}, "colour"),
        ("reports-citing", {"resolution": 'A/RES/1"> } ; DROP ALL ; #'}, "resolution"),
        ("bodies-under", {"committee": "hlcm> ?p ?o } #"}, "committee"),
    ],
)
def test_a_bad_parameter_is_422_naming_it(
    bundled: TestClient, name: str, params: dict[str, str], parameter: str
) -> None:
    response = bundled.get(f"/api/queries/{name}", params=params)
    assert response.status_code == 422
    assert response.json()["parameter"] == parameter
    # Nothing was run, let alone written: the graph still answers as before.
    assert bundled.get("/api/queries/bodies-under", params={"committee": "hlcm"}).json()["total"] > 0


def test_an_unknown_question_is_404(bundled: TestClient) -> None:
    response = bundled.get("/api/queries/everything")
    assert response.status_code == 404 and "everything" in response.json()["detail"]


def test_a_header_without_a_title_is_refused_naming_the_file() -> None:
    with pytest.raises(ValueError, match=r"broken\.rq: its header has no '# title:' line"):
        parse_named_query("broken", "# description: x\nSELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(ValueError, match=r"broken\.rq line 3"):
        parse_named_query(
            "broken", "# title: t\n# description: d\n# param x: colour\nSELECT ?x WHERE { ?x ?p ?o }"
        )


@pytest.fixture
def remote_bundled(oxigraph_server: str) -> Iterator[TestClient]:
    store: RemoteStore = empty_remote_store(oxigraph_server)
    with TestClient(create_app(ingest_settings(), store=store)) as client:
        yield client
    store.close()


def test_named_questions_answer_the_same_on_a_remote_store(
    bundled: TestClient, remote_bundled: TestClient
) -> None:
    """The same values bound the same way give the same rows from either store."""
    for name, params in RUNS.items():
        embedded = bundled.get(f"/api/queries/{name}", params=params).json()
        remote = remote_bundled.get(f"/api/queries/{name}", params=params).json()
        assert remote["rows"] == embedded["rows"], name
