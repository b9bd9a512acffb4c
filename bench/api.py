"""Benchmark the JSON API of `unkg serve` on the generated data: p50/p99 per endpoint, 4 clients.

The generated dataset is bulk-loaded into an on-disk store that `unkg serve` opens. The first /api
request reads the catalog (timed: the cost of a write's first read after it). Then, for each endpoint
in turn, four client threads send requests with random parameters for `--seconds`. The reference,
measured in the same run the same way, is /api/context.jsonld (a constant answer: the cost of HTTP,
FastAPI and the client alone); figures are absolute and as ratios to it.

Named questions (/api/queries/{name}, issue 18) are measured against the raw Oxigraph server
(`oxigraph serve` on the same store, its own default graph, where unkg keeps the union), sent the
very text unkg evaluates (the question's file with its parameters as a VALUES block, as
`service.lexing.bind_values` writes it), in the same rounds: each round starts each system in turn,
one at a time, alternating which goes first. Every client takes the next parameters from one
sequence per question, the same sequence for every system, so both answer the same questions in the
same order. Phase "fresh": parameters not repeated within a window where the question has enough of
them (legislative-deadlines has none), unkg's result cache off (`UNKG_CACHE_BYTES=0`): evaluation
against evaluation plus what unkg adds. Phase "repeated": a few parameter sets again and again, unkg
with its default cache; the first of each is a miss, the rest should come from the cache. Figures: per
round and pooled p50/p99 and their ratios unkg / raw (aim <= 1.1).

The store is bulk-loaded and laid out by unkg's first start (`--work DIR` keeps it: a DIR/store
already there is reused). unkg runs with an empty data directory, so both systems serve exactly the
generated data. `--ports 7600-7699` keeps every server in that range.

    python bench/api.py --triples 1000000 --seconds 6 --named-seconds 10 --rounds 2
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402
from load import dataset, start_unkg, stop  # noqa: E402

import queries as sparql_bench  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from service.lexing import bind_values  # noqa: E402
from service.sparql.named import load_named_queries  # noqa: E402

WORDS = [
    "审查",
    "建议",
    "unicef",
    "procurement",
    "network",
    "联合国",
    "finance",
    "JIU/REP/20",
    "wipo",
    "落实",
]
DOCUMENT_TYPES = ["jiu_report", "jiu_progress_report", "ga_resolution"]


def run_endpoint(
    base: str, paths: Callable[[random.Random], str], *, clients: int, seconds: float
) -> dict[str, float]:
    return summarize(
        run_requests(base, lambda rng: ("GET", paths(rng), {}), clients=clients, seconds=seconds)
    )


def run_requests(
    base: str,
    requests: Callable[[random.Random], tuple[str, str, dict[str, object]]],
    *,
    clients: int,
    seconds: float,
) -> dict[str, object]:
    """`clients` threads send `requests(rng)` (method, path, httpx arguments) for `seconds`: the
    latencies (seconds), the timeouts, and the values of the Unkg-Cache header seen."""
    latencies: list[float] = []
    errors: list[str] = []
    timeouts: list[str] = []  # no answer within the client's 60 s: a figure, not a failure
    cache: dict[str, int] = {}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(seed: int) -> None:
        rng = random.Random(seed)
        mine = []
        with httpx.Client(base_url=base, timeout=60) as http:
            while time.monotonic() < stop:
                method, path, options = requests(rng)
                started = time.perf_counter()
                try:
                    response = http.request(method, path, **options)  # type: ignore[arg-type]
                except httpx.TimeoutException:
                    with lock:
                        timeouts.append(path)
                    break
                mine.append(time.perf_counter() - started)
                with lock:
                    seen = response.headers.get("unkg-cache", "none")
                    cache[seen] = cache.get(seen, 0) + 1
                    if response.status_code != 200:
                        errors.append(f"{path}: {response.status_code} {response.text[:200]}")
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"{len(errors)} failed requests, first: {errors[0]}")
    return {"latencies": latencies, "timeouts": len(timeouts), "cache_header": cache}


def percentile(latencies: list[float], share: float) -> float:
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summarize(run: dict[str, object]) -> dict[str, float]:
    latencies: list[float] = run["latencies"]  # type: ignore[assignment]
    if not latencies:
        # Every request outlived the window: say so rather than report nothing.
        return {"requests": 0, "timeouts": run["timeouts"], "p50_ms": float("inf"), "p99_ms": float("inf")}
    return {
        "requests": len(latencies),
        "timeouts": run["timeouts"],  # type: ignore[dict-item]
        "p50_ms": round(1000 * statistics.median(latencies), 2),
        "p99_ms": round(1000 * percentile(latencies, 0.99), 2),
    }


def server_memory_mb(pid: int) -> dict[str, float]:
    """The server's resident memory now and at its peak (Linux /proc; empty elsewhere)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    fields = dict(line.split(":", 1) for line in lines if line.startswith(("VmRSS", "VmHWM")))
    return {
        {"VmRSS": "resident", "VmHWM": "peak"}[name]: round(int(value.split()[0]) / 1024, 1)
        for name, value in fields.items()
    }


