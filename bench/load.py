"""Benchmark `unkg load` against pyoxigraph's own bulk loader, and the memory of `unkg serve`.

Both loaders read the same generated file into a fresh on-disk store, in alternating order, in the
same run; the ratio of their rates is what to compare across machines (these are shared and noisy).
Then `unkg serve` opens the loaded store and its peak resident memory (VmHWM) is read from /proc.

    python bench/load.py --triples 1000000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REFERENCE = """
import sys, time, pyoxigraph
store = pyoxigraph.Store(sys.argv[1])
started = time.perf_counter()
store.bulk_load(path=sys.argv[2], format=pyoxigraph.RdfFormat.N_QUADS)
store.flush()
print(time.perf_counter() - started)
"""


def wait_until_answering(url: str, process: subprocess.Popen[bytes], *, seconds: float = 600) -> None:
    """Return once `url` answers at all (any status); fail if the process ends or time runs out."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            httpx.get(url, timeout=60)
            return
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not start") from None
            time.sleep(0.2)


def start_unkg(store: Path, **settings: str) -> tuple[subprocess.Popen[bytes], str]:
    """`unkg serve` on the store at `store`, with extra UNKG_* `settings`; returns it and its base URL."""
    port = free_port()
    environment = dict(os.environ, UNKG_STORE_PATH=str(store), UNKG_PORT=str(port), **settings)
    process = subprocess.Popen(
        [str(BIN / "unkg"), "serve"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    wait_until_answering(f"{base}/health", process)
    return process, base


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, and SIGKILL after a minute: queries still evaluating in pyoxigraph cannot be cancelled."""
    os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def dataset(triples: int, seed: int) -> Path:
    path = ROOT / "bench" / "data" / f"un-{triples}-seed{seed}.nq"
    if not path.exists():
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "generate.py"),
                "--triples",
                str(triples),
                "--seed",
                str(seed),
                "--output",
                str(path),
            ],
            check=True,
        )
    return path


def run_reference(store: Path, data: Path) -> float:
    output = subprocess.run(
        [sys.executable, "-c", REFERENCE, str(store), str(data)], check=True, capture_output=True, text=True
    ).stdout
    return float(output.strip())


def run_unkg(store: Path, data: Path) -> tuple[float, int]:
    """`unkg load`; the seconds and count it reports itself (process start-up left out, as above)."""
    output = subprocess.run(
        [str(BIN / "unkg"), "--store-path", str(store), "load", str(data)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = re.search(r"loaded ([\d,]+) triples .* in ([\d.]+) s", output)
    assert found, output
    return float(found[2]), int(found[1].replace(",", ""))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_memory(store: Path) -> dict[str, float]:
    """Start `unkg serve` on `store`, ask /health (a scan of every graph) a few times, read VmHWM."""
    process, base = start_unkg(store)
    try:
        latencies = []
        for _ in range(5):
            started = time.perf_counter()
            triples = httpx.get(f"{base}/health", timeout=60).json()["triples"]
            latencies.append(time.perf_counter() - started)
        status = Path(f"/proc/{process.pid}/status").read_text()
        peak_kb = int(re.search(r"VmHWM:\s+(\d+) kB", status)[1])  # type: ignore[index]
        resident_kb = int(re.search(r"VmRSS:\s+(\d+) kB", status)[1])  # type: ignore[index]
    finally:
        stop(process)
    return {
        "peak_mb": peak_kb / 1024,
        "resident_mb": resident_kb / 1024,
        "triples": triples,
        "health_s_median": statistics.median(latencies),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = dataset(args.triples, args.seed)
    work = Path(tempfile.mkdtemp(prefix="unkg-bench-"))
    reference_s, unkg_s, count = [], [], 0
    try:
        for round_ in range(args.repeat):
            # Alternate which loader goes first, so that neither always gets the warmer page cache.
            order = ("reference", "unkg") if round_ % 2 == 0 else ("unkg", "reference")
            for which in order:
                store = work / f"{which}-{round_}"
                if which == "reference":
                    reference_s.append(run_reference(store, data))
                else:
                    seconds, count = run_unkg(store, data)
                    unkg_s.append(seconds)
                if round_ < args.repeat - 1 or which == "reference":
                    shutil.rmtree(store)
        memory = serve_memory(work / f"unkg-{args.repeat - 1}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    reference_rate = count / statistics.median(reference_s)
    unkg_rate = count / statistics.median(unkg_s)
    results = {
        "triples": count,
        "file_mb": round(data.stat().st_size / 2**20, 1),
        "reference_bulk_load_s": [round(s, 2) for s in reference_s],
        "unkg_load_s": [round(s, 2) for s in unkg_s],
        "reference_triples_per_s": round(reference_rate),
        "unkg_triples_per_s": round(unkg_rate),
        "ratio_unkg_to_reference": round(unkg_rate / reference_rate, 3),
        "serve_peak_mb": round(memory["peak_mb"], 1),
        "serve_resident_mb": round(memory["resident_mb"], 1),
        "health_median_s": round(memory["health_s_median"], 3),
    }
    out = ROOT / "bench" / "results" / f"load-{args.triples}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))  # noqa: T201


if __name__ == "__main__":
    main()
