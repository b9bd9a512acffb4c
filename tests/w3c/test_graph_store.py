"""The W3C SPARQL 1.1 Graph Store HTTP Protocol tests (graph-store-protocol/manifest.ttl: direct and
indirect graph identification), as HTTP exchanges with a bare unkg server: each test's requests in
order on an empty store, '/gsp' standing for /rdf-graph-store.

How each test runs, and what it is compared with, is in harness.py. `python -m tests.w3c --suite
graph-store [--target oxigraph]` runs them outside pytest, against unkg or the raw Oxigraph server.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.w3c.harness import GRAPH_STORE, Outcome, Suite, Target

# The tests unkg fails today, each with why: "engine: …" where the raw Oxigraph server fails it too
# (`python -m tests.w3c --target oxigraph`), otherwise what unkg answers. A fix turns one into XPASS,
# which fails the run until its line goes.
XFAIL: dict[str, str] = {}


@pytest.mark.parametrize("test", GRAPH_STORE.cases(XFAIL))
def test_w3c_graph_store(
    w3c_target: Target, w3c_record: Callable[[Suite[Any], str, Outcome], None], test: Any
) -> None:
    outcome = GRAPH_STORE.run(w3c_target, test)
    w3c_record(GRAPH_STORE, test.name, outcome)
    assert outcome.ok, "\n".join([outcome.cause, *outcome.then])


@pytest.mark.skipif(not GRAPH_STORE.tests, reason="the W3C suite is not beside the clone (../shared/w3c)")
def test_every_graph_store_test_of_the_manifest_is_run_and_every_xfail_names_one() -> None:
    assert len(GRAPH_STORE.tests) == 13
    assert len(set(GRAPH_STORE.names())) == 13
    assert set(XFAIL) <= set(GRAPH_STORE.names())
