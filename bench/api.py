"""Benchmark the JSON API of `unkg serve` on the generated data: p50/p99 per endpoint, 4 clients.

The generated dataset is bulk-loaded into an on-disk store that `unkg serve` opens. The first /api
request reads the catalog (timed: the cost of a write's first read after it). Then, for each endpoint
in turn, four client threads send requests with random parameters for `--seconds`. The reference,
measured in the same run the same way, is /api/context.jsonld (a constant answer: the cost of HTTP,
FastAPI and the client alone); figures are absolute and as ratios to it.

    python bench/api.py --triples 1000000 --seconds 10
"""

from __future__ import annotations

import argparse
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
import pyoxigraph

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import dataset, start_unkg, stop  # noqa: E402

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
    latencies: list[float] = []
    errors: list[str] = []
    timeouts: list[str] = []  # no answer within the client's 60 s: a figure, not a failure
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(seed: int) -> None:
        rng = random.Random(seed)
        mine = []
        with httpx.Client(base_url=base, timeout=60) as http:
            while time.monotonic() < stop:
                path = paths(rng)
                started = time.perf_counter()
                try:
                    response = http.get(path)
                except httpx.TimeoutException:
                    with lock:
                        timeouts.append(path)
                    break
                mine.append(time.perf_counter() - started)
                if response.status_code != 200:
                    with lock:
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
    if not latencies:
        # Every request outlived the window: say so rather than report nothing.
        return {"requests": 0, "timeouts": len(timeouts), "p50_ms": float("inf"), "p99_ms": float("inf")}
    latencies.sort()
    return {
        "requests": len(latencies),
        "timeouts": len(timeouts),
        "p50_ms": round(1000 * statistics.median(latencies), 2),
        "p99_ms": round(1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))], 2),
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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--seconds", type=float, default=10.0, help="per endpoint")
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    data = dataset(args.triples, args.seed)
    work = Path(tempfile.mkdtemp(prefix="unkg-bench-api-"))
    process = None
    try:
        store = pyoxigraph.Store(str(work / "store"))
        store.bulk_load(path=str(data), format=pyoxigraph.RdfFormat.N_QUADS)
        store.flush()
        del store
        process, base = start_unkg(work / "store")
        started = time.perf_counter()
        httpx.get(f"{base}/api/bodies?limit=1", timeout=600).raise_for_status()
        catalog_seconds = round(time.perf_counter() - started, 2)

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
            "/api/queries/open-recommendations (SPARQL)": lambda rng: (
                f"/api/queries/open-recommendations?organization={rng.choice(organizations)}&as_of={date(rng)}"
            ),
        }
        figures = {}
        for name, paths in endpoints.items():
            figures[name] = run_endpoint(base, paths, clients=args.clients, seconds=args.seconds)
            sys.stderr.write(f"{name}: {json.dumps(figures[name])}\n")
        memory = server_memory_mb(process.pid)
        reference = figures["reference /api/context.jsonld"]
        for figure in figures.values():
            figure["p99_ratio_to_reference"] = round(figure["p99_ms"] / reference["p99_ms"], 2)
        results = {
            "triples": args.triples,
            "clients": args.clients,
            "seconds_per_endpoint": args.seconds,
            "catalog_read_seconds": catalog_seconds,
            "server_memory_mb": memory,
            "endpoints": figures,
        }
    finally:
        if process is not None:
            stop(process)
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(results, indent=2, ensure_ascii=False))  # noqa: T201


if __name__ == "__main__":
    main()
