"""Commit latency of a 50-triple changeset on the generated data, beside full revalidation, in one run.

`unkg serve` holds the generated dataset (bulk-loaded into a fresh on-disk store). One curator commits
changesets one after another through `POST /api/changesets`: each adds five new status assessments of
ten triples (copying the recommendation, organization, report and source of an existing assessment;
a new date and statuses), so each is 50 triples that the SHACL gate must judge, with their links to
existing recommendations, organizations and reports. Latency is the client's, request to answer,
including If-Match (`*`: the version check still reads the touched resources), the gate, the write
with its history record, and the version's advance.

The reference, measured in the same run on the same store: `unkg validate`, which validates the whole
graph with pyshacl (what a gate without focus nodes would have to do for every commit).

    python bench/commit.py --triples 1000000 --commits 100

`--baseline DIR` also runs unkg from another checkout (a commit from before a change, say) in the same
run, `--rounds` times each, alternating which goes first, each round on a fresh store: the ratio of
their latencies is what to compare on these shared machines. `--source DIR` runs unkg itself from
another checkout (an unpacked `git archive`).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pyoxigraph

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import BIN, dataset, start_unkg, stop, unkg_run, use_source  # noqa: E402

U = "https://w3id.org/unkg/ontology#"
ID = "https://w3id.org/unkg/id/"
SAMPLE = f"""PREFIX unkg: <{U}>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?graph ?recommendation ?organization ?report ?source WHERE {{
  GRAPH ?graph {{ ?a a unkg:StatusAssessment ; unkg:recommendation ?recommendation ;
    unkg:organization ?organization ; unkg:reportedIn ?report ; prov:wasDerivedFrom ?source }}
}} LIMIT 2000"""
PER_CHANGESET = 5


def assessment(row: dict[str, str], number: int, rng: random.Random) -> str:
    node = f"<{ID}assessment/bench-commit/{number}>"
    year = rng.randint(2015, 2025)
    status = rng.choice(["implemented", "in-progress", "not-started"])
    return "\n".join(
        [
            f"{node} a <{U}StatusAssessment> .",
            f"{node} <{U}recommendation> <{row['recommendation']}> .",
            f"{node} <{U}organization> <{row['organization']}> .",
            f'{node} <{U}asOf> "{year}-12-31"^^<http://www.w3.org/2001/XMLSchema#date> .',
            f"{node} <{U}reportedIn> <{row['report']}> .",
            f"{node} <{U}acceptance> <{ID}acceptance-status/accepted> .",
            f"{node} <{U}implementation> <{ID}implementation-status/{status}> .",
            f'{node} <{U}responsibleOfficial> "采购司司长"@zh .',
            f'{node} <{U}managementComment> "截至 {year} 年底的落实情况（基准测试）。"@zh .',
            f"{node} <http://www.w3.org/ns/prov#wasDerivedFrom> <{row['source']}> .",
        ]
    )


def sample_store(store: pyoxigraph.Store) -> list[dict[str, str]]:
    """The assessments to copy, read from the bulk-loaded store before any unkg opens it: the same rows
    for every system of a run (through `/sparql`, `GRAPH ?graph` ranges over the graphs in an order
    that depends on how the server sets the dataset up, and LIMIT keeps other rows)."""
    return [
        {
            name: solution[name].value
            for name in ("graph", "recommendation", "organization", "report", "source")
        }
        for solution in store.query(SAMPLE, use_default_graph_as_union=True)  # type: ignore[union-attr]
    ]


def sample(base: str) -> list[dict[str, str]]:
    response = httpx.post(
        f"{base}/sparql",
        content=SAMPLE.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        timeout=300,
    )
    response.raise_for_status()
    return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]


def commits(
    base: str, secret: str, rows: list[dict[str, str]], *, count: int, seed: int, first: int = 0
) -> list[float]:
    rng = random.Random(seed)
    headers = {"Authorization": f"Bearer {secret}", "If-Match": "*"}
    latencies = []
    number = first
    with httpx.Client(base_url=base, timeout=300) as client:
        for _ in range(count):
            # The five assessments share a graph: a changeset changes one.
            first = rng.choice(rows)
            same = [row for row in rows if row["graph"] == first["graph"]]
            chosen = [rng.choice(same) for _ in range(PER_CHANGESET)]
            additions = "\n".join(assessment(row, number + i, rng) for i, row in enumerate(chosen))
            number += PER_CHANGESET
            body = {
                "graph": first["graph"],
                "message": "bench",
                "format": "text/turtle",
                "additions": additions,
            }
            started = time.perf_counter()
            response = client.post("/api/changesets", json=body, headers=headers)
            latencies.append(time.perf_counter() - started)
            if response.status_code != 201:
                raise RuntimeError(f"{response.status_code}: {response.text[:500]}")
            if response.json()["additions"] != PER_CHANGESET * 10:
                raise RuntimeError("the changeset is not 50 triples")
    return latencies


def full_validation(store: Path, tokens: Path) -> tuple[float, int]:
    """Seconds `unkg validate` takes over the whole store, and its peak memory (MB)."""
    started = time.perf_counter()
    finished = subprocess.run(
        ["/usr/bin/time", "-f", "%M", str(BIN / "unkg"), "validate", "--format", "json"],
        capture_output=True,
        text=True,
        **unkg_run(UNKG_STORE_PATH=str(store), UNKG_TOKENS_PATH=str(tokens)),
    )
    seconds = time.perf_counter() - started
    peak_kb = int(finished.stderr.strip().splitlines()[-1])
    if finished.returncode not in (0, 1):
        raise RuntimeError(finished.stderr[-2000:])
    return seconds, peak_kb // 1024


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(
    data: Path, work: Path, *, count: int, seed: int, source: Path | None = None
) -> tuple[list[float], dict[str, float]]:
    """A fresh store of `data` in `work`, `unkg serve` on it (from `source`), 5 commits to warm up,
    then `count` commits: their latencies, and the seconds the store's load and first start took."""
    store_path, tokens = work / "store", work / "tokens.json"
    started = time.perf_counter()
    store = pyoxigraph.Store(str(store_path))
    store.bulk_load(path=str(data), format=pyoxigraph.RdfFormat.N_QUADS)
    store.flush()
    timings = {"bulk_load_s": time.perf_counter() - started}
    rows = sample_store(store)
    del store
    started = time.perf_counter()
    process, base = start_unkg(store_path, source=source, UNKG_TOKENS_PATH=str(tokens))
    timings["first_start_s"] = time.perf_counter() - started
    try:
        secret = subprocess.run(
            [str(BIN / "unkg"), "token", "create", "--role", "curator", "--name", "bench"],
            capture_output=True,
            text=True,
            check=True,
            **unkg_run(source, UNKG_TOKENS_PATH=str(tokens)),
        ).stdout.strip()
        commits(base, secret, rows, count=5, seed=seed + 1, first=10**9)  # warm-up
        latencies = commits(base, secret, rows, count=count, seed=seed)
    finally:
        stop(process)
    return latencies, timings


