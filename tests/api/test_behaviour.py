"""What every /api answer does: ETag and 304, languages with fallback, JSON-LD that states only what
the graph states, 406, and freshness after a write."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from pyld import jsonld
from rdflib import Graph, Literal, URIRef

from service.app import create_app
from service.rdf import term
from service.sparql.results import ask
from service.stores import OxigraphStore
from tests.conftest import vary
from tests.ingest.conftest import ingest_settings

URLS = [
    "/api/documents/JIU/REP/2024/4",
    "/api/documents?type=jiu_report&limit=3",
    "/api/recommendations/jiu-rep-2024-4/formal/2",
    "/api/recommendations?organization=wipo&open=true",
    "/api/bodies/wipo",
    "/api/bodies?kind=network",
    "/api/networks",
    "/api/search?q=相互承认",
    "/api/queries",
    "/api/queries/reports-citing?resolution=A/RES/71/243",
]


@pytest.mark.parametrize("url", URLS)
def test_every_answer_has_an_etag_and_is_304_when_it_matches(bundled: TestClient, url: str) -> None:
    response = bundled.get(url)
    assert response.status_code == 200
    etag = response.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert vary(response) >= {"Accept", "Accept-Language"}
    again = bundled.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert bundled.get(url, headers={"If-None-Match": 'W/"other", ' + etag}).status_code == 304
    assert bundled.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_languages_come_from_lang_or_accept_language_with_fallback(bundled: TestClient) -> None:
    both = bundled.get("/api/bodies/wipo").json()
    assert both["label"] == {"en": "World Intellectual Property Organization", "zh": "世界知识产权组织"}
    chinese = bundled.get("/api/bodies/wipo", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}).json()
    assert chinese["label"] == {"zh": "世界知识产权组织"}
    assert chinese["children"][0]["label"] == "行政、财务和管理部门"
    english = bundled.get("/api/bodies/wipo?lang=en", headers={"Accept-Language": "zh"}).json()
    assert english["label"] == {"en": "World Intellectual Property Organization"}
    # No French label: English is the fallback; a text only in Chinese stays Chinese.
    french = bundled.get("/api/bodies/wipo?lang=fr").json()
    assert french["label"] == {"en": "World Intellectual Property Organization"}
    title = bundled.get("/api/documents/JIU/REP/2024/4?lang=en").json()["title"]
    assert title == {"zh": "审查联合国系统内相互承认原则的执行情况"}


def test_json_ld_states_only_what_the_graph_states(bundled: TestClient) -> None:
    def load(url: str, options: Any = None) -> dict[str, Any]:
        return {"contextUrl": None, "documentUrl": url, "document": bundled.get(url).json()}

    context = bundled.get("/api/context.jsonld")
    assert context.headers["content-type"] == "application/ld+json"
    store = bundled.app.state.store  # type: ignore[attr-defined]
    for url in ("/api/documents/JIU/REP/2024/4", "/api/recommendations?report=JIU/REP/2024/4&limit=5"):
        response = bundled.get(url, headers={"Accept": "application/ld+json"})
        assert response.headers["content-type"] == "application/ld+json"
        document = response.json()
        assert document["@context"] == "http://testserver/api/context.jsonld"
        nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": load})
        triples = set(Graph().parse(data=nquads, format="nt"))
        assert len(triples) > 10
        for s, p, o in triples:
            assert ask(store, f"ASK {{ {term(s)} {term(p)} {term(o)} }}"), (s, p, o)
    report = URIRef("https://w3id.org/unkg/id/document/jiu-rep-2024-4")
    facts = set(
        Graph().parse(
            data=jsonld.to_rdf(
                bundled.get(URLS[0], headers={"Accept": "application/ld+json"}).json(),
                {"format": "application/n-quads", "documentLoader": load},
            ),
            format="nt",
        )
    )
    assert (report, URIRef("https://w3id.org/unkg/ontology#symbol"), Literal("JIU/REP/2024/4")) in facts
    assert (
        report,
        URIRef("http://purl.org/spar/cito/cites"),
        URIRef("https://w3id.org/unkg/id/document/a-res-71-243"),
    ) in facts


def test_an_unacceptable_media_type_is_406(bundled: TestClient) -> None:
    response = bundled.get("/api/documents", headers={"Accept": "text/turtle"})
    assert response.status_code == 406
    assert "application/json" in response.json()["detail"]


def test_a_write_is_seen_by_the_next_answer_and_changes_the_etag() -> None:
    store = OxigraphStore()
    with TestClient(create_app(ingest_settings(), store=store)) as client:
        before = client.get("/api/bodies/wipo")
        client.app.state.store.load(  # type: ignore[attr-defined]
            b'<https://w3id.org/unkg/id/body/wipo> <https://w3id.org/unkg/ontology#acronym> "OMPI"@fr .',
            media_type="application/n-triples",
            graph="https://w3id.org/unkg/graph/test",
        )
        after = client.get("/api/bodies/wipo")
        assert after.json()["acronym"]["fr"] == "OMPI"
        assert "fr" not in before.json()["acronym"]
        assert after.headers["etag"] != before.headers["etag"]
        assert (
            client.get("/api/bodies/wipo", headers={"If-None-Match": before.headers["etag"]}).status_code
            == 200
        )
    store.close()
