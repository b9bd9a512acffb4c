"""Status questions over generated data where organizations report year after year (three status dates, and the bundled sources' one):
the API's answers, its SPARQL named question and a plain reading of every status agree on any date."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.stores import OxigraphStore
from tests.api.conftest import every_item, sparql
from tests.conftest import ROOT
from tests.ingest.conftest import ingest_settings

#: Before the first status date, on one, between two, after the last.
DATES = ["2000-12-31", "2001-02-28", "2002-01-15", "2002-02-28", "2003-02-27", "2003-02-28", "2025-03-01"]
#: (recommendation IRI, organization IRI) → [(asOf, acceptance, implementation)]
History = dict[tuple[str, str], list[tuple[str, str | None, str | None]]]


@pytest.fixture(scope="module")
def generated() -> Iterator[TestClient]:
    data = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "--triples", "60000", "--seed", "5"],
        check=True,
        capture_output=True,
    ).stdout
    store = OxigraphStore()
    store.load(data, media_type="application/n-quads")
    with TestClient(create_app(ingest_settings(), store=store)) as client:
        yield client
    store.close()


@pytest.fixture(scope="module")
def history(generated: TestClient) -> History:
    rows = sparql(
        generated,
        """SELECT ?r ?o ?d ?a ?i WHERE { ?s unkg:recommendation ?r ; unkg:organization ?o ; unkg:asOf ?d
          OPTIONAL { ?s unkg:acceptance/skos:notation ?a } OPTIONAL { ?s unkg:implementation/skos:notation ?i } }""",
    )
    found: History = defaultdict(list)
    for row in rows:
        found[(row["r"], row["o"])].append((row["d"], row.get("a"), row.get("i")))
    assert len({row["d"] for row in rows}) >= 3, "the data should span several status dates"
    return found


def latest(history: History, as_of: str | None) -> dict[tuple[str, str], tuple[str | None, str | None]]:
    """Each (recommendation, organization)'s latest (acceptance, implementation) on or before `as_of`."""
    standing = {}
    for pair, statuses in history.items():
        dated = [status for status in statuses if as_of is None or status[0] <= as_of]
        if dated:
            _, acceptance, implementation = max(dated)
            standing[pair] = (acceptance, implementation)
    return standing


def is_open(values: tuple[str | None, str | None]) -> bool:
    return values[0] in ("accepted", "under_consideration") and values[1] != "implemented"


def organizations(history: History) -> list[str]:
    counts = Counter(organization for _, organization in history)
    return [organization for organization, _ in counts.most_common(3)]


def body_id(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


@pytest.mark.parametrize("as_of", [*DATES, None])
def test_open_and_closed_recommendations_of_an_organization_on_any_date(
    generated: TestClient, history: History, as_of: str | None
) -> None:
    standing = latest(history, as_of)
    for organization in organizations(history):
        for open_ in (True, False):
            expected = {
                recommendation
                for (recommendation, by), values in standing.items()
                if by == organization and is_open(values) == open_
            }
            query = f"/api/recommendations?organization={body_id(organization)}&open={str(open_).lower()}&limit=500"
            found = every_item(generated, query + (f"&as_of={as_of}" if as_of else ""))
            assert {item["iri"] for item in found} == expected
            # A list about one organization shows its status alone: the latest one by then.
            for item in found:
                [status] = item["statuses"]
                assert status["organization"] == body_id(organization)
                assert (status["acceptance"], status["implementation"]) == standing[
                    (item["iri"], organization)
                ]
        if as_of is None:
            continue
        named = generated.get(
            "/api/queries/open-recommendations",
            params={"organization": body_id(organization), "as_of": as_of},
        )
        assert named.status_code == 200, named.text
        opened = {
            recommendation
            for (recommendation, by), values in standing.items()
            if by == organization and is_open(values)
        }
        assert {row["recommendation"] for row in named.json()["rows"]} == opened


@pytest.mark.parametrize("as_of", DATES)
def test_status_filters_over_every_organization_on_any_date(
    generated: TestClient, history: History, as_of: str
) -> None:
    standing = latest(history, as_of)
    for implementation in ("in_progress", "implemented", "not_started"):
        expected = {
            recommendation for (recommendation, _), values in standing.items() if values[1] == implementation
        }
        found = every_item(
            generated, f"/api/recommendations?implementation={implementation}&as_of={as_of}&limit=500"
        )
        assert {item["iri"] for item in found} == expected
    # Acceptance and implementation must hold of one organization's status, not of two.
    both = {
        recommendation
        for (recommendation, _), values in standing.items()
        if values == ("accepted", "in_progress")
    }
    found = every_item(
        generated,
        f"/api/recommendations?acceptance=accepted&implementation=in_progress&as_of={as_of}&limit=500",
    )
    assert {item["iri"] for item in found} == both


@pytest.mark.parametrize("as_of", DATES)
def test_an_organizations_status_summary_on_any_date(
    generated: TestClient, history: History, as_of: str
) -> None:
    standing = latest(history, as_of)
    for organization in organizations(history):
        mine = [values for (_, by), values in standing.items() if by == organization]
        summary = generated.get(f"/api/bodies/{body_id(organization)}", params={"as_of": as_of}).json()[
            "statusSummary"
        ]
        assert summary["asOf"] == as_of
        assert summary["assessed"] == len(mine)
        assert summary["open"] == sum(is_open(values) for values in mine)
        assert summary["acceptance"] == dict(sorted(Counter(a or "none" for a, _ in mine).items()))
        assert summary["implementation"] == dict(sorted(Counter(i or "none" for _, i in mine).items()))
