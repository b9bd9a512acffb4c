"""What runaway queries cost `unkg serve` and how fast it gets it back: the safety figures of issue 15.

Starts `unkg serve` on a fresh store with the bundled data, takes the engine's measure at rest, then
sends `--queries` copies at once of a query that sorts every pair of triples (gigabytes within
seconds, nothing written before the sort ends) under a time limit of `--timeout` seconds and
`--workers` worker slots. Every 0.1 s it samples the engine's memory (its resident set, from /proc),
the calls it has in hand and the server's own memory. It reports how each query was answered and
when, the peaks, and how long after the last answer the engine was back to its size at rest.

    python bench/runaway.py --queries 8 --timeout 2 --workers 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from load import ROOT, start_unkg, stop

RUNAWAY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"


def resident_mib(pid: int | None) -> float:
    if pid is None:
        return 0.0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--queries", type=int, default=8)
    parser.add_argument("--timeout", type=float, default=2.0, help="UNKG_QUERY_TIMEOUT, seconds")
    parser.add_argument("--workers", type=int, default=3, help="UNKG_QUERY_WORKERS")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="unkg-bench-runaway-") as work:
        process, base = start_unkg(
            Path(work) / "store",
            UNKG_QUERY_TIMEOUT=str(args.timeout),
            UNKG_QUERY_WORKERS=str(args.workers),
            UNKG_DATA_PATH=str(ROOT / "data"),
            UNKG_TOKENS_PATH=str(Path(work) / "tokens.json"),
        )
        try:
            rest = httpx.get(f"{base}/health", timeout=30).json()["store"]["engine"]
            samples: list[dict[str, float]] = []
            sampling = threading.Event()
            sampling.set()

            def sample() -> None:
                started = time.monotonic()
                while sampling.is_set():
                    engine = httpx.get(f"{base}/health", timeout=60).json()["store"]["engine"]
                    samples.append(
                        {
                            "at": time.monotonic() - started,
                            "engine_mib": resident_mib(engine["pid"]),
                            "server_mib": resident_mib(process.pid),
                            "calls": engine["calls"],
                            "pid": engine["pid"] or 0,
                        }
                    )
                    time.sleep(0.1)

            sampler = threading.Thread(target=sample)
            sampler.start()
            started = time.monotonic()

            def send(_: int) -> tuple[int, str, float]:
                response = httpx.post(
                    f"{base}/sparql",
                    content=RUNAWAY.encode(),
                    headers={"Content-Type": "application/sparql-query"},
                    timeout=300,
                )
                error = response.json().get("error", "") if response.status_code != 200 else ""
                return response.status_code, error, time.monotonic() - started

            with ThreadPoolExecutor(args.queries) as pool:
                answers = list(pool.map(send, range(args.queries)))
            last_answer = time.monotonic() - started
            # Back to rest: the engine within 100 MiB of its size at rest.
            limit = rest["memory_bytes"] / 2**20 + 100
            back = None
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                engine = httpx.get(f"{base}/health", timeout=30).json()["store"]["engine"]
                if engine["pid"] and resident_mib(engine["pid"]) < limit:
                    back = time.monotonic() - started - last_answer
                    break
                time.sleep(0.1)
            sampling.clear()
            sampler.join()
            final = httpx.get(f"{base}/health", timeout=30).json()["store"]["engine"]
        finally:
            stop(process)
    seconds = [at for _, _, at in answers]
    report = {
        "queries": args.queries,
        "timeout_s": args.timeout,
        "workers": args.workers,
        "answers": {
            f"{status} {error}".strip(): sum(1 for s, e, _ in answers if (s, e) == (status, error))
            for status, error, _ in answers
        },
        "answered_after_s": {
            "first": round(min(seconds), 2),
            "median": round(statistics.median(seconds), 2),
            "last": round(max(seconds), 2),
        },
        "engine_at_rest_mib": round(rest["memory_bytes"] / 2**20, 1),
        "engine_peak_mib": round(max(s["engine_mib"] for s in samples), 1),
        "server_peak_mib": round(max(s["server_mib"] for s in samples), 1),
        "most_calls_in_hand": max(int(s["calls"]) for s in samples),
        "engine_restarts": final["restarts"] - rest["restarts"],
        "back_to_rest_after_last_answer_s": None if back is None else round(back, 2),
    }
    print(json.dumps(report, indent=2))  # noqa: T201


if __name__ == "__main__":
    main()