def use_ports(spec: str | None) -> None:
    """Every server on the next port of `spec` ("7600-7699") rather than any free one."""
    if not spec:
        return
    low, high = (int(part) for part in spec.split("-"))
    ports = iter(range(low, high + 1))
    lock = threading.Lock()

    def next_port() -> int:
        with lock:
            return next(ports)

    load.free_port = next_port
    sparql_bench.free_port = next_port


class Sequence:
    """The parameters every client takes in turn, one after the other (thread-safe), from the start."""

    def __init__(self, items: list[dict[str, str]], *, repeat: int | None = None) -> None:
        self.items = items[:repeat] if repeat else items
        self._next = itertools.cycle(self.items)
        self._lock = threading.Lock()

    def __call__(self) -> dict[str, str]:
        with self._lock:
            return next(self._next)


def named_parameters(base: str, seed: int) -> tuple[dict[str, list[dict[str, str]]], dict[str, str]]:
    """For each named question, its parameter sets (seeded order), and the IRI of every id or symbol."""
    iris: dict[str, str] = {}

    def items(path: str) -> list[dict[str, object]]:
        found = httpx.get(f"{base}{path}", timeout=120).json()["items"]
        for item in found:
            for key in ("id", "symbol"):
                if item.get(key):
                    iris[str(item[key])] = str(item["iri"])
        return found

    organizations = [str(item["id"]) for item in items("/api/bodies?kind=organization&limit=500")]
    bodies = [str(item["id"]) for item in items("/api/bodies?limit=500")]
    resolutions = [
        str(item.get("symbol") or item["id"]) for item in items("/api/documents?type=ga_resolution&limit=500")
    ]
    recommendations = [
        str(item["id"])
        for offset in range(0, 4000, 500)
        for item in items(f"/api/recommendations?limit=500&offset={offset}")
    ]
    dates = [f"{year}-{month:02d}-28" for year in range(2001, 2013) for month in range(1, 13)]
    sets = {
        "open-recommendations": [
            {"organization": organization, "as_of": day} for organization in organizations for day in dates
        ],
        "status-history": [{"recommendation": id} for id in recommendations],
        "reports-citing": [{"resolution": symbol} for symbol in resolutions],
        "bodies-under": [{"committee": id} for id in bodies],
        "legislative-deadlines": [{}],
    }
    for name, values in sets.items():
        random.Random(f"{seed}/{name}").shuffle(values)
    return sets, iris


def raw_text(query: object, values: dict[str, str], iris: dict[str, str]) -> str:
    """The text unkg's engine evaluates for these values: the file with its VALUES block."""
    bindings = query.bind(values, resolve=lambda kind, key: iris.get(key))  # type: ignore[attr-defined]
    return bind_values(query.text, bindings) if bindings else query.text  # type: ignore[attr-defined]


def start_unkg_api(store: Path, *, cache_bytes: int | None) -> tuple[object, str]:
    """`unkg serve` on `store` (no bundled data), its catalog read; cache_bytes None: the default."""
    empty = store.parent / "no-bundled-data"
    empty.mkdir(exist_ok=True)
    settings = {"UNKG_DATA_PATH": str(empty), "UNKG_QUERY_TIMEOUT": "120"}
    if cache_bytes is not None:
        settings["UNKG_CACHE_BYTES"] = str(cache_bytes)
    process, base = start_unkg(store, **settings)
    httpx.get(f"{base}/api/bodies?limit=1", timeout=600).raise_for_status()
    return process, base


