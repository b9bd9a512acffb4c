"""/api/documents: documents by symbol (slashes kept) or id, with filters and pages."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import every_item, sparql

JIU_REPORT = "https://w3id.org/unkg/id/document/jiu-rep-2024-4"


def test_a_document_is_read_by_its_symbol_with_slashes(bundled: TestClient) -> None:
    response = bundled.get("/api/documents/JIU/REP/2024/4")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    document = response.json()
    assert document["iri"] == JIU_REPORT
    assert document["id"] == "jiu-rep-2024-4"
    assert document["symbol"] == "JIU/REP/2024/4"
    assert document["type"] == "jiu_report"
    assert document["title"] == {"zh": "审查联合国系统内相互承认原则的执行情况"}
    assert document["issuer"] == {
        "id": "jiu",
        "iri": "https://w3id.org/unkg/id/body/jiu",
        "label": "Joint Inspection Unit",
    }
    assert document["page"] == "https://undocs.org/JIU/REP/2024/4"
    # 5 formal and 19 informal recommendations, formal first, each in number order.
    kinds = [(r["kind"], r["number"]) for r in document["recommendations"]]
    assert kinds == [("formal", n) for n in range(1, 6)] + [("informal", n) for n in range(1, 20)]
    cited = {c["symbol"] for c in document["cites"]}
    expected = {
        row["symbol"]
        for row in sparql(
            bundled, f"SELECT ?symbol WHERE {{ <{JIU_REPORT}> cito:cites/unkg:symbol ?symbol }}"
        )
    }
    assert cited == expected and "A/RES/71/243" in cited
    assert [c["symbol"] for c in document["cites"]] == sorted(cited)  # a stable order
    assert {"symbol": "WO/PBC/38/2"}.items() <= document["citedBy"][0].items()
    # Where the facts come from: the source file, its lines and the quote.
    title_source = next(s for s in document["sources"] if "dct:title" in s["supports"])
    assert title_source["file"] == "jiu-2024-mutual-recognition.zh.txt"
    assert title_source["lines"][0] >= 1 and title_source["quote"]


def test_a_resolution_symbol_with_slashes_resolves(bundled: TestClient) -> None:
    document = bundled.get("/api/documents/A/RES/71/243").json()
    assert document["symbol"] == "A/RES/71/243"
    assert document["type"] == "ga_resolution"
    citing = {d["symbol"] for d in document["citedBy"]}
    assert "JIU/REP/2024/4" in citing


def test_a_document_without_a_symbol_is_read_by_its_id(bundled: TestClient) -> None:
    document = bundled.get("/api/documents/ceb-annual-overview-2019").json()
    assert document["symbol"] is None
    assert document["type"] == "ceb_annual_overview_report"
    assert document["title"] == {"zh": "2019 年联合国系统行政首长协调理事会年度概览报告"}


def test_an_unknown_symbol_is_404_naming_it(bundled: TestClient) -> None:
    response = bundled.get("/api/documents/A/RES/99/999")
    assert response.status_code == 404
    assert response.json() == {
        "error": "not_found",
        "detail": "no document has the symbol or id 'A/RES/99/999'",
    }


def test_documents_filter_by_type_issuer_year_and_cited_symbol(bundled: TestClient) -> None:
    reports = every_item(bundled, "/api/documents?type=jiu_report&limit=7")
    expected = sparql(bundled, "SELECT DISTINCT ?d WHERE { ?d unkg:documentType/skos:notation 'jiu_report' }")
    assert {d["iri"] for d in reports} == {row["d"] for row in expected}
    assert all(d["type"] == "jiu_report" for d in reports)
    citing = bundled.get("/api/documents", params={"cites": "A/RES/71/243"}).json()
    expected = sparql(bundled, "SELECT DISTINCT ?d WHERE { ?d cito:cites/unkg:symbol 'A/RES/71/243' }")
    assert {d["iri"] for d in citing["items"]} == {row["d"] for row in expected}
    assert citing["total"] == len(expected) > 0
    by_ceb = bundled.get("/api/documents", params={"issuer": "ceb"}).json()["items"]
    assert [d["id"] for d in by_ceb] == ["ceb-annual-overview-2006-2007", "ceb-annual-overview-2019"]
    in_2024 = bundled.get("/api/documents", params={"year": 2024, "type": "jiu_report"}).json()["items"]
    assert "JIU/REP/2024/4" in [d["symbol"] for d in in_2024]
    assert all(d["date"].startswith("2024") for d in in_2024)


def test_documents_filter_by_text_in_chinese(bundled: TestClient) -> None:
    found = bundled.get("/api/documents", params={"q": "相互承认"}).json()["items"]
    assert "JIU/REP/2024/4" in [d["symbol"] for d in found]
    assert all("相互承认" in (d["symbol"] or "") + "".join(d["title"].values()) for d in found)


def test_pages_cover_every_document_once_in_a_stable_order(bundled: TestClient) -> None:
    first = bundled.get("/api/documents?limit=10").json()
    assert first["limit"] == 10 and first["offset"] == 0 and len(first["items"]) == 10
    assert first["next"].endswith("limit=10&offset=10")
    items = every_item(bundled, "/api/documents?limit=10")
    assert len(items) == first["total"] == len({d["iri"] for d in items})
    with_symbol = [d["symbol"] for d in items if d["symbol"]]
    assert with_symbol == sorted(with_symbol)
    assert items == every_item(bundled, "/api/documents?limit=10")


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("type=memo", "type"),
        ("issuer=nobody", "issuer"),
        ("cites=A/RES/1/1", "cites"),
        ("year=twenty", "year"),
        ("limit=0", "limit"),
        ("limit=100000", "limit"),
        ("offset=-1", "offset"),
    ],
)
def test_a_bad_filter_is_422_naming_the_parameter(bundled: TestClient, query: str, parameter: str) -> None:
    response = bundled.get(f"/api/documents?{query}")
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_parameter"
    assert body["parameter"] == parameter
    assert parameter in body["detail"]


def test_a_bad_type_lists_the_allowed_types(bundled: TestClient) -> None:
    body = bundled.get("/api/documents?type=memo").json()
    assert "jiu_report" in body["allowed"] and "ga_resolution" in body["allowed"]
