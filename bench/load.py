"""Benchmark `unkg load` against pyoxigraph's own bulk loader, and the memory of `unkg serve`.

The loaders read the same generated file into a fresh on-disk store, in rotating order, in the
same run; the ratio of their rates is what to compare across machines (these are shared and noisy):
pyoxigraph's `bulk_load` (the reference), `unkg load` in the union layout (the default: the load
is followed by copying the data graphs into the store's default graph), and with `--with-standard`
`unkg load` with `UNKG_UNION_DEFAULT_GRAPH=false` (the store's own default graph, no copy). Each
loader's own timing (inside its process) is reported, and its wall time and peak resident memory
(GNU time's maximum RSS: the largest process of the loader's tree).

`--first-start` also starts `unkg serve` on each reference store, one pyoxigraph wrote without
unkg's layouts (as every store from before them): `arrange()` copies the data graphs into the
default graph before the server answers. Reported: seconds to the first `/health` 200 and the peak
RSS of the server and of its engine process (sampled from /proc), then the same for a second start
on the same store (already arranged), which prices the copy apart.

Then `unkg serve` opens the last store `unkg load` wrote and its peak resident memory (VmHWM) is
read from /proc.

    python bench/load.py --triples 1000000 --repeat 3 --with-standard --first-start
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
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
#: The checkout `unkg` runs from (`--source`): this one by default.
SOURCE: Path | None = None
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


def unkg_run(source: Path | None = None, **settings: str) -> dict[str, Any]:
    """How to run `unkg` from the checkout `source` (or SOURCE, or this one): subprocess's `cwd` and
    `env` (its `service` package ahead of the one installed in the venv, which is this checkout's),
    with extra `settings`."""
    source = source or SOURCE
    environment = dict(os.environ, **settings)
    if source is None:
        return {"cwd": ROOT, "env": environment}
    environment["PYTHONPATH"] = str(source)
    return {"cwd": source, "env": environment}


def use_source(source: Path | None) -> None:
    """Run `unkg` from the checkout at `source` from now on (an unpacked `git archive`, say)."""
    global SOURCE
    SOURCE = source.resolve() if source else None


def start_unkg(
    store: Path, *, source: Path | None = None, **settings: str
) -> tuple[subprocess.Popen[bytes], str]:
    """`unkg serve` on the store at `store` (from the checkout `source`, or SOURCE), with extra UNKG_*
    `settings`; returns it and its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / "unkg"), "serve"],
        **unkg_run(source, UNKG_STORE_PATH=str(store), UNKG_PORT=str(port), **settings),
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


def timed(argv: list[str], **settings: str) -> tuple[str, float, float]:
    """Run `argv` (unkg: from SOURCE) under GNU time: its output, wall seconds, and peak RSS in MB (its
    largest process)."""
    finished = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M", *argv],
        check=True,
        capture_output=True,
        text=True,
        **unkg_run(**settings),
    )
    wall, peak_kb = finished.stderr.strip().splitlines()[-1].split()
    return finished.stdout, float(wall), int(peak_kb) / 1024


def run_reference(store: Path, data: Path) -> tuple[float, float, float]:
    """pyoxigraph's bulk_load: its own seconds, the wall seconds, the peak RSS (MB)."""
    output, wall, peak = timed([sys.executable, "-c", REFERENCE, str(store), str(data)])
    return float(output.strip()), wall, peak


