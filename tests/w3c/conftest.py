"""The W3C suites' fixtures: one bare unkg server for the session, its tests' outcomes recorded, and
each suite's pass count printed at the end of the run (so that CI logs show them)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.w3c.harness import SUITES, Outcome, Suite, Target, unkg_target

OUTCOMES = pytest.StashKey[dict[str, dict[str, Outcome]]]()


@pytest.fixture(scope="session")
def w3c_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    """`unkg serve` with UNKG_BARE=true on its own store and port; stopped by PID at the end."""
    with unkg_target(tmp_path_factory.mktemp("w3c")) as target:
        yield target


@pytest.fixture
def w3c_record(request: pytest.FixtureRequest) -> Callable[[Suite[Any], str, Outcome], None]:
    """Keep a test's outcome for the summary: whether it passed against unkg, xfail or not."""
    outcomes = request.config.stash.setdefault(OUTCOMES, {})

    def record(suite: Suite[Any], name: str, outcome: Outcome) -> None:
        outcomes.setdefault(suite.name, {})[name] = outcome

    return record


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    outcomes = config.stash.get(OUTCOMES, {})
    if not outcomes:
        return
    terminalreporter.section("W3C SPARQL 1.1 suites against unkg (bare)")
    for suite in SUITES:
        run = outcomes.get(suite.name, {})
        if not run:
            continue
        passed = sum(outcome.ok for outcome in run.values())
        extra = sum(bool(outcome.extra_graphs) for outcome in run.values())
        line = f"{suite.name:<12} {passed:>4} / {len(run)} passed"
        if len(run) != len(suite.tests):
            line += f" (of the {len(suite.tests)} in the manifest)"
        if extra:
            line += f"; {extra} left extra graphs"
        terminalreporter.write_line(line)
