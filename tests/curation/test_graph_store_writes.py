"""Graph Store Protocol writes (PUT, POST, DELETE on /rdf-graph-store) are changesets like any other:
a token, If-Match with the graph's ETag, the SHACL gate, and the history (so a revert undoes them)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from service.tokens import TokenStore
from tests.curation.conftest import DOCUMENT, UNKG, a_wipo_status, graph_of, graph_size, quads, title

NT = {"Content-Type": "application/n-triples"}
NOTES = "https://w3id.org/unkg/graph/gsp-notes"
NOTE = '<https://w3id.org/unkg/id/note/gsp> <http://www.w3.org/2000/01/rdf-schema#comment> "kept" .\n'


def graph_etag(client: TestClient, graph: str) -> str:
    response = client.get(
        "/rdf-graph-store", params={"graph": graph}, headers={"Accept": "application/n-triples"}
    )
    assert response.status_code == 200, response.text
    return response.headers["etag"]


def test_writes_need_a_token_and_the_default_graph_is_written_in_its_write_graph(
    client: TestClient, curator: dict[str, str]
) -> None:
    graph = graph_of(client, DOCUMENT)
    count = quads(client)
    assert (
        client.put("/rdf-graph-store", params={"graph": graph}, content=NOTE, headers=NT).status_code == 401
    )
    assert client.delete("/rdf-graph-store", params={"graph": graph}).status_code == 401
    assert quads(client) == count
    # The default graph is the union of the data graphs: a write to it goes to the write graph.
    note = NOTE.replace("note/gsp", "note/gsp-default")
    response = client.post(
        "/rdf-graph-store", params={"default": ""}, content=note, headers={**curator, **NT}
    )
    assert response.status_code == 201, response.text
    assert response.json()["graph"] == "https://w3id.org/unkg/graph/default"
    read = client.get("/rdf-graph-store", params={"default": ""}, headers={"Accept": "application/n-triples"})
    assert note.strip() in read.text


def test_put_replaces_the_graph_as_one_changeset_with_if_match(
    client: TestClient, curator: dict[str, str]
) -> None:
    graph = graph_of(client, DOCUMENT)
    current = client.get(
        "/rdf-graph-store", params={"graph": graph}, headers={"Accept": "application/n-triples"}
    )
    body = current.text + title("Reseña", "es") + "\n"
    count = quads(client)
    without = client.put("/rdf-graph-store", params={"graph": graph}, content=body, headers={**curator, **NT})
    assert without.status_code == 428 and quads(client) == count
    headers = {**curator, **NT, "If-Match": current.headers["etag"]}
    response = client.put(
        "/rdf-graph-store", params={"graph": graph, "message": "Spanish title"}, content=body, headers=headers
    )
    # 200: the graph was there and is replaced (201 is for a graph the PUT makes).
    assert response.status_code == 200, response.text[:500]
    created = response.json()
    assert (created["additions"], created["removals"]) == (1, 0)
    assert created["message"] == "Spanish title"
    assert client.get("/api/documents/JIU/REP/2024/4").json()["title"]["es"] == "Reseña"
    # The same ETag again is stale now: putting the old content back is refused, the title stays.
    again = client.put("/rdf-graph-store", params={"graph": graph}, content=current.text, headers=headers)
    assert again.status_code == 412, again.text
    assert client.get("/api/documents/JIU/REP/2024/4").json()["title"]["es"] == "Reseña"


def test_a_body_that_does_not_parse_or_breaks_a_shape_writes_nothing(
    client: TestClient, curator: dict[str, str]
) -> None:
    status, graph = a_wipo_status(client)
    etag = graph_etag(client, graph)
    count, size = quads(client), graph_size(client, graph)
    headers = {**curator, **NT, "If-Match": etag}
    bad = client.post(
        "/rdf-graph-store", params={"graph": graph}, content="<urn:a> <urn:b> .\n", headers=headers
    )
    assert bad.status_code == 400 and "line 1" in bad.json()["detail"]
    maybe = f"<{status}> <{UNKG}acceptance> <https://w3id.org/unkg/id/acceptance-status/maybe> .\n"
    broken = client.post("/rdf-graph-store", params={"graph": graph}, content=maybe, headers=headers)
    assert broken.status_code == 422, broken.text[:500]
    assert any(result["focusNode"] == status for result in broken.json()["results"])
    wrong = client.post(
        "/rdf-graph-store",
        params={"graph": graph},
        content="a,b",
        headers={**curator, "Content-Type": "text/csv"},
    )
    assert wrong.status_code == 415
    assert quads(client) == count and graph_size(client, graph) == size


def test_post_adds_and_delete_empties_and_a_revert_brings_it_back(
    client: TestClient, curator: dict[str, str], tokens: TokenStore
) -> None:
    _, text = tokens.create(name="Admin", role="admin")
    admin = {"Authorization": f"Bearer {text}"}
    # A new graph: only an admin creates one; its resources are new, so no If-Match is needed.
    assert (
        client.post(
            "/rdf-graph-store", params={"graph": NOTES}, content=NOTE, headers={**curator, **NT}
        ).status_code
        == 422
    )
    created = client.post("/rdf-graph-store", params={"graph": NOTES}, content=NOTE, headers={**admin, **NT})
    assert created.status_code == 201, created.text
    assert graph_size(client, NOTES) == 1
    # Posting what it holds already changes nothing.
    same = client.post("/rdf-graph-store", params={"graph": NOTES}, content=NOTE, headers={**curator, **NT})
    assert same.status_code == 204
    deleted = client.delete(
        "/rdf-graph-store",
        params={"graph": NOTES},
        headers={**curator, "If-Match": graph_etag(client, NOTES)},
    )
    assert deleted.status_code == 200, deleted.text[:500]
    assert client.get("/rdf-graph-store", params={"graph": NOTES}).status_code == 404
    history = client.get("/api/changesets", params={"graph": NOTES}).json()
    assert history["total"] == 2
    reverted = client.post(
        f"/api/changesets/{deleted.json()['id']}/revert",
        json={"message": "deleted by mistake"},
        headers=curator,
    )
    assert reverted.status_code == 201, reverted.text
    assert graph_size(client, NOTES) == 1


def test_a_graph_with_blank_nodes_is_replaced_and_dropped_whole(
    client: TestClient, tokens: TokenStore
) -> None:
    _, text = tokens.create(name="Admin of blanks", role="admin")
    admin = {"Authorization": f"Bearer {text}"}
    graph = "https://w3id.org/unkg/graph/gsp-blank"
    see_also = "<https://w3id.org/unkg/id/note/b> <http://www.w3.org/2000/01/rdf-schema#seeAlso>"
    body = f'{see_also} _:x .\n_:x <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n'
    made = client.put("/rdf-graph-store", params={"graph": graph}, content=body, headers={**admin, **NT})
    assert made.status_code == 201, made.text
    # Replaced: the blank nodes it held cannot be named, so the graph is emptied and written anew.
    again = body.replace('"x"', '"y"')
    headers = {**admin, **NT, "If-Match": graph_etag(client, graph)}
    replaced = client.put("/rdf-graph-store", params={"graph": graph}, content=again, headers=headers)
    assert replaced.status_code == 200, replaced.text
    read = client.get(
        "/rdf-graph-store", params={"graph": graph}, headers={"Accept": "application/n-triples"}
    )
    assert '"y"' in read.text and '"x"' not in read.text and graph_size(client, graph) == 2
    dropped = client.delete(
        "/rdf-graph-store", params={"graph": graph}, headers={**admin, "If-Match": graph_etag(client, graph)}
    )
    assert dropped.status_code == 200, dropped.text
    assert client.get("/rdf-graph-store", params={"graph": graph}).status_code == 404
    # Nor is anything of it left in the default graph, the union of the data graphs.
    rows = client.get("/sparql", params={"query": f"ASK {{ {see_also} ?o }}"}).json()
    assert rows["boolean"] is False
