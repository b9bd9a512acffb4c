"""Property-based run of schemathesis over /openapi.json: no input, however malformed, is answered
with a 5xx, and every answer is one the document describes (status, content type, body, headers).

Each operation is tried with a bounded, derandomized set of cases, once anonymously and once with an
admin's bearer token (which may do everything a curator and a reviewer may: the writes included).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service.app import create_app
from service.settings import Settings
from service.stores import OxigraphStore
from service.tokens import TokenStore
from tests.conftest import ROOT
from tests.ingest.conftest import ingest_settings
from tests.live import live_server

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
#: Cases per operation and token: 43 operations, twice, take about 80 s on 2 cores.
MAX_EXAMPLES = 80


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The app over the bundled data on a real server: its base URL and an admin's bearer token."""
    folder = tmp_path_factory.mktemp("fuzz")
    settings = _settings(folder)
    _, secret = TokenStore(settings.tokens_path).create(name="fuzzer", role="admin")
    store = OxigraphStore()
    app: FastAPI = create_app(settings, store=store)
    with live_server(app) as url:
        yield url, secret
    store.close()


def _settings(folder: Path) -> Settings:
    return ingest_settings().model_copy(update={"tokens_path": folder / "tokens.json"})


# The SPARQL and RDF bodies are text: sent as the fuzzer writes them.
schemathesis.serializer.alias(
    ["application/sparql-query", "application/sparql-update", "text/turtle", "application/n-triples"],
    "text/plain",
)
schemathesis.serializer.alias("application/rdf+xml", "application/xml")

# The document the app serves at /openapi.json, built once at collection: one test per operation.
# (schemathesis.pytest.from_fixture would load it from the live server, but reads a private attribute
# pytest 9.2 no longer has.)
schema = schemathesis.openapi.from_dict(create_app(_settings(ROOT / "var")).openapi())

_FUZZ = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@_FUZZ
def test_anonymous_requests_get_no_5xx_and_answers_as_documented(
    case: schemathesis.Case[Any], fuzzed: tuple[str, str]
) -> None:
    url, _ = fuzzed
    case.call_and_validate(base_url=url, checks=CHECKS)


@schema.parametrize()
@_FUZZ
def test_admin_requests_get_no_5xx_and_answers_as_documented(
    case: schemathesis.Case[Any], fuzzed: tuple[str, str]
) -> None:
    url, secret = fuzzed
    case.call_and_validate(base_url=url, headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS)
