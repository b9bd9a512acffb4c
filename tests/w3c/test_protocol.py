"""The W3C SPARQL 1.1 Protocol tests (protocol/manifest.ttl), as HTTP exchanges with a bare unkg server:
each test's requests in order, '/sparql/' standing for /sparql.

How each test runs, and what it is compared with, is in harness.py. `python -m tests.w3c --suite
protocol [--target oxigraph]` runs them outside pytest, against unkg or the raw Oxigraph server.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.w3c.harness import PROTOCOL, Outcome, Suite, Target

# The tests unkg fails today, each with why: "engine: …" where the raw Oxigraph server fails it too
# (`python -m tests.w3c --target oxigraph`), otherwise what unkg answers. A fix turns one into XPASS,
# which fails the run until its line goes.
XFAIL: dict[str, str] = {}


@pytest.mark.parametrize("test", PROTOCOL.cases(XFAIL))
def test_w3c_protocol(
    w3c_target: Target, w3c_record: Callable[[Suite[Any], str, Outcome], None], test: Any
) -> None:
    outcome = PROTOCOL.run(w3c_target, test)
    w3c_record(PROTOCOL, test.name, outcome)
    assert outcome.ok, "\n".join([outcome.cause, *outcome.then])


@pytest.mark.skipif(not PROTOCOL.tests, reason="the W3C suite is not beside the clone (../shared/w3c)")
def test_every_protocol_test_of_the_manifest_is_run_and_every_xfail_names_one() -> None:
    assert len(PROTOCOL.tests) == 34
    assert len(set(PROTOCOL.names())) == 34
    assert set(XFAIL) <= set(PROTOCOL.names())
