"""Safe concurrency (ETags, If-Match: 428, 412) and review (submitted, approved, rejected), through HTTP."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Namespace

from service.tokens import TokenStore
from tests.curation.conftest import DOCUMENT, a_wipo_status, graph_of, graph_size, quads, title, versions

SH = Namespace("http://www.w3.org/ns/shacl#")


def bearer(tokens: TokenStore, role: str, name: str) -> dict[str, str]:
    _, text = tokens.create(name=name, role=role)  # type: ignore[arg-type]
    return {"Authorization": f"Bearer {text}"}


def doc_path(resource: str) -> str:
    return "/doc/" + resource.removeprefix("https://w3id.org/unkg/id/")


def test_a_resource_carries_an_etag_that_moves_with_its_statements_only(
    client: TestClient, curator: dict[str, str]
) -> None:
    first = client.get(doc_path(DOCUMENT), headers={"Accept": "text/turtle"})
    html = client.get(doc_path(DOCUMENT), headers={"Accept": "text/html"})
    etag = first.headers["etag"]
    # Formats differ by their ETag's hash, and share the version before it.
    assert etag != html.headers["etag"] and etag.split("-")[0] == html.headers["etag"].split("-")[0]
    assert 'rel="version-history"' in first.headers["link"]
    again = client.get(doc_path(DOCUMENT), headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert again.status_code == 304
    # HEAD gives the same ETag without the body: what a client asks before writing.
    head = client.head(doc_path(DOCUMENT), headers={"Accept": "text/turtle"})
    assert head.status_code == 200 and head.headers["etag"] == etag and not head.content
    # A change to another resource leaves this one's version alone.
    status, graph = a_wipo_status(client)
    other = client.post(
        "/api/changesets",
        json={"graph": graph, "message": "m", "additions": f'<{status}> <{RDFS}comment> "checked" .'},
        headers={**curator, **versions(client, status)},
    )
    assert other.status_code == 201, other.text
    assert client.get(doc_path(DOCUMENT), headers={"Accept": "text/turtle"}).headers["etag"] == etag
    # A change to it moves it.
    changed = client.post(
        "/api/changesets",
        json={"graph": graph_of(client, DOCUMENT), "message": "m", "additions": title("Revue", "fr")},
        headers={**curator, "If-Match": etag},
    )
    assert changed.status_code == 201, changed.text
    assert client.get(doc_path(DOCUMENT), headers={"Accept": "text/turtle"}).headers["etag"] != etag


RDFS = "http://www.w3.org/2000/01/rdf-schema#"


def test_without_if_match_a_change_to_an_existing_resource_is_428_and_a_new_one_needs_none(
    client: TestClient, curator: dict[str, str]
) -> None:
    graph = graph_of(client, DOCUMENT)
    count = quads(client)
    body = {"graph": graph, "message": "m", "additions": title("Rassegna", "it")}
    refused = client.post("/api/changesets", json=body, headers=curator)
    assert refused.status_code == 428, refused.text
    assert refused.json()["resources"] == [DOCUMENT] and quads(client) == count
    new = {
        "graph": graph,
        "message": "a note on a new resource",
        "additions": f'<https://w3id.org/unkg/id/note/n1> <{RDFS}comment> "new" .',
    }
    assert client.post("/api/changesets", json=new, headers=curator).status_code == 201


def test_of_two_librarians_editing_from_the_same_version_one_wins_and_the_other_gets_412(
    client: TestClient, curator: dict[str, str], tokens: TokenStore
) -> None:
    other = bearer(tokens, "curator", "Second librarian")
    graph = graph_of(client, DOCUMENT)
    seen = versions(client, DOCUMENT)
    first = client.post(
        "/api/changesets",
        json={"graph": graph, "message": "Spanish", "additions": title("Examen ES", "es")},
        headers={**curator, **seen},
    )
    assert first.status_code == 201, first.text
    count = quads(client)
    second = client.post(
        "/api/changesets",
        json={"graph": graph, "message": "Russian", "additions": title("Обзор", "ru")},
        headers={**other, **seen},
    )
    assert second.status_code == 412, second.text
    assert second.json()["changed"] == [DOCUMENT]
    # Nothing lost: the first change stands, the second wrote nothing.
    assert quads(client) == count
    titles = client.get("/api/documents/JIU/REP/2024/4", params={"lang": "es"}).json()["title"]
    assert titles == {"es": "Examen ES"}


def test_the_graph_etag_serves_as_if_match_and_any_write_to_the_graph_moves_it(
    client: TestClient, curator: dict[str, str]
) -> None:
    graph = graph_of(client, DOCUMENT)
    read = client.get(
        "/rdf-graph-store", params={"graph": graph}, headers={"Accept": "application/n-triples"}
    )
    etag = read.headers["etag"]
    assert etag.startswith('"g')
    body = {"graph": graph, "message": "m", "additions": title("Przegląd", "pl")}
    applied = client.post("/api/changesets", json=body, headers={**curator, "If-Match": etag})
    assert applied.status_code == 201, applied.text
    moved = client.get(
        "/rdf-graph-store", params={"graph": graph}, headers={"Accept": "application/n-triples"}
    )
    assert moved.headers["etag"].split("-")[0] != etag.split("-")[0]
    stale = {"graph": graph, "message": "m", "additions": title("Áttekintés", "hu")}
    assert (
        client.post("/api/changesets", json=stale, headers={**curator, "If-Match": etag}).status_code == 412
    )
    # A weak tag never matches (If-Match compares strongly).
    weak = {"If-Match": "W/" + moved.headers["etag"]}
    assert client.post("/api/changesets", json=stale, headers={**curator, **weak}).status_code == 412


def test_a_rejected_change_can_be_had_as_a_turtle_validation_report(
    client: TestClient, curator: dict[str, str]
) -> None:
    status, graph = a_wipo_status(client)
    body = {
        "graph": graph,
        "message": "m",
        "removals": f"<{status}> <https://w3id.org/unkg/ontology#organization> <https://w3id.org/unkg/id/body/wipo> .",
    }
    headers = {**curator, **versions(client, status), "Accept": "text/turtle"}
    response = client.post("/api/changesets", json=body, headers=headers)
    assert response.status_code == 422 and response.headers["content-type"].startswith("text/turtle")
    report = Graph().parse(data=response.text, format="turtle")
    results = list(report.subjects(SH.focusNode, None))
    assert results and str(report.value(results[0], SH.focusNode)) == status
    assert (None, SH.conforms, None) in report


@pytest.fixture(scope="module")
def review(client: TestClient, tokens: TokenStore) -> dict[str, dict[str, str]]:
    """The document's graph requires review (set by an admin); a reviewer and a second reviewer."""
    admin = bearer(tokens, "admin", "Graph admin")
    graph = graph_of(client, DOCUMENT)
    curator_only = bearer(tokens, "curator", "Curator who may not configure")
    settings = {"reviewRequired": True}
    assert (
        client.put(
            "/api/graphs/settings", params={"graph": graph}, json=settings, headers=curator_only
        ).status_code
        == 403
    )
    response = client.put("/api/graphs/settings", params={"graph": graph}, json=settings, headers=admin)
    assert response.status_code == 200, response.text
    listed = {item["graph"]: item for item in client.get("/api/graphs").json()["items"]}
    assert listed[graph]["reviewRequired"] is True
    return {"reviewer": bearer(tokens, "reviewer", "Reviewer"), "admin": admin}


