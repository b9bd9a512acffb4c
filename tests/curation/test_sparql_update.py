"""SPARQL Update at /sparql is a changeset like any other: a curator's token, If-Match, the SHACL gate
and the history; what the gate cannot take is refused with the reason, and nothing is written."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.curation.conftest import DCT_TITLE, DOCUMENT, UNKG, a_wipo_status, graph_of, quads, versions

UPDATE = {"Content-Type": "application/sparql-update"}


def post_update(client: TestClient, text: str, headers: dict[str, str], **params: str) -> object:
    return client.post("/sparql", content=text.encode(), headers={**UPDATE, **headers}, params=params)


def test_an_update_needs_a_curator_token(client: TestClient) -> None:
    graph = graph_of(client, DOCUMENT)
    text = f'INSERT DATA {{ GRAPH <{graph}> {{ <{DOCUMENT}> <{DCT_TITLE}> "x"@fr }} }}'
    response = client.post("/sparql", content=text, headers=UPDATE)
    assert response.status_code == 401 and response.headers["www-authenticate"].startswith("Bearer")
    form = client.post("/sparql", data={"update": text})
    assert form.status_code == 401


def test_insert_data_becomes_a_changeset_with_its_message(
    client: TestClient, curator: dict[str, str]
) -> None:
    graph = graph_of(client, DOCUMENT)
    text = f'INSERT DATA {{ GRAPH <{graph}> {{ <{DOCUMENT}> <{DCT_TITLE}> "Examen (fr)"@fr }} }}'
    count = quads(client)
    assert client.post("/sparql", content=text, headers={**UPDATE, **curator}).status_code == 428
    assert quads(client) == count
    response = client.post(
        "/sparql",
        content=text,
        headers={**UPDATE, **curator, **versions(client, DOCUMENT)},
        params={"message": "French title by SPARQL"},
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["message"] == "French title by SPARQL" and created["additions"] == 1
    listed = client.get("/api/changesets", params={"resource": DOCUMENT}).json()["items"]
    assert listed[0]["id"] == created["id"]
    assert client.get("/api/documents/JIU/REP/2024/4").json()["title"]["fr"] == "Examen (fr)"


def test_delete_insert_where_is_worked_out_and_recorded_as_its_exact_diff(
    client: TestClient, curator: dict[str, str]
) -> None:
    graph = graph_of(client, DOCUMENT)
    seed = f'INSERT DATA {{ GRAPH <{graph}> {{ <{DOCUMENT}> <{DCT_TITLE}> "Old"@de }} }}'
    seeded = client.post("/sparql", data={"update": seed}, headers={**curator, **versions(client, DOCUMENT)})
    assert seeded.status_code == 201, seeded.text
    text = (
        "PREFIX dct: <http://purl.org/dc/terms/>\n"
        f"WITH <{graph}> DELETE {{ ?d dct:title ?t }} INSERT {{ ?d dct:title ?new }}\n"
        f'WHERE {{ BIND(<{DOCUMENT}> AS ?d) ?d dct:title ?t FILTER(LANG(?t) = "de") BIND(STRLANG("Neu", "de") AS ?new) }}'
    )
    response = client.post(
        "/sparql", content=text, headers={**UPDATE, **curator, **versions(client, DOCUMENT)}
    )
    assert response.status_code == 201, response.text
    patch = response.json()["patch"]
    assert f'D <{DOCUMENT}> <{DCT_TITLE}> "Old"@de <{graph}> .' in patch
    assert f'A <{DOCUMENT}> <{DCT_TITLE}> "Neu"@de <{graph}> .' in patch
    assert client.get("/api/documents/JIU/REP/2024/4").json()["title"]["de"] == "Neu"
    # The same update again finds nothing to change.
    again = client.post("/sparql", content=text, headers={**UPDATE, **curator, **versions(client, DOCUMENT)})
    assert again.status_code == 204


def test_an_update_that_breaks_a_shape_is_refused_with_the_report(
    client: TestClient, curator: dict[str, str]
) -> None:
    status, graph = a_wipo_status(client)
    text = f"DELETE WHERE {{ GRAPH <{graph}> {{ <{status}> <{UNKG}organization> ?organization }} }}"
    count = quads(client)
    response = client.post("/sparql", content=text, headers={**UPDATE, **curator, **versions(client, status)})
    assert response.status_code == 422, response.text
    assert any(result["focusNode"] == status for result in response.json()["results"])
    assert quads(client) == count


@pytest.mark.parametrize(
    ("text", "status", "says"),
    [
        (
            'INSERT DATA { GRAPH <urn:g1> { <urn:a> <urn:b> "c" } GRAPH <urn:g2> { <urn:a> <urn:b> "c" } }',
            422,
            "an admin may create one",
        ),
        ("LOAD <http://example.org/data.ttl> INTO GRAPH <urn:g>", 403, "LOAD"),
        (
            "DELETE { GRAPH <urn:g> { ?s ?p ?o } } WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
            403,
            "allow-list",
        ),
        ("MOVE GRAPH <urn:g1> TO GRAPH <urn:g2>", 403, "admin role"),
        ("CLEAR ALL", 403, "admin role"),
        ("CREATE GRAPH <urn:new>", 403, "admin role"),
        (
            'DELETE WHERE { GRAPH <urn:g> { ?s ?p ?o } } ; INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> "c" } }',
            422,
            "an admin may create one",
        ),
        ("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> } }", 400, "line 1"),
        (
            'INSERT DATA { GRAPH <https://w3id.org/unkg/graph/history> { <urn:a> <urn:b> "forged" } }',
            422,
            "history and system graphs",
        ),
    ],
)
def test_what_the_gate_cannot_take_is_refused_with_the_reason(
    client: TestClient, curator: dict[str, str], text: str, status: int, says: str
) -> None:
    count = quads(client)
    response = client.post("/sparql", content=text, headers={**UPDATE, **curator})
    assert response.status_code == status, response.text
    assert says in response.json()["detail"]
    assert quads(client) == count


def test_only_an_admin_update_creates_a_graph(client: TestClient, curator: dict[str, str]) -> None:
    text = 'INSERT DATA { GRAPH <https://w3id.org/unkg/graph/by-update> { <urn:a> <urn:b> "c" } }'
    refused = client.post("/sparql", content=text, headers={**UPDATE, **curator})
    assert refused.status_code == 422 and refused.json()["parameter"] == "graph"
