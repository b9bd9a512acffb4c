"""/api/changesets over the bundled sources: a change that keeps the shapes is applied whole and kept as
history; one that breaks them is refused with the report, and nothing is written."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from service.sparql.results import select
from service.tokens import TokenStore
from tests.curation.conftest import (
    DCT_TITLE,
    DOCUMENT,
    UNKG,
    a_wipo_status,
    graph_of,
    graph_size,
    quads,
    title,
    versions,
)


def test_writes_need_a_token(client: TestClient) -> None:
    response = client.post("/api/changesets", json={"graph": graph_of(client, DOCUMENT), "message": "m"})
    assert response.status_code == 401 and response.headers["www-authenticate"].startswith("Bearer")


def test_a_conforming_changeset_is_applied_attributed_and_kept_as_history(
    client: TestClient, curator: dict[str, str]
) -> None:
    graph = graph_of(client, DOCUMENT)
    before = client.get("/api/changesets").json()["total"]
    body = {
        "graph": graph,
        "message": "French title from the UN Library catalogue",
        "additions": title("Examen", "fr"),
    }
    response = client.post("/api/changesets", json=body, headers={**curator, **versions(client, DOCUMENT)})
    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["location"].endswith(f"/api/changesets/{created['id']}")
    assert created["author"]["name"] == "Li Wei, UN Library" and created["additions"] == 1
    assert f'A <{DOCUMENT}> <{DCT_TITLE}> "Examen"@fr <{graph}> .' in created["patch"]
    assert DOCUMENT in created["touches"]
    # The change is in the graph, and the JSON API's next answer shows it.
    assert client.get("/api/documents/JIU/REP/2024/4", params={"lang": "fr"}).json()["title"] == {
        "fr": "Examen"
    }
    assert client.get("/api/changesets").json()["total"] == before + 1
    listed = client.get("/api/changesets", params={"resource": DOCUMENT}).json()
    assert listed["items"][0]["id"] == created["id"]
    read = client.get(f"/api/changesets/{created['id']}").json()
    assert read["message"] == body["message"] and read["patch"] == created["patch"]
    # Its sequence is the store version its application made: the exact order of applied changesets.
    assert read["sequence"] == created["sequence"] == created["version"]
    # The history shows it as the answer did, the store's version at the time aside.
    assert read == {key: value for key, value in created.items() if key != "version"}
    author = created["author"]["token"]
    assert client.get("/api/changesets", params={"author": author}).json()["total"] >= 1
    assert client.get("/api/changesets", params={"author": "00000000"}).json()["total"] == 0


def test_a_dry_run_reports_and_writes_nothing(client: TestClient, curator: dict[str, str]) -> None:
    graph = graph_of(client, DOCUMENT)
    count, history = quads(client), client.get("/api/changesets").json()["total"]
    body = {"graph": graph, "message": "try", "additions": title("Ensayo", "es")}
    response = client.post("/api/changesets", params={"dry_run": "true"}, json=body, headers=curator)
    assert response.status_code == 200 and response.json()["conforms"] is True
    assert quads(client) == count and client.get("/api/changesets").json()["total"] == history


@pytest.mark.parametrize(
    ("part", "text", "constraint"),
    [
        (
            "additions",
            "<{s}> <{u}acceptance> <https://w3id.org/unkg/id/acceptance-status/maybe> .",
            "NodeConstraint",
        ),
        ("removals", "<{s}> <{u}organization> <https://w3id.org/unkg/id/body/wipo> .", "MinCountConstraint"),
    ],
)
def test_a_changeset_that_breaks_a_shape_is_refused_with_the_report_and_nothing_is_written(
    client: TestClient, curator: dict[str, str], part: str, text: str, constraint: str
) -> None:
    status, graph = a_wipo_status(client)
    count, history = quads(client), client.get("/api/changesets").json()["total"]
    body = {"graph": graph, "message": "a mistake", part: text.format(s=status, u=UNKG)}
    headers = {**curator, **versions(client, status), "Accept-Language": "en"}
    response = client.post("/api/changesets", json=body, headers=headers)
    assert response.status_code == 422, response.text
    report = response.json()
    assert report["conforms"] is False
    assert any(
        result["focusNode"] == status and constraint in result["constraint"] and result["message"]
        for result in report["results"]
    ), report["results"]
    assert quads(client) == count and client.get("/api/changesets").json()["total"] == history


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({"graph": "GRAPH", "message": "m", "additions": "<urn:a> <urn:b> ."}, "additions"),
        ({"graph": "GRAPH", "message": "m"}, "additions"),
        (
            {
                "graph": "https://w3id.org/unkg/graph/history",
                "message": "m",
                "additions": "<urn:a> <urn:b> <urn:c> .",
            },
            "graph",
        ),
        ({"graph": "not an iri", "message": "m", "additions": "<urn:a> <urn:b> <urn:c> ."}, "graph"),
        (
            {
                "graph": "https://w3id.org/unkg/graph/typo",
                "message": "m",
                "additions": "<urn:a> <urn:b> <urn:c> .",
            },
            "graph",
        ),
        ({"graph": "GRAPH", "message": "m", "removals": "_:x <urn:b> <urn:c> ."}, "removals"),
        ({"graph": "GRAPH", "message": "m", "format": "text/csv", "additions": "a,b"}, "format"),
    ],
)
def test_a_malformed_changeset_is_422_naming_the_field(
    client: TestClient, curator: dict[str, str], body: dict[str, str], parameter: str
) -> None:
    if body["graph"] == "GRAPH":
        body = {**body, "graph": graph_of(client, DOCUMENT)}
    count = quads(client)
    response = client.post("/api/changesets", json=body, headers=curator)
    assert response.status_code == 422, response.text
    assert response.json()["parameter"] == parameter
    if body.get("additions") == "<urn:a> <urn:b> .":
        assert "line 1" in response.json()["detail"]
    assert quads(client) == count


def test_a_new_blank_node_is_judged_too(client: TestClient, curator: dict[str, str]) -> None:
    """An addressing added as a blank node without its organization breaks the Addressing shape."""
    status, graph = a_wipo_status(client)
    recommendation = select(
        client.app.state.store,  # type: ignore[attr-defined]
        f"SELECT ?r WHERE {{ <{status}> <{UNKG}recommendation> ?r }}",
    )[0]["r"]
    additions = f"<{recommendation}> <{UNKG}addressing> [ a <{UNKG}Addressing> ] ."
    response = client.post(
        "/api/changesets",
        json={"graph": graph, "message": "m", "additions": additions},
        headers={**curator, **versions(client, str(recommendation))},
    )
    assert response.status_code == 422, response.text
    assert any("MinCount" in result["constraint"] for result in response.json()["results"])


def test_only_an_admin_creates_a_graph(client: TestClient, tokens: TokenStore) -> None:
    _, text = tokens.create(name="Admin", role="admin")
    body = {
        "graph": "https://w3id.org/unkg/graph/librarians-notes",
        "message": "a graph for notes",
        "additions": '<https://w3id.org/unkg/id/note/1> <http://www.w3.org/2000/01/rdf-schema#comment> "seen" .',
    }
    response = client.post("/api/changesets", json=body, headers={"Authorization": f"Bearer {text}"})
    assert response.status_code == 201, response.text
    assert client.get("/api/changesets", params={"graph": body["graph"]}).json()["total"] == 1


def test_a_revert_is_the_inverse_changeset_through_the_same_gate(
    client: TestClient, curator: dict[str, str]
) -> None:
    graph = graph_of(client, DOCUMENT)
    size = graph_size(client, graph)
    applied = client.post(
        "/api/changesets",
        json={"graph": graph, "message": "German title", "additions": title("Überprüfung", "de")},
        headers={**curator, **versions(client, DOCUMENT)},
    ).json()
    assert client.get("/api/documents/JIU/REP/2024/4", params={"lang": "de"}).json()["title"] == {
        "de": "Überprüfung"
    }
    assert (
        client.post(f"/api/changesets/{applied['id']}/revert", json={"message": "wrong"}).status_code == 401
    )
    response = client.post(
        f"/api/changesets/{applied['id']}/revert",
        json={"message": "not from the catalogue"},
        headers={**curator, **versions(client, DOCUMENT)},
    )
    assert response.status_code == 201, response.text
    reverted = response.json()
    assert reverted["removals"] == 1 and reverted["additions"] == 0
    assert reverted["message"] == f"Revert of {applied['id']}: not from the catalogue"
    assert f'D <{DOCUMENT}> <{DCT_TITLE}> "Überprüfung"@de <{graph}> .' in reverted["patch"]
    # The graph is as it was (the two records stay in the history).
    assert "de" not in client.get("/api/documents/JIU/REP/2024/4").json()["title"]
    assert graph_size(client, graph) == size
    assert (
        client.post("/api/changesets/nope/revert", json={"message": "m"}, headers=curator).status_code == 404
    )


def test_a_revert_needs_no_body_and_says_so_in_its_message(
    client: TestClient, curator: dict[str, str]
) -> None:
    graph = graph_of(client, DOCUMENT)
    applied = client.post(
        "/api/changesets",
        json={"graph": graph, "message": "Spanish title", "additions": title("Examen", "es")},
        headers={**curator, **versions(client, DOCUMENT)},
    ).json()
    response = client.post(
        f"/api/changesets/{applied['id']}/revert", headers={**curator, **versions(client, DOCUMENT)}
    )
    assert response.status_code == 201, response.text
    assert response.json()["message"] == f"Revert of {applied['id']}"
    assert "es" not in client.get("/api/documents/JIU/REP/2024/4").json()["title"]


def test_a_revert_that_would_break_a_shape_now_is_refused(
    client: TestClient, curator: dict[str, str]
) -> None:
    """Add an Italian title to a document without a symbol, then remove its other titles: undoing the
    first change would leave it with neither, which the shapes forbid, so the revert is refused."""
    store = client.app.state.store  # type: ignore[attr-defined]
    rows = select(
        store,
        f"""SELECT ?d (SAMPLE(?g) AS ?graph) WHERE {{ GRAPH ?g {{ ?d <{DCT_TITLE}> ?t }}
            FILTER NOT EXISTS {{ ?d <http://purl.org/dc/terms/alternative>|<{UNKG}symbol> ?a }} }}
            GROUP BY ?d HAVING (COUNT(DISTINCT ?g) = 1) ORDER BY ?d LIMIT 1""",
    )
    document, graph = str(rows[0]["d"]), str(rows[0]["graph"])
    titles = select(store, f"SELECT ?t WHERE {{ GRAPH <{graph}> {{ <{document}> <{DCT_TITLE}> ?t }} }}")
    added = client.post(
        "/api/changesets",
        json={
            "graph": graph,
            "message": "Italian title",
            "additions": f'<{document}> <{DCT_TITLE}> "Titolo"@it .',
        },
        headers={**curator, **versions(client, document)},
    )
    assert added.status_code == 201, added.text
    removals = "\n".join(f"<{document}> <{DCT_TITLE}> {row['t'].n3()} ." for row in titles)
    removed = client.post(
        "/api/changesets",
        json={"graph": graph, "message": "keep Italian only", "removals": removals},
        headers={**curator, **versions(client, document)},
    )
    assert removed.status_code == 201, removed.text
    count = quads(client)
    refused = client.post(
        f"/api/changesets/{added.json()['id']}/revert",
        json={"message": "undo"},
        headers={**curator, **versions(client, document)},
    )
    assert refused.status_code == 422, refused.text
    assert any(result["focusNode"] == document for result in refused.json()["results"])
    assert quads(client) == count
