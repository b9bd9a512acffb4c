"""Curation over a remote store (a real Oxigraph server) shared by two unkg servers, and the admin's
token API."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef

from service.app import create_app
from service.curation.changesets import history_graph, write_update
from service.curation.gate import Change
from service.tokens import TokenStore
from tests.conftest import empty_remote_store
from tests.curation.conftest import DCT_TITLE, DOCUMENT, UNKG, a_wipo_status, graph_of, title, versions
from tests.ingest.conftest import ingest_settings


@pytest.fixture(scope="module")
def two_servers(
    oxigraph_server: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, TestClient, dict[str, str]]]:
    """Two unkg apps over one remote store (the first installs the sources), one token file."""
    tokens = TokenStore(tmp_path_factory.mktemp("var") / "tokens.json")
    _, secret = tokens.create(name="Remote librarian", role="curator")
    settings = ingest_settings().model_copy(update={"tokens_path": tokens.path})
    stores = [empty_remote_store(oxigraph_server)]
    with TestClient(create_app(settings, store=stores[0])) as first:
        stores.append(empty_remote_store(oxigraph_server, empty=False))
        with TestClient(create_app(settings, store=stores[1])) as second:
            yield first, second, {"Authorization": f"Bearer {secret}"}
    for store in stores:
        store.close()


def remote_ask(url: str, query: str) -> bool:
    response = httpx.post(
        f"{url}/query",
        content=query.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    )
    return bool(response.json()["boolean"])


def test_a_changeset_lands_whole_on_the_remote_store_and_the_other_server_sees_it(
    two_servers: tuple[TestClient, TestClient, dict[str, str]], oxigraph_server: str
) -> None:
    first, second, curator = two_servers
    seen = versions(first, DOCUMENT)
    body = {
        "graph": graph_of(first, DOCUMENT),
        "message": "remote",
        "additions": title("Examen distant", "fr"),
    }
    applied = first.post("/api/changesets", json=body, headers={**curator, **seen})
    assert applied.status_code == 201, applied.text
    record = applied.json()["iri"]
    # On the remote server itself: the change and its record, together.
    assert remote_ask(
        oxigraph_server, f'ASK {{ GRAPH ?g {{ <{DOCUMENT}> <{DCT_TITLE}> "Examen distant"@fr }} }}'
    )
    assert remote_ask(
        oxigraph_server, f"ASK {{ GRAPH <{history_graph('https://w3id.org/unkg/')}> {{ <{record}> ?p ?o }} }}"
    )
    # The other server sees the new version at once, and refuses a write based on the old one.
    assert second.get(f"/api/changesets/{applied.json()['id']}").status_code == 200
    stale = {"graph": body["graph"], "message": "stale", "additions": title("Revisión", "es")}
    refused = second.post("/api/changesets", json=stale, headers={**curator, **seen})
    assert refused.status_code == 412, refused.text


def test_a_guarded_write_changes_nothing_on_the_remote_store_when_the_version_moved(
    two_servers: tuple[TestClient, TestClient, dict[str, str]], oxigraph_server: str
) -> None:
    """What keeps check and write together across servers: the update carries the version the gate
    checked, and a store at another version applies none of it."""
    first, _, _ = two_servers
    store = first.app.state.store  # type: ignore[attr-defined]
    additions = Graph()
    additions.add((URIRef(DOCUMENT), URIRef(DCT_TITLE), Literal("Jamais", lang="fr")))
    change = Change(graph=graph_of(first, DOCUMENT), additions=additions)
    stale = store.stored_version() - 1
    store.update(
        write_update(
            [change],
            base_iri="https://w3id.org/unkg/",
            layout=store.layout,
            expected_version=stale,
            history_added=["<urn:x> <urn:y> <urn:z>"],
        )
    )
    assert not remote_ask(oxigraph_server, f'ASK {{ GRAPH ?g {{ <{DOCUMENT}> <{DCT_TITLE}> "Jamais"@fr }} }}')
    assert not remote_ask(oxigraph_server, "ASK { GRAPH ?g { <urn:x> <urn:y> <urn:z> } }")


def test_of_two_servers_writing_at_once_the_one_that_lost_the_race_is_answered_409_and_writes_nothing(
    two_servers: tuple[TestClient, TestClient, dict[str, str]], oxigraph_server: str
) -> None:
    """Each server checks a changeset against the store's version, then writes; when the other
    server's write lands in between, the guard holds this one back whole and its client is told to
    send it again. Both servers write in a loop until such a race has happened."""
    first, second, curator = two_servers
    store = first.app.state.store  # type: ignore[attr-defined]
    graph = graph_of(first, DOCUMENT)
    answers: dict[str, httpx.Response] = {}

    def write(client: TestClient, name: str, count: int) -> None:
        for n in range(count):
            tag = f"fr-x-{name}{n}"  # a title per language: each change its own
            body = {"graph": graph, "message": f"race {tag}", "additions": title(f"Course {tag}", tag)}
            answers[tag] = client.post("/api/changesets", json=body, headers={**curator, "If-Match": "*"})

    before = store.stored_version()
    for round in range(8):
        threads = [
            threading.Thread(target=write, args=(server, f"r{round}s{index}", 6))
            for index, server in enumerate((first, second))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if any(answer.status_code == 409 for answer in answers.values()):
            break
    lost = {tag: answer for tag, answer in answers.items() if answer.status_code == 409}
    applied = {tag: answer for tag, answer in answers.items() if answer.status_code == 201}
    assert lost, "no race in 8 rounds of 12 concurrent changesets"
    assert len(lost) + len(applied) == len(answers), [a.text for a in answers.values()]
    assert all("send it again" in answer.json()["detail"] for answer in lost.values())
    # Each applied changeset made one store version; a lost one made none and left no trace.
    assert store.stored_version() - before == len(applied)
    history = history_graph("https://w3id.org/unkg/")
    for tag in answers:
        kept = remote_ask(
            oxigraph_server, f'ASK {{ GRAPH ?g {{ <{DOCUMENT}> <{DCT_TITLE}> "Course {tag}"@{tag} }} }}'
        )
        recorded = remote_ask(oxigraph_server, f'ASK {{ GRAPH <{history}> {{ ?c ?p "race {tag}" }} }}')
        assert kept == recorded == (tag in applied), tag


def test_an_admin_makes_lists_and_revokes_tokens_over_http(client: TestClient, tokens: TokenStore) -> None:
    _, admin_text = tokens.create(name="Token admin", role="admin")
    admin = {"Authorization": f"Bearer {admin_text}"}
    _, curator_text = tokens.create(name="Not an admin", role="curator")
    made = {"name": "New reviewer", "role": "reviewer"}
    assert (
        client.post("/api/tokens", json=made, headers={"Authorization": f"Bearer {curator_text}"}).status_code
        == 403
    )
    assert client.post("/api/tokens", json={"name": "x", "role": "king"}, headers=admin).status_code == 422
    created = client.post("/api/tokens", json=made, headers=admin)
    assert created.status_code == 201 and created.headers["cache-control"] == "no-store"
    reviewer = {"Authorization": f"Bearer {created.json()['token']}"}
    assert client.get("/api/me", headers=reviewer).json()["role"] == "reviewer"
    listed = client.get("/api/tokens", headers=admin).json()["items"]
    assert created.json()["id"] in [item["id"] for item in listed]
    assert all("secret_sha256" not in item and "token" not in item for item in listed)
    revoked = client.delete(f"/api/tokens/{created.json()['id']}", headers=admin)
    assert revoked.status_code == 200 and revoked.json()["revoked"]
    assert client.get("/api/me", headers=reviewer).status_code == 401
    assert client.delete("/api/tokens/nope", headers=admin).status_code == 404


def test_one_update_changing_two_graphs_lands_whole_or_not_at_all_on_the_remote_store(
    two_servers: tuple[TestClient, TestClient, dict[str, str]], oxigraph_server: str
) -> None:
    first, _, curator = two_servers
    status, status_graph = a_wipo_status(first)
    document_graph = graph_of(first, DOCUMENT)
    german = f'<{DOCUMENT}> <{DCT_TITLE}> "Prüfung"@de'
    breaking = (
        f"INSERT DATA {{ GRAPH <{document_graph}> {{ {german} }} }} ;\n"
        f"DELETE WHERE {{ GRAPH <{status_graph}> {{ <{status}> <{UNKG}organization> ?organization }} }}"
    )
    update = {"Content-Type": "application/sparql-update", **curator}
    refused = first.post("/sparql", content=breaking, headers=update)
    assert refused.status_code == 422, refused.text
    # Neither part was written: not the title, which conforms, in its own graph or in the union.
    assert not remote_ask(oxigraph_server, f"ASK {{ GRAPH ?g {{ {german} }} }}")
    assert not remote_ask(oxigraph_server, f"ASK {{ {german} }}")
    note = f'<{status}> <http://www.w3.org/2000/01/rdf-schema#comment> "checked"'
    both = f"INSERT DATA {{ GRAPH <{document_graph}> {{ {german} }} GRAPH <{status_graph}> {{ {note} }} }}"
    applied = first.post("/sparql", content=both, headers=update)
    assert applied.status_code == 201, applied.text
    records = applied.json()["changesets"]
    assert sorted(record["graph"] for record in records) == sorted([document_graph, status_graph])
    # On the remote server: both graphs, both records, and the union the default graph keeps.
    for triple, graph in ((german, document_graph), (note, status_graph)):
        assert remote_ask(oxigraph_server, f"ASK {{ GRAPH <{graph}> {{ {triple} }} }}")
        assert remote_ask(oxigraph_server, f"ASK {{ {triple} }}")
    history = history_graph("https://w3id.org/unkg/")
    for record in records:
        assert remote_ask(oxigraph_server, f"ASK {{ GRAPH <{history}> {{ <{record['iri']}> ?p ?o }} }}")
    # The bookkeeping is not in the remote store's default graph.
    assert not remote_ask(oxigraph_server, f"ASK {{ <{records[0]['iri']}> ?p ?o }}")