def summary(latencies: list[float]) -> dict[str, object]:
    return {
        "commits": len(latencies),
        "commit_p50_ms": round(1000 * statistics.median(latencies), 1),
        "commit_p90_ms": round(1000 * percentile(latencies, 0.90), 1),
        "commit_p99_ms": round(1000 * percentile(latencies, 0.99), 1),
        "commit_max_ms": round(1000 * max(latencies), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--commits", type=int, default=100)
    parser.add_argument("--no-full-validation", action="store_true", help="skip the reference")
    parser.add_argument("--rounds", type=int, default=1, help="fresh stores per system")
    parser.add_argument("--baseline", type=Path, help="also unkg from this checkout, in the same rounds")
    parser.add_argument("--source", type=Path, help="run unkg from this checkout (default: this one)")
    parser.add_argument("--work", type=Path, help="where the stores go (a temporary directory otherwise)")
    args = parser.parse_args()
    use_source(args.source)
    data = dataset(args.triples, args.seed)
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="unkg-bench-commit-", dir=args.work))
    systems: dict[str, Path | None] = {"unkg": None}
    if args.baseline:
        systems["baseline"] = args.baseline.resolve()
    latencies: dict[str, list[list[float]]] = {system: [] for system in systems}
    timings: dict[str, list[dict[str, float]]] = {system: [] for system in systems}
    names = list(systems)
    try:
        for round_ in range(args.rounds):
            shift = round_ % len(names)
            for system in names[shift:] + names[:shift]:
                place = work / f"{system}-{round_}"
                place.mkdir()
                found, timing = measure(
                    data, place, count=args.commits, seed=args.seed, source=systems[system]
                )
                latencies[system].append(found)
                timings[system].append(timing)
                sys.stderr.write(f"round {round_ + 1} {system}: {json.dumps(summary(found))} {timing}\n")
                last = round_ == args.rounds - 1 and system == "unkg"
                if last and not args.no_full_validation:
                    seconds, peak = full_validation(place / "store", place / "tokens.json")
                shutil.rmtree(place)
        results: dict[str, object] = {"triples": args.triples, "triples_per_changeset": PER_CHANGESET * 10}
        for system in names:
            every = [latency for found in latencies[system] for latency in found]
            results[system] = {
                **summary(every),
                "per_round": [summary(found) for found in latencies[system]],
                # Which commits were slowest (round, order in the round), to tell a pattern from noise.
                "slowest": sorted(
                    (
                        (round(1000 * t), r, i)
                        for r, found in enumerate(latencies[system])
                        for i, t in enumerate(found)
                    ),
                    reverse=True,
                )[:6],
                "first_start_s": [round(timing["first_start_s"], 1) for timing in timings[system]],
            }
        if args.baseline:
            ratios: dict[str, object] = {}
            for key, fraction in (("p50", 0.5), ("p90", 0.9), ("p99", 0.99)):
                per_round = [
                    percentile(mine, fraction) / percentile(theirs, fraction)
                    for mine, theirs in zip(latencies["unkg"], latencies["baseline"], strict=True)
                ]
                ratios[f"{key}_ratio_per_round"] = [round(ratio, 3) for ratio in per_round]
                ratios[f"{key}_ratio_median"] = round(statistics.median(per_round), 3)
            results["unkg/baseline"] = ratios
        if not args.no_full_validation:
            results["full_validation_s"] = round(seconds, 1)
            results["full_validation_peak_mb"] = peak
            p50 = statistics.median(latencies["unkg"][-1])
            results["full_validation_over_commit_p50"] = round(seconds / p50, 1)
        print(json.dumps(results, indent=2))  # noqa: T201
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
