"""The W3C SPARQL 1.1 Update tests (manifest-sparql11-update.ttl: 94 evaluation tests, 42 positive
and 21 negative syntax tests, syntax-update-1 and -2 included), through /sparql of a bare unkg
server, each result read back through the Graph Store Protocol.

How each test runs, and what it is compared with, is in harness.py. `python -m tests.w3c --suite
update [--target oxigraph]` runs them outside pytest, against unkg or the raw Oxigraph server.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.w3c.harness import UPDATE, Outcome, Suite, Target

# The tests unkg fails today, each with why: "engine: …" where the raw Oxigraph server fails it too
# (`python -m tests.w3c --target oxigraph`), otherwise what unkg answers. A fix turns one into XPASS,
# which fails the run until its line goes.
XFAIL: dict[str, str] = {}


@pytest.mark.parametrize("test", UPDATE.cases(XFAIL))
def test_w3c_update(
    w3c_target: Target, w3c_record: Callable[[Suite[Any], str, Outcome], None], test: Any
) -> None:
    outcome = UPDATE.run(w3c_target, test)
    w3c_record(UPDATE, test.name, outcome)
    assert outcome.ok, "\n".join([outcome.cause, *outcome.then])


@pytest.mark.skipif(not UPDATE.tests, reason="the W3C suite is not beside the clone (../shared/w3c)")
def test_every_update_test_of_the_manifest_is_run_and_every_xfail_names_one() -> None:
    assert len(UPDATE.tests) == 157
    assert len(set(UPDATE.names())) == 157
    assert set(XFAIL) <= set(UPDATE.names())