def submit(client: TestClient, curator: dict[str, str], text: str, language: str) -> dict[str, object]:
    body = {
        "graph": graph_of(client, DOCUMENT),
        "message": f"{language} title",
        "additions": title(text, language),
    }
    response = client.post("/api/changesets", json=body, headers={**curator, **versions(client, DOCUMENT)})
    assert response.status_code == 202, response.text
    created: dict[str, object] = response.json()
    assert created["status"] == "submitted"
    return created


def titles(client: TestClient) -> dict[str, str]:
    result: dict[str, str] = client.get("/api/documents/JIU/REP/2024/4").json()["title"]
    return result


def test_in_a_graph_that_requires_review_a_change_waits_until_a_reviewer_approves_it(
    client: TestClient, curator: dict[str, str], review: dict[str, dict[str, str]]
) -> None:
    graph = graph_of(client, DOCUMENT)
    size = graph_size(client, graph)
    submitted = submit(client, curator, "Granskning", "sv")
    assert graph_size(client, graph) == size and "sv" not in titles(client)
    waiting = client.get("/api/changesets", params={"status": "submitted"}).json()["items"]
    assert submitted["id"] in [item["id"] for item in waiting]
    url = f"/api/changesets/{submitted['id']}"
    # A curator may not approve; nor may the author, whatever their role.
    assert client.post(f"{url}/approve", headers=curator).status_code == 403
    approved = client.post(f"{url}/approve", headers=review["reviewer"])
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "applied"
    assert approved.json()["review"]["reviewer"]["name"] == "Reviewer"
    # Ordered by its application (the approval), not its submission.
    assert submitted.get("sequence") is None and approved.json()["sequence"] > 0
    assert titles(client).get("sv") == "Granskning"
    # Approving twice is a conflict, and changes nothing.
    count = quads(client)
    assert client.post(f"{url}/approve", headers=review["reviewer"]).status_code == 409
    assert quads(client) == count


