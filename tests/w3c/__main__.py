"""`python -m tests.w3c [--target unkg|oxigraph] [--suite NAME …]`: run the W3C SPARQL 1.1 suites against
a live server started for the run, and print each suite's pass count and its failures with their causes.

`--table` prints the failures as the xfail tables of the test modules (name → reason), the reason
being the cause; `--compare` runs both targets and labels a failure the raw Oxigraph server shares
"engine: …".
"""

from __future__ import annotations

import argparse
import re
import signal
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from tests.w3c.harness import SUITES, TARGETS, Outcome, Suite

Results = dict[str, list[tuple[str, Outcome]]]


def run(target_name: str, suites: list[Suite[Any]], *, source: Path | None = None) -> Results:
    """Each test of `suites` against a fresh server of `target_name` (unkg from `source`, if given)."""
    results: Results = {}
    options = {"source": source} if source is not None and target_name == "unkg" else {}
    with tempfile.TemporaryDirectory() as folder, TARGETS[target_name](Path(folder), **options) as target:
        for suite in suites:
            results[suite.name] = [(test.name, suite.run(target, test)) for test in suite.tests]
    return results


def cause_group(cause: str) -> str:
    """The cause without what differs from test to test (files, graph IRIs, counts), to group by."""
    cause = re.sub(r"\([^()]*\.(ttl|nt|rdf)\)", "(…)", cause)
    cause = re.sub(r"(graph[= ])\S+", r"\1…", cause)
    cause = re.sub(r"\(\d+ (triples|rows|bindings)?,? ?expected \d+\)", "(…)", cause)
    cause = re.sub(r"request \d+ \((\w+)[^)]*\)", r"request (\1)", cause)
    cause = re.sub(r"extra graphs: .*", "extra graphs", cause)
    cause = re.sub(r"file:///\S+", "file:…", cause)
    return cause[:160]


def summary(results: Results, *, target: str) -> str:
    lines = [f"W3C SPARQL 1.1 suites against {target}", f"  {'suite':<12} {'passed':>7} / total"]
    for name, outcomes in results.items():
        passed = sum(outcome.ok for _, outcome in outcomes)
        lines.append(f"  {name:<12} {passed:>7} / {len(outcomes)}")
    for name, outcomes in results.items():
        failures = [(test, outcome) for test, outcome in outcomes if not outcome.ok]
        if not failures:
            continue
        lines.append(f"\n{name}: {len(failures)} failures")
        for test, outcome in failures:
            lines.append(f"  {test}: {outcome.cause}")
            lines.extend(f"      then: {later}" for later in outcome.then)
        lines.append(f"{name}: failures by cause")
        groups = Counter(cause_group(outcome.cause) for _, outcome in failures)
        for cause, count in groups.most_common():
            lines.append(f"  {count:>4}  {cause}")
            then = Counter(
                cause_group(later)
                for _, outcome in failures
                if cause_group(outcome.cause) == cause
                for later in dict.fromkeys(outcome.then)
            )
            lines.extend(f"        then {n:>4}  {later}" for later, n in then.most_common())
        empty = [test for test, outcome in outcomes if outcome.empty_graphs]
        if empty:
            lines.append(f"{name}: {len(empty)} tests left empty named graphs the expected dataset lacks")
    return "\n".join(lines) + "\n"


def table(results: Results, engine: Results | None) -> str:
    """The failures as xfail tables: name → reason ("engine: …" where the raw server fails too)."""
    lines = []
    for name, outcomes in results.items():
        lines.append(f"# {name}\nXFAIL = {{")
        engine_causes = dict(engine.get(name, [])) if engine else {}
        for test, outcome in outcomes:
            if outcome.ok:
                continue
            shared = engine_causes.get(test)
            reason = "; then ".join([outcome.cause, *outcome.then])
            if shared is not None and not shared.ok and not outcome.cause.startswith("not run"):
                reason = f"engine: {shared.cause}"
            lines.append(f"    {test!r}: {reason[:200]!r},")
        lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.w3c", description=__doc__.splitlines()[0])
    parser.add_argument("--target", choices=sorted(TARGETS), default="unkg")
    parser.add_argument("--suite", action="append", choices=[suite.name for suite in SUITES])
    parser.add_argument("--table", action="store_true", help="print the failures as xfail tables")
    parser.add_argument(
        "--compare", action="store_true", help="with --table: run oxigraph too, label shared failures"
    )
    parser.add_argument(
        "--source",
        type=Path,
        help="run unkg from this checkout (e.g. `git archive HEAD | tar -x -C DIR`), not this one",
    )
    args = parser.parse_args(argv)
    # Stopped by a signal, the run still stops the servers it started (the `with` blocks' exits).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    suites = [suite for suite in SUITES if not args.suite or suite.name in args.suite]
    if not any(suite.tests for suite in suites):
        sys.stderr.write("the W3C suite is not beside the clone (../shared/w3c)\n")
        return 1
    results = run(args.target, suites, source=args.source)
    sys.stdout.write(summary(results, target=args.target))
    if args.table:
        engine = run("oxigraph", suites) if args.compare and args.target != "oxigraph" else None
        sys.stdout.write(table(results, engine))
    return 0


if __name__ == "__main__":
    sys.exit(main())