def ratio(a: float, b: float) -> float:
    return round(a / b, 3) if b else float("inf")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--seconds", type=float, default=10.0, help="per catalog endpoint")
    parser.add_argument(
        "--named-seconds", type=float, default=10.0, help="per named question, system and phase"
    )
    parser.add_argument("--rounds", type=int, default=2, help="rounds of named questions (0: none)")
    parser.add_argument("--repeat", type=int, default=4, help="parameter sets of the repeated phase")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--data", type=Path, help="the N-Quads file (default: generated into bench/data)")
    parser.add_argument(
        "--work", type=Path, help="where the store is kept (reused if there); default: a temp dir"
    )
    parser.add_argument("--ports", help="a range of ports for the servers, e.g. 7600-7699")
    parser.add_argument("--no-catalog", action="store_true", help="named questions only")
    args = parser.parse_args()
    use_ports(args.ports)
    data = args.data or dataset(args.triples, args.seed)
    work = args.work or Path(tempfile.mkdtemp(prefix="unkg-bench-api-"))
    work.mkdir(parents=True, exist_ok=True)
    store_path = work / "store"
    named = load_named_queries(ROOT / "queries")
    process = None
    results: dict[str, object] = {"triples": args.triples, "clients": args.clients}
    try:
        if not store_path.exists():
            sparql_bench.prepare_stores(data, work, named_only=False)
        process, base = start_unkg_api(store_path, cache_bytes=None)
        sets, iris = named_parameters(base, args.seed)
        if not args.no_catalog:
            results["catalog"] = catalog_endpoints(base, process.pid, args)  # type: ignore[attr-defined]
        stop(process)  # type: ignore[arg-type]
        process = None
        if args.rounds:
            results["named"] = named_rounds(store_path, named, sets, iris, args)
    finally:
        if process is not None:
            stop(process)  # type: ignore[arg-type]
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(results, indent=2, ensure_ascii=False))  # noqa: T201


def catalog_endpoints(base: str, pid: int, args: argparse.Namespace) -> dict[str, object]:
    """Every catalog endpoint in turn (unkg's default settings), and the reference."""

    def ids(path: str) -> list[str]:
        items = httpx.get(f"{base}{path}", timeout=60).json()["items"]
        return [item.get("symbol") or item["id"] for item in items]

    documents = ids("/api/documents?type=jiu_report&limit=500")
    recommendations = ids("/api/recommendations?limit=500&offset=1000")
    organizations = ids("/api/bodies?kind=organization&limit=500")
    total_recommendations = httpx.get(f"{base}/api/recommendations?limit=1").json()["total"]

    def date(rng: random.Random) -> str:
        return f"{rng.randint(2001, 2012)}-{rng.randint(1, 12):02d}-28"

    endpoints: dict[str, Callable[[random.Random], str]] = {
        "reference /api/context.jsonld": lambda rng: "/api/context.jsonld",
        "/api/documents?type&year": lambda rng: (
            f"/api/documents?type={rng.choice(DOCUMENT_TYPES)}&year={rng.randint(2000, 2012)}"
        ),
        "/api/documents?q": lambda rng: f"/api/documents?q={rng.choice(WORDS)}",
        "/api/documents/{symbol}": lambda rng: f"/api/documents/{rng.choice(documents)}",
        "/api/recommendations?offset": lambda rng: (
            f"/api/recommendations?offset={rng.randrange(total_recommendations)}"
        ),
        "/api/recommendations?organization&open&as_of": lambda rng: (
            f"/api/recommendations?organization={rng.choice(organizations)}&open=true&as_of={date(rng)}"
        ),
        "/api/recommendations?implementation&as_of": lambda rng: (
            f"/api/recommendations?implementation=in_progress&as_of={date(rng)}&limit=20"
        ),
        "/api/recommendations/{id}": lambda rng: f"/api/recommendations/{rng.choice(recommendations)}",
        "/api/bodies?kind": lambda rng: "/api/bodies?kind=organization",
        "/api/bodies/{id} (organization, summary)": lambda rng: (
            f"/api/bodies/{rng.choice(organizations)}?as_of={date(rng)}"
        ),
        "/api/networks": lambda rng: "/api/networks",
        "/api/search?q": lambda rng: f"/api/search?q={rng.choice(WORDS)}",
    }
    figures = {}
    for name, paths in endpoints.items():
        figures[name] = run_endpoint(base, paths, clients=args.clients, seconds=args.seconds)
        sys.stderr.write(f"{name}: {json.dumps(figures[name])}\n")
    reference = figures["reference /api/context.jsonld"]
    for figure in figures.values():
        figure["p99_ratio_to_reference"] = round(figure["p99_ms"] / reference["p99_ms"], 2)
    return {
        "seconds_per_endpoint": args.seconds,
        "server_memory_mb": server_memory_mb(pid),
        "endpoints": figures,
    }