def test_a_reviewer_rejects_with_a_reason_and_nothing_is_applied(
    client: TestClient, curator: dict[str, str], review: dict[str, dict[str, str]]
) -> None:
    submitted = submit(client, curator, "Tarkastelu", "fi")
    url = f"/api/changesets/{submitted['id']}"
    assert client.post(f"{url}/reject", json={"reason": ""}, headers=review["reviewer"]).status_code == 422
    count = quads(client)
    rejected = client.post(
        f"{url}/reject", json={"reason": "not in the catalogue"}, headers=review["reviewer"]
    )
    assert rejected.status_code == 200, rejected.text
    assert (
        rejected.json()["status"] == "rejected"
        and rejected.json()["review"]["reason"] == "not in the catalogue"
    )
    assert "fi" not in titles(client)
    assert client.post(f"{url}/approve", headers=review["reviewer"]).status_code == 409
    assert client.post(f"{url}/revert", json={"message": "m"}, headers=curator).status_code == 409
    # Only the record's state moved: the graph is as it was.
    assert quads(client) >= count and "fi" not in titles(client)


def test_approval_is_refused_when_what_it_changes_moved_since_it_was_submitted(
    client: TestClient, curator: dict[str, str], review: dict[str, dict[str, str]], tokens: TokenStore
) -> None:
    first = submit(client, curator, "Revisão", "pt")
    second = submit(client, curator, "Áttekintés", "hu")
    assert (
        client.post(f"/api/changesets/{first['id']}/approve", headers=review["reviewer"]).status_code == 200
    )
    # The second was written against the document as it was before the first: it is stale now.
    stale = client.post(f"/api/changesets/{second['id']}/approve", headers=review["reviewer"])
    assert stale.status_code == 412, stale.text
    assert stale.json()["changed"] == [DOCUMENT]
    assert "hu" not in titles(client)
    # The author may not review their own changeset, even as a reviewer.
    own = bearer(tokens, "reviewer", "Reviewing author")
    mine = client.post(
        "/api/changesets",
        json={"graph": graph_of(client, DOCUMENT), "message": "m", "additions": title("Pregled", "hr")},
        headers={**own, **versions(client, DOCUMENT)},
    ).json()
    assert client.post(f"/api/changesets/{mine['id']}/approve", headers=own).status_code == 403
