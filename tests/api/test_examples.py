"""The examples /openapi.json and /docs show are the API's own answers: each has the shape of what the
endpoint sends for the same request today (the same fields, nested the same way, of the same types),
so a field renamed, added or dropped in an answer fails here until its example says so too."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.examples import (
    BODY_EXAMPLE,
    DOCUMENT_EXAMPLE,
    NAMED_QUERIES_EXAMPLE,
    NAMED_QUERY_RESULT_EXAMPLE,
    NETWORK_EXAMPLE,
    RECOMMENDATION_EXAMPLE,
    SEARCH_EXAMPLE,
    Json,
)

# Each example, and the request whose answer it stands for.
EXAMPLES: list[tuple[str, Json, str]] = [
    ("document", DOCUMENT_EXAMPLE, "/api/documents/JIU/REP/2024/4"),
    ("recommendation", RECOMMENDATION_EXAMPLE, f"/api/recommendations/{RECOMMENDATION_EXAMPLE['id']}"),
    ("body", BODY_EXAMPLE, f"/api/bodies/{BODY_EXAMPLE['id']}"),
    ("network", NETWORK_EXAMPLE, "/api/networks?limit=1"),
    ("search", SEARCH_EXAMPLE, "/api/search?q=相互承认&limit=2"),
    ("named questions", NAMED_QUERIES_EXAMPLE, "/api/queries"),
    (
        "named question",
        NAMED_QUERY_RESULT_EXAMPLE,
        f"/api/queries/{NAMED_QUERY_RESULT_EXAMPLE['query']}?"
        # The answer states each parameter as bound (an IRI); the request gives a body's id.
        + "&".join(
            f"{key}={str(value).rsplit('/', 1)[-1]}"
            for key, value in NAMED_QUERY_RESULT_EXAMPLE["parameters"].items()
        ),
    ),
]


def shape(value: Any) -> Any:
    """What a JSON value is made of, without its contents: a dict's keys and their shapes, a list's
    item shape (its first item's), or the type of a scalar (an int and a float are both numbers)."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in sorted(value.items())}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if value is None:
        return "null"
    return type(value).__name__


def differences(example: Any, answer: Any, where: str = "") -> list[str]:
    """Where `example` and `answer` differ in shape; an empty list or null in either says nothing of
    the shape of what the other holds there."""
    if example in ([], "null") or answer in ([], "null"):
        return []
    if isinstance(example, dict) and isinstance(answer, dict):
        found = [f"{where}.{key}: only in the example" for key in example.keys() - answer.keys()]
        found += [f"{where}.{key}: only in the answer" for key in answer.keys() - example.keys()]
        for key in example.keys() & answer.keys():
            found += differences(example[key], answer[key], f"{where}.{key}")
        return found
    if isinstance(example, list) and isinstance(answer, list):
        return differences(example[0], answer[0], f"{where}[]")
    return [] if example == answer else [f"{where}: {example} in the example, {answer} in the answer"]


@pytest.mark.parametrize(("name", "example", "url"), EXAMPLES, ids=[name for name, _, _ in EXAMPLES])
def test_each_example_has_the_shape_of_the_answer_it_stands_for(
    bundled: TestClient, name: str, example: Json, url: str
) -> None:
    response = bundled.get(url)
    assert response.status_code == 200, response.text
    answer = response.json()
    if "items" in answer and "items" not in example:
        answer = answer["items"][0]  # the example is one item of the list
    assert differences(shape(example), shape(answer)) == []


def test_every_documented_json_answer_has_an_example_of_its_own(bundled: TestClient) -> None:
    spec = bundled.get("/openapi.json").json()
    documented = {
        path
        for path, operations in spec["paths"].items()
        if path.startswith("/api/")
        and "get" in operations
        and "example"
        in operations["get"]["responses"].get("200", {}).get("content", {}).get("application/json", {})
    }
    assert {
        "/api/documents/{symbol}",
        "/api/recommendations/{id}",
        "/api/bodies/{id}",
        "/api/search",
    } <= documented