def named_rounds(
    store: Path,
    named: dict[str, object],
    sets: dict[str, list[dict[str, str]]],
    iris: dict[str, str],
    args: argparse.Namespace,
) -> dict[str, object]:
    """Each round: the raw server, unkg with its cache off (fresh) and with its default cache
    (repeated), one at a time, the raw server first in even rounds and last in odd ones."""
    pooled: dict[tuple[str, str, str], list[float]] = {}
    rounds: list[dict[str, object]] = []
    checked: dict[str, dict[str, int]] = {}
    for number in range(args.rounds):
        figures: dict[str, dict[str, dict[str, object]]] = {}
        order = ["raw", "unkg"] if number % 2 == 0 else ["unkg", "raw"]
        for system in order:
            for phase in ("fresh", "repeated"):
                if system == "raw" and phase == "repeated":
                    pass  # the same server, still running
                elif system == "raw":
                    process, url = sparql_bench.start_raw(store)
                    base, query_path = url.rsplit("/", 1)
                else:
                    process, base = start_unkg_api(store, cache_bytes=0 if phase == "fresh" else None)
                for name, query in named.items():
                    sequence = Sequence(sets[name], repeat=args.repeat if phase == "repeated" else None)
                    if system == "raw":

                        def request(
                            rng: random.Random,
                            sequence: Sequence = sequence,
                            query: object = query,
                            query_path: str = query_path,
                        ) -> tuple[str, str, dict[str, object]]:
                            text = raw_text(query, sequence(), iris)
                            headers = {
                                "Content-Type": "application/sparql-query",
                                "Accept": sparql_bench.JSON,
                            }
                            return "POST", f"/{query_path}", {"content": text.encode(), "headers": headers}

                    else:

                        def request(rng: random.Random, sequence: Sequence = sequence, name: str = name):
                            return "GET", f"/api/queries/{name}", {"params": sequence()}

                    if number == 0 and phase == "fresh":
                        # Both systems give the same rows: the first five parameter sets, once each.
                        rows = 0
                        for values in sets[name][:5]:
                            if system == "raw":
                                text = raw_text(query, values, iris)
                                rows += len(sparql_bench.sparql_select(f"{base}/{query_path}")(text))
                            else:
                                answer = httpx.get(f"{base}/api/queries/{name}", params=values, timeout=300)
                                rows += answer.json()["total"]
                        checked.setdefault(name, {})[system] = rows
                    run = run_requests(base, request, clients=args.clients, seconds=args.named_seconds)
                    pooled.setdefault((name, phase, system), []).extend(run["latencies"])  # type: ignore[arg-type]
                    figure = summarize(run)
                    figure["cache_header"] = run["cache_header"]  # type: ignore[assignment]
                    figures.setdefault(f"{name} {phase}", {})[system] = figure
                    sys.stderr.write(f"round {number + 1} {system} {phase} {name}: {json.dumps(figure)}\n")
                if system == "unkg" or phase == "repeated":
                    stop(process)  # type: ignore[arg-type]
        for figure in figures.values():
            figure["ratio"] = {
                key: ratio(figure["unkg"][key], figure["raw"][key])  # type: ignore[index]
                for key in ("p50_ms", "p99_ms")
            }
        rounds.append(figures)
    summary: dict[str, object] = {}
    for name in named:
        for phase in ("fresh", "repeated"):
            key = f"{name} {phase}"
            entry: dict[str, object] = {}
            for system in ("raw", "unkg"):
                latencies = pooled[(name, phase, system)]
                entry[system] = summarize({"latencies": latencies, "timeouts": 0})
            entry["pooled_ratio"] = {
                k: ratio(entry["unkg"][k], entry["raw"][k])
                for k in ("p50_ms", "p99_ms")  # type: ignore[index]
            }
            entry["median_of_rounds_ratio"] = {
                k: round(statistics.median(r[key]["ratio"][k] for r in rounds), 3)  # type: ignore[index]
                for k in ("p50_ms", "p99_ms")
            }
            entry["rounds_ratio"] = [r[key]["ratio"] for r in rounds]  # type: ignore[index]
            summary[key] = entry
    disagree = [name for name, rows in checked.items() if len(set(rows.values())) != 1]
    if disagree:
        sys.stderr.write(f"the systems disagree on the rows of {disagree}: {checked}\n")
    return {
        "seconds": args.named_seconds,
        "rows_checked": checked,
        "disagree": disagree,
        "summary": summary,
        "rounds": rounds,
    }


if __name__ == "__main__":
    main()
