"""/api/queries: named questions, SPARQL files of the repository with typed parameters, run by name."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.answers import answer, etagged
from service.dependencies import CatalogDep, StoreDep
from service.errors import NotFoundError
from service.examples import NAMED_QUERIES_EXAMPLE, NAMED_QUERY_RESULT_EXAMPLE, json_example
from service.negotiation import choose_media_type
from service.sparql.named import NamedQuery

router = APIRouter(prefix="/api", tags=["named queries"])
_CSV = "text/csv"
_JSON = "application/json"
#: Parameters of the endpoint itself, not of the query.
_OWN = {"format"}


def _named_queries(request: Request) -> dict[str, NamedQuery]:
    queries: dict[str, NamedQuery] = request.app.state.named_queries
    return queries


def _describe(request: Request, query: NamedQuery) -> dict[str, Any]:
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "parameters": [
            {
                "name": parameter.name,
                "type": parameter.type,
                "required": parameter.required,
                "default": parameter.default,
                "description": parameter.description,
            }
            for parameter in query.parameters
        ],
        "url": str(request.url_for("run_named_query", name=query.name)),
    }


@router.get("/queries", summary="List named questions", responses={200: json_example(NAMED_QUERIES_EXAMPLE)})
def list_named_queries(request: Request) -> Response:
    """Every named question: its title, description and typed parameters, and where to run it."""
    queries = _named_queries(request)
    items = [_describe(request, query) for query in queries.values()]
    return answer(request, {"total": len(items), "items": items})


@router.get(
    "/queries/{name}",
    summary="Run a named question",
    responses={
        200: {
            **json_example(NAMED_QUERY_RESULT_EXAMPLE),
            "content": {
                _JSON: {"example": NAMED_QUERY_RESULT_EXAMPLE},
                _CSV: {"example": "recommendation,report,number\r\n…"},
            },
        },
        404: {"description": "No named question has this name"},
        422: {"description": "A parameter is missing, unknown, or not of its type"},
    },
)
def run_named_query(name: str, request: Request, store: StoreDep, catalog: CatalogDep) -> Response:
    """Run the question with its parameters given as query parameters (`?organization=wipo`);
    answer JSON, or CSV for `Accept: text/csv` or `format=csv`."""
    query = _named_queries(request).get(name)
    if query is None:
        raise NotFoundError(f"no named question is called {name!r} (see /api/queries)")
    values = {key: value for key, value in request.query_params.items() if key not in _OWN}
    bindings = query.bind(values, resolve=catalog.catalog.resolve)
    wanted = request.query_params.get("format")
    media_type = _CSV if wanted == "csv" else choose_media_type(request.headers.get("accept"), [_JSON, _CSV])
    if media_type == _CSV:
        result = store.query(query.text, accept=_CSV, bindings=bindings)
        return etagged(request, result.content, media_type="text/csv; charset=utf-8")
    result = store.query(query.text, accept="application/sparql-results+json", bindings=bindings)
    document = json.loads(result.content)
    columns = document["head"]["vars"]
    rows = [
        {column: binding[column]["value"] if column in binding else None for column in columns}
        for binding in document["results"]["bindings"]
    ]
    bound = {key: str(value.value) for key, value in bindings.items()}
    return answer(
        request,
        {
            "query": name,
            "title": query.title,
            "parameters": bound,
            "columns": columns,
            "total": len(rows),
            "rows": rows,
        },
        linked=False,
    )