def run_unkg(store: Path, data: Path, *, union: bool = True) -> tuple[float, int, float, float]:
    """`unkg load`; the seconds and count it reports itself (process start-up left out, as above),
    the wall seconds and peak RSS (MB)."""
    output, wall, peak = timed(
        [str(BIN / "unkg"), "--store-path", str(store), "load", str(data)],
        UNKG_UNION_DEFAULT_GRAPH="true" if union else "false",
    )
    found = re.search(r"loaded ([\d,]+) triples .* in ([\d.]+) s", output)
    assert found, output
    return float(found[2]), int(found[1].replace(",", "")), wall, peak


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (children of every thread: unkg's engine is its supervisor's)."""
    found = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                found += process_tree(int(child))
    except OSError:
        pass
    return found


def resident_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(found[1]) if found else 0


def first_start(store: Path) -> dict[str, float]:
    """Start `unkg serve` on `store` (no bundled data) and sample its memory every 50 ms until
    `/health` answers 200: the seconds that took, the server's and its engine's peak RSS (MB)."""
    empty = store.parent / "no-bundled-data"
    empty.mkdir(exist_ok=True)
    port = free_port()
    run = unkg_run(UNKG_STORE_PATH=str(store), UNKG_PORT=str(port), UNKG_DATA_PATH=str(empty))
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(BIN / "unkg"), "serve"],
        **run,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server_kb = engine_kb = 0
    last_ask = 0.0
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError("unkg serve ended before answering")
            pids = process_tree(process.pid)
            server_kb = max(server_kb, resident_kb(pids[0]))
            engine_kb = max(engine_kb, sum(resident_kb(pid) for pid in pids[1:]))
            now = time.perf_counter()
            if now - last_ask > 0.2:
                last_ask = now
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/health", timeout=60).status_code == 200:
                        answered = time.perf_counter() - started
                        break
                except httpx.TransportError:
                    pass
            if now - started > 1800:
                raise RuntimeError("unkg serve did not answer in 30 minutes")
            time.sleep(0.05)
    finally:
        stop(process)
    return {"health_s": answered, "server_peak_mb": server_kb / 1024, "engine_peak_mb": engine_kb / 1024}


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
    parser.add_argument(
        "--with-standard",
        action="store_true",
        help="also `unkg load` with UNKG_UNION_DEFAULT_GRAPH=false (no copy into the default graph)",
    )
    parser.add_argument(
        "--first-start",
        action="store_true",
        help="start `unkg serve` on each reference store (written without layouts), twice",
    )
    parser.add_argument("--work", type=Path, help="where the stores go (a temporary directory otherwise)")
    parser.add_argument("--source", type=Path, help="run unkg from this checkout (default: this one)")
    args = parser.parse_args()
    use_source(args.source)
    data = dataset(args.triples, args.seed)
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="unkg-bench-", dir=args.work))
    loaders = ["reference", "unkg"] + (["standard"] if args.with_standard else [])
    seconds: dict[str, list[float]] = {loader: [] for loader in loaders}
    walls: dict[str, list[float]] = {loader: [] for loader in loaders}
    peaks: dict[str, list[float]] = {loader: [] for loader in loaders}
    starts: list[dict[str, float]] = []
    restarts: list[dict[str, float]] = []
    count = 0
    try:
        for round_ in range(args.repeat):
            # Rotate which loader goes first, so that none always gets the warmer page cache.
            shift = round_ % len(loaders)
            for which in loaders[shift:] + loaders[:shift]:
                store = work / f"{which}-{round_}"
                if which == "reference":
                    own, wall, peak = run_reference(store, data)
                else:
                    own, count, wall, peak = run_unkg(store, data, union=which == "unkg")
                seconds[which].append(own)
                walls[which].append(wall)
                peaks[which].append(peak)
                sys.stderr.write(
                    f"round {round_ + 1} {which}: {own:.2f} s, wall {wall:.2f} s, {peak:.0f} MB\n"
                )
                if which == "reference" and args.first_start:
                    starts.append(first_start(store))
                    restarts.append(first_start(store))
                    sys.stderr.write(f"  first start {starts[-1]}, second {restarts[-1]}\n")
                if round_ < args.repeat - 1 or which != "unkg":
                    shutil.rmtree(store)
        memory = serve_memory(work / f"unkg-{args.repeat - 1}")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def rate(loader: str) -> float:
        return count / statistics.median(seconds[loader])

    results: dict[str, object] = {
        "triples": count,
        "file_mb": round(data.stat().st_size / 2**20, 1),
    }
    names = {"reference": "reference_bulk_load", "unkg": "unkg_load", "standard": "unkg_load_standard"}
    for loader in loaders:
        name = names[loader]
        results[f"{name}_s"] = [round(value, 2) for value in seconds[loader]]
        results[f"{name}_wall_s"] = [round(value, 2) for value in walls[loader]]
        results[f"{name}_peak_mb"] = [round(value) for value in peaks[loader]]
        results[f"{name}_triples_per_s"] = round(rate(loader))
    results["ratio_unkg_to_reference"] = round(rate("unkg") / rate("reference"), 3)
    if args.with_standard:
        results["ratio_standard_to_reference"] = round(rate("standard") / rate("reference"), 3)
        results["ratio_unkg_to_standard"] = round(rate("unkg") / rate("standard"), 3)
    if starts:
        for label, found in (("first_start", starts), ("second_start", restarts)):
            for key in ("health_s", "server_peak_mb", "engine_peak_mb"):
                results[f"{label}_{key}"] = [round(start[key], 2) for start in found]
    results.update(
        {
            "serve_peak_mb": round(memory["peak_mb"], 1),
            "serve_resident_mb": round(memory["resident_mb"], 1),
            "health_median_s": round(memory["health_s_median"], 3),
        }
    )
    out = ROOT / "bench" / "results" / f"load-{args.triples}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))  # noqa: T201


if __name__ == "__main__":
    main()
