"""SPARQL 1.1 Update as the standard says, through the gate and into the history, on a bare store
(`UNKG_BARE`: the store's own default graph, no shapes): the default graph holds data only, every
operation is taken (LOAD aside), one request is one changeset however many graphs it changes, and
If-Match is honoured when sent, demanded only where a graph's settings say so."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import IN_MEMORY, Settings
from service.stores import OxigraphStore
from service.tokens import TokenStore

UPDATE = {"Content-Type": "application/sparql-update"}
HISTORY = "https://w3id.org/unkg/graph/history"
SYSTEM = "https://w3id.org/unkg/graph/system"
G1, G2 = "http://example.org/g1", "http://example.org/g2"


@pytest.fixture
def bare(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str], dict[str, str]]]:
    tokens = TokenStore(tmp_path / "tokens.json")
    _, admin = tokens.create(name="Admin", role="admin")
    _, curator = tokens.create(name="Curator", role="curator")
    settings = Settings(store_path=IN_MEMORY, bare=True, tokens_path=tokens.path, data_path=tmp_path)
    store = OxigraphStore()
    with TestClient(create_app(settings, store=store)) as client:
        yield client, {"Authorization": f"Bearer {admin}"}, {"Authorization": f"Bearer {curator}"}
    store.close()


def update(client: TestClient, text: str, token: dict[str, str], **headers: str) -> object:
    return client.post("/sparql", content=text.encode(), headers={**UPDATE, **token, **headers})


def rows(client: TestClient, query: str) -> list[dict[str, str]]:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    return [
        {name: value["value"] for name, value in row.items()}
        for row in response.json()["results"]["bindings"]
    ]


def count(client: TestClient, pattern: str = "?s ?p ?o") -> int:
    return int(rows(client, f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")[0]["n"])


def test_the_default_graph_holds_the_data_alone_and_the_history_is_a_named_graph(bare) -> None:  # type: ignore[no-untyped-def]
    client, admin, _ = bare
    response = update(client, "INSERT DATA { <urn:a> <urn:p> 1 . <urn:a> <urn:p> 2 }", admin)
    assert response.status_code == 201, response.text
    assert response.json()["graph"] == "urn:x-arq:DefaultGraph"
    # Two triples: no version, no modification time, no changeset record among them.
    assert count(client) == 2
    assert count(client, f"GRAPH <{HISTORY}> {{ ?c a <https://w3id.org/unkg/ontology#Changeset> }}") == 1
    csv = client.get("/sparql", params={"query": "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o", "format": "csv"})
    assert csv.text == "o\r\n1\r\n2\r\n"
    # The service description says what the default graph is, and that LOAD is refused.
    described = client.get("/sparql", headers={"Accept": "text/turtle"}).text
    assert "the store's own default graph" in described and '"LOAD"' in described


def test_an_empty_update_changes_nothing(bare) -> None:  # type: ignore[no-untyped-def]
    client, admin, _ = bare
    assert update(client, "", admin).status_code == 204
    assert update(client, "PREFIX ex: <http://example.org/>", admin).status_code == 204


def test_operations_see_the_effect_of_those_before_them(bare) -> None:  # type: ignore[no-untyped-def]
    client, admin, _ = bare
    text = (
        "PREFIX : <http://example.org/>\n"
        "INSERT DATA { :a :knows :b } ;\n"
        "INSERT { ?x :met ?y } WHERE { ?x :knows ?y } ;\n"
        "DELETE WHERE { ?x :knows ?y }"
    )
    response = update(client, text, admin)
    assert response.status_code == 201, response.text
    found = rows(client, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert found == [
        {"s": "http://example.org/a", "p": "http://example.org/met", "o": "http://example.org/b"}
    ]
    # Recorded as its exact effect: one triple added, the one inserted and deleted leaves no trace.
    assert (response.json()["additions"], response.json()["removals"]) == (1, 0)


def test_one_request_changing_several_graphs_is_one_changeset_with_a_record_per_graph(bare) -> None:  # type: ignore[no-untyped-def]
    client, admin, _ = bare
    text = f"INSERT DATA {{ GRAPH <{G1}> {{ <urn:a> <urn:p> 1 }} GRAPH <{G2}> {{ <urn:b> <urn:p> 2 }} <urn:c> <urn:p> 3 }}"
    response = update(client, text, admin, **{"X-Ignored": "1"})
    assert response.status_code == 201, response.text
    records = response.json()["changesets"]
    assert sorted(record["graph"] for record in records) == sorted([G1, G2, "urn:x-arq:DefaultGraph"])
    assert len({record["sequence"] for record in records}) == 1  # applied together, at one version
    # Each is reverted on its own, as any changeset.
    first = next(record for record in records if record["graph"] == G1)
    reverted = client.post(
        f"/api/changesets/{first['id']}/revert", json={"message": "undo g1"}, headers=admin
    )
    assert reverted.status_code == 201, reverted.text
    assert count(client, f"GRAPH <{G1}> {{ ?s ?p ?o }}") == 0
    assert count(client, f"GRAPH <{G2}> {{ ?s ?p ?o }}") == 1


def test_graph_operations_are_taken_for_admins_and_recorded(bare) -> None:  # type: ignore[no-untyped-def]
    client, admin, curator = bare
    assert update(client, f"INSERT DATA {{ GRAPH <{G1}> {{ <urn:a> <urn:p> 1 }} }}", admin).status_code == 201
    assert update(client, f"COPY <{G1}> TO <{G2}>", curator).status_code == 403
    assert update(client, f"COPY <{G1}> TO <{G2}>", admin).status_code == 201
    assert update(client, f"ADD <{G2}> TO DEFAULT", admin).status_code == 201
    assert count(client) == 1
    moved = update(client, f"MOVE <{G2}> TO GRAPH <urn:g3>", admin)
    assert moved.status_code == 201, moved.text
    graphs = {row["g"] for row in rows(client, "SELECT ?g WHERE { GRAPH ?g { } }")}
    assert G2 not in graphs and "urn:g3" in graphs and G1 in graphs
    assert update(client, "CREATE GRAPH <urn:empty>", admin).status_code == 201
    assert update(client, "CREATE GRAPH <urn:empty>", admin).status_code == 422
    assert update(client, "CREATE SILENT GRAPH <urn:empty>", admin).status_code == 204
    assert update(client, "DROP GRAPH <urn:nothing-here>", admin).status_code == 422
    assert update(client, "DROP SILENT GRAPH <urn:nothing-here>", admin).status_code == 204
    cleared = update(client, "CLEAR ALL", admin)
    assert cleared.status_code == 201, cleared.text
    assert count(client) == 0 and count(client, f"GRAPH <{HISTORY}> {{ ?s ?p ?o }}") > 0  # the history stays
    assert count(client, f"GRAPH ?g {{ ?s ?p ?o FILTER(?g NOT IN (<{HISTORY}>, <{SYSTEM}>)) }}") == 0
    # The clearing is a changeset like any: reverted, the data is back.
    for record in cleared.json().get("changesets", [cleared.json()]):
        reverted = client.post(
            f"/api/changesets/{record['id']}/revert", json={"message": "back"}, headers=admin
        )
        assert reverted.status_code == 201, reverted.text
    assert count(client) == 1 and count(client, f"GRAPH <{G1}> {{ ?s ?p ?o }}") == 1


def test_blank_nodes_are_removed_by_pattern_and_a_graph_holding_them_is_cleared(bare) -> None:  # type: ignore[no-untyped-def]
    client, admin, _ = bare
    seed = f"INSERT DATA {{ GRAPH <{G1}> {{ <urn:a> <urn:p> _:x . _:x <urn:q> 1 . <urn:a> <urn:r> 2 }} }}"
    assert update(client, seed, admin).status_code == 201
    deleted = update(client, f"DELETE WHERE {{ GRAPH <{G1}> {{ ?b <urn:q> ?v }} }}", admin)
    assert deleted.status_code == 201, deleted.text
    assert count(client, f"GRAPH <{G1}> {{ ?s ?p ?o }}") == 2
    assert count(client, f"GRAPH <{G1}> {{ <urn:a> <urn:p> ?b FILTER(isBlank(?b)) }}") == 1
    assert update(client, f"CLEAR GRAPH <{G1}>", admin).status_code == 201
    assert count(client, f"GRAPH <{G1}> {{ ?s ?p ?o }}") == 0


def test_with_using_and_the_protocol_dataset_choose_what_the_where_clause_reads(bare) -> None:  # type: ignore[no-untyped-def]
    client, admin, _ = bare
    seed = f"INSERT DATA {{ GRAPH <{G1}> {{ <urn:a> <urn:p> 1 }} GRAPH <{G2}> {{ <urn:b> <urn:p> 2 }} }}"
    assert update(client, seed, admin).status_code == 201
    with_graph = update(
        client, f"WITH <{G1}> INSERT {{ ?s <urn:seen> true }} WHERE {{ ?s <urn:p> ?o }}", admin
    )
    assert with_graph.status_code == 201, with_graph.text
    assert count(client, f"GRAPH <{G1}> {{ <urn:a> <urn:seen> true }}") == 1
    named = client.post(
        "/sparql",
        params={"using-named-graph-uri": G2},
        content=b"INSERT { ?s <urn:from> ?g } WHERE { GRAPH ?g { ?s <urn:p> ?o } }",
        headers={**UPDATE, **admin},
    )
    assert named.status_code == 201, named.text
    assert rows(client, "SELECT ?s ?g WHERE { ?s <urn:from> ?g }") == [{"s": "urn:b", "g": G2}]


def test_relative_iris_resolve_against_the_endpoint_in_every_part(bare) -> None:  # type: ignore[no-untyped-def]
    client, admin, _ = bare
    assert update(client, "INSERT DATA { <a> <p> 1 }", admin).status_code == 201
    deleted = update(client, "DELETE WHERE { <a> <p> ?o }", admin)
    assert deleted.status_code == 201, deleted.text
    assert count(client) == 0


def test_if_match_is_honoured_when_sent_and_demanded_where_a_graph_says_so(bare) -> None:  # type: ignore[no-untyped-def]
    client, admin, curator = bare
    assert update(client, f"INSERT DATA {{ GRAPH <{G1}> {{ <urn:a> <urn:p> 1 }} }}", admin).status_code == 201
    etag = client.get("/rdf-graph-store", params={"graph": G1}).headers["etag"]
    # Not demanded: a standard client changes an existing resource without it.
    change = f"DELETE DATA {{ GRAPH <{G1}> {{ <urn:a> <urn:p> 1 }} }} ; INSERT DATA {{ GRAPH <{G1}> {{ <urn:a> <urn:p> 2 }} }}"
    assert update(client, change, curator).status_code == 201
    # Sent and stale: refused, nothing written.
    back = change.replace(" 1 ", " 9 ").replace(" 2 ", " 1 ").replace(" 9 ", " 2 ")
    assert update(client, back, curator, **{"If-Match": etag}).status_code == 412
    assert count(client, f"GRAPH <{G1}> {{ <urn:a> <urn:p> 2 }}") == 1
    settings = client.put(
        "/api/graphs/settings",
        params={"graph": G1},
        json={"reviewRequired": False, "ifMatchRequired": True},
        headers=admin,
    )
    assert settings.status_code == 200, settings.text
    assert update(client, back, curator).status_code == 428
    fresh = client.get("/rdf-graph-store", params={"graph": G1}).headers["etag"]
    assert update(client, back, curator, **{"If-Match": fresh}).status_code == 201
    # The setting itself is in the history, attributed.
    history = client.get("/api/changesets", params={"graph": SYSTEM}).json()
    assert history["items"][0]["author"]["name"] == "Admin"


def test_load_stays_refused(bare) -> None:  # type: ignore[no-untyped-def]
    client, admin, _ = bare
    response = update(client, "LOAD <http://127.0.0.1:9/data.ttl>", admin)
    assert response.status_code == 403 and "LOAD" in response.json()["detail"]


@pytest.mark.parametrize(
    "text",
    [
        "DELETE DATA { _:b <urn:p> 1 }",
        "DELETE WHERE { _:b <urn:p> ?o }",
        "DELETE { ?s <urn:p> _:b } WHERE { ?s ?p ?o }",
        "INSERT DATA { _:b <urn:p> 1 } ; INSERT DATA { _:b <urn:p> 2 }",
        "INSERT DATA { <urn:a> <urn:p> 1 } ; LOAD",
    ],
)
def test_what_the_grammar_forbids_is_a_syntax_error(bare, text: str) -> None:  # type: ignore[no-untyped-def]
    client, admin, _ = bare
    response = update(client, text, admin)
    assert response.status_code == 400, response.text
    assert count(client) == 0


def test_graph_variables_range_over_the_data_graphs_and_the_history_is_read_by_name(bare) -> None:  # type: ignore[no-untyped-def]
    client, admin, _ = bare
    assert update(client, f"INSERT DATA {{ GRAPH <{G1}> {{ <urn:a> <urn:p> 1 }} }}", admin).status_code == 201
    assert rows(client, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }") == [{"g": G1}]
    named = rows(
        client,
        f"SELECT ?g WHERE {{ GRAPH ?g {{ ?c a <https://w3id.org/unkg/ontology#Changeset> }} FILTER(?g = <{HISTORY}>) }}",
    )
    assert named == [{"g": HISTORY}]
    assert count(client, f"GRAPH <{HISTORY}> {{ ?c a <https://w3id.org/unkg/ontology#Changeset> }}") == 1


def test_a_graph_made_or_dropped_empty_is_recorded_and_its_revert_changes_nothing(bare) -> None:  # type: ignore[no-untyped-def]
    client, admin, _ = bare
    made = update(client, "CREATE GRAPH <urn:empty>", admin)
    assert made.status_code == 201, made.text
    assert made.json()["patch"] == "TX .\nTC .\n"
    reverted = client.post(
        f"/api/changesets/{made.json()['id']}/revert", json={"message": "x"}, headers=admin
    )
    assert reverted.status_code == 200 and reverted.json()["applied"] is False, reverted.text


def test_a_graph_named_by_its_url_keeps_the_url_as_it_was_sent(bare) -> None:  # type: ignore[no-untyped-def]
    client, admin, _ = bare
    turtle = {**admin, "Content-Type": "text/turtle"}
    made = client.put("/rdf-graph-store/person/x%2541.ttl", content=b"<urn:a> <urn:p> 1 .", headers=turtle)
    assert made.status_code == 201, made.text
    assert made.json()["graph"] == "http://testserver/rdf-graph-store/person/x%2541.ttl"
    assert client.get("/rdf-graph-store/person/x%2541.ttl").status_code == 200
    # Decoded once more it is another IRI, and another graph.
    assert client.get("/rdf-graph-store/person/x%41.ttl").status_code == 404
    assert client.head("/rdf-graph-store/person/x%2541.ttl").status_code == 200
    dropped = client.delete("/rdf-graph-store/person/x%2541.ttl", headers=admin)
    assert dropped.status_code == 200, dropped.text
    assert client.get("/rdf-graph-store/person/x%2541.ttl").status_code == 404


def test_a_stale_if_match_is_refused_for_what_the_default_graph_holds(bare) -> None:  # type: ignore[no-untyped-def]
    client, admin, curator = bare
    assert update(client, "INSERT DATA { <urn:a> <urn:p> 1 }", admin).status_code == 201
    etag = client.get("/rdf-graph-store", params={"default": ""}).headers["etag"]
    change = "DELETE DATA { <urn:a> <urn:p> 1 } ; INSERT DATA { <urn:a> <urn:p> 2 }"
    assert update(client, change, curator, **{"If-Match": etag}).status_code == 201
    # <urn:a> changed since that ETag: a write naming it is refused, nothing written.
    back = "DELETE DATA { <urn:a> <urn:p> 2 } ; INSERT DATA { <urn:a> <urn:p> 3 }"
    assert update(client, back, curator, **{"If-Match": etag}).status_code == 412
    assert rows(client, "SELECT ?o WHERE { <urn:a> <urn:p> ?o }") == [{"o": "2"}]


def test_a_request_changing_several_graphs_is_reviewed_and_applied_whole(bare) -> None:  # type: ignore[no-untyped-def]
    client, admin, curator = bare
    seed = f"INSERT DATA {{ GRAPH <{G1}> {{ <urn:a> <urn:p> 1 }} GRAPH <{G2}> {{ <urn:b> <urn:p> 1 }} }}"
    assert update(client, seed, admin).status_code == 201
    settings = {"reviewRequired": True, "ifMatchRequired": False}
    assert (
        client.put("/api/graphs/settings", params={"graph": G1}, json=settings, headers=admin).status_code
        == 200
    )
    both = f"INSERT DATA {{ GRAPH <{G1}> {{ <urn:a> <urn:p> 2 }} GRAPH <{G2}> {{ <urn:b> <urn:p> 2 }} }}"
    submitted = update(client, both, curator)
    assert submitted.status_code == 202, submitted.text
    records = submitted.json()["changesets"]
    assert {record["status"] for record in records} == {"submitted"} and len(
        {r["group"] for r in records}
    ) == 1
    assert count(client, "GRAPH ?g { ?s <urn:p> 2 }") == 0  # nothing applied while it waits
    # Approving one approves the request: both graphs change together.
    approved = client.post(f"/api/changesets/{records[1]['id']}/approve", headers=admin)
    assert approved.status_code == 200, approved.text
    assert count(client, "GRAPH ?g { ?s <urn:p> 2 }") == 2
    statuses = {client.get(f"/api/changesets/{r['id']}").json()["status"] for r in records}
    assert statuses == {"applied"}
    # Rejecting one rejects the request.
    again = f"INSERT DATA {{ GRAPH <{G1}> {{ <urn:a> <urn:p> 3 }} GRAPH <{G2}> {{ <urn:b> <urn:p> 3 }} }}"
    waiting = update(client, again, curator).json()["changesets"]
    rejected = client.post(f"/api/changesets/{waiting[0]['id']}/reject", json={"reason": "no"}, headers=admin)
    assert rejected.status_code == 200, rejected.text
    assert {client.get(f"/api/changesets/{r['id']}").json()["status"] for r in waiting} == {"rejected"}
    assert count(client, "GRAPH ?g { ?s <urn:p> 3 }") == 0
