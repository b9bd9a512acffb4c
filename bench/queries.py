"""Benchmark `/sparql` of `unkg serve` against a raw Oxigraph server holding the same data, in one run.

Both serve the same generated 1M-triple dataset from the same on-disk store, one after the other (each
round starts each in turn, alternating which goes first), on 127.0.0.1. Four client threads send a
realistic mix:

- lookup of one report with its recommendations
- open recommendations of an organization as of a date
- counts by implementation status of one organization
- reports citing a resolution
- members of a network, with their labels
- label search
- DESCRIBE of one recommendation
- an aggregate over all status assessments (by organization and status)

Phase "fresh": every query text differs (random parameters) and unkg's result cache is off, so both
evaluate every query. Phase "repeated": a fixed set of 40 queries sent again and again, unkg with its
cache on (keyed by the graph's version). Phases "graph-count" and "graph-select" send queries with
`GRAPH ?g` (cache off): a count of the triples of every named graph, and the graphs holding one
subject (a recommendation, a report or an organization, at random), which unkg evaluates with a
filter that leaves its history and system graphs out (issue 17; a dataset listing the data graphs before).

unkg keeps the union of the data graphs as the store's own default graph (issue 16), so the store is
laid out by `unkg serve` once before the rounds (its first start copies the data graphs into the
default graph). The raw server then serves that same store with its own default graph (which holds
the very union unkg answers from); it must not be started with `--union-default-graph` there, which
would count every triple twice (the copy and its graph). `--with-raw-union` adds the reference of
the earlier runs: the raw server with `--union-default-graph` over a second store that holds the
named graphs only (the generated data, bulk-loaded, and the ontology and shapes graphs unkg installs).
`--baseline DIR` adds unkg from another checkout (a commit from before issue 16, say) over that
second store, as it ran then.

Figures are throughput and p50/p99 latency per system and their ratios (unkg / raw, and other
pairs), which is what to compare across these shared, noisy machines: the ratio of each round (the
systems back to back) and the median of those ratios, and the ratios of every round's queries
pooled. `--with-in-process` adds unkg with its engine inside the server process
(`UNKG_ENGINE=in-process`), which prices the engine process's isolation. `--with-floor` adds a system,
pyoxigraph behind the thinnest Starlette app (`floor_server.py`), which splits the difference into the
engine's hosting and unkg's own work (it reads the store's own default graph, as unkg does now).

    python bench/queries.py --triples 1000000 --seconds 40 --rounds 6 --phase fresh --with-floor
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import BIN, dataset, free_port, start_unkg, stop, use_source, wait_until_answering  # noqa: E402

PREFIXES = """PREFIX unkg: <https://w3id.org/unkg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
ID = "https://w3id.org/unkg/id/"
JSON = "application/sparql-results+json"
TURTLE = "text/turtle"
WORDS = ["unicef", "unhcr", "wipo", "who", "undp", "network", "procurement", "finance", "unesco", "fao"]


class Parameters:
    """IRIs to put into the queries, read from the data once."""

    def __init__(self, query: Callable[[str], list[dict[str, str]]]) -> None:
        def values(text: str) -> list[str]:
            return [row["x"] for row in query(PREFIXES + text)]

        self.reports = values("SELECT DISTINCT ?x WHERE { ?r unkg:inReport ?x } LIMIT 500")
        self.organizations = values("SELECT DISTINCT ?x WHERE { ?a unkg:organization ?x } LIMIT 100")
        self.resolutions = values("SELECT DISTINCT ?x WHERE { ?r cito:cites ?x } LIMIT 500")
        self.networks = values("SELECT DISTINCT ?x WHERE { ?x org:hasMember ?m } LIMIT 100")
        self.recommendations = values("SELECT ?x WHERE { ?x unkg:inReport ?r } LIMIT 2000")
        assert all((self.reports, self.organizations, self.resolutions, self.networks, self.recommendations))


KIND_NAMES = ["report", "open", "counts", "citing", "members", "search", "describe", "aggregate"]
KINDS = len(KIND_NAMES)
GRAPH_COUNT = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def graph_count(rng: random.Random) -> list[tuple[str, str]]:
    """The triples of every named graph (a comment makes each text new)."""
    return [(f"{GRAPH_COUNT} # {rng.random()}", JSON)]


def graph_select(p: Parameters, rng: random.Random) -> list[tuple[str, str]]:
    """The graphs that say something of a recommendation, of a report, of an organization."""
    return [
        (f"SELECT ?g WHERE {{ GRAPH ?g {{ <{subject}> ?p ?o }} }} # {rng.random()}", JSON)
        for subject in (rng.choice(p.recommendations), rng.choice(p.reports), rng.choice(p.organizations))
    ]


def mix(p: Parameters, rng: random.Random) -> list[tuple[str, str]]:
    """One query of each kind, with parameters drawn from `rng`: (query, Accept)."""
    year = rng.randint(2012, 2024)
    organization = rng.choice(p.organizations)
    return [
        (
            f"SELECT ?rec ?n ?text WHERE {{ ?rec unkg:inReport <{rng.choice(p.reports)}> ; "
            "unkg:recommendationNumber ?n OPTIONAL { ?rec unkg:text ?text } } ORDER BY ?n",
            JSON,
        ),
        (
            "SELECT ?rec ?status WHERE {\n"
            "  { SELECT ?rec (MAX(?d) AS ?latest) WHERE {\n"
            f"      ?a unkg:organization <{organization}> ; unkg:recommendation ?rec ; unkg:asOf ?d\n"
            f'      FILTER(?d <= "{year}-12-31"^^xsd:date) }} GROUP BY ?rec }}\n'
            f"  ?b unkg:organization <{organization}> ; unkg:recommendation ?rec ; unkg:asOf ?latest ;\n"
            "     unkg:implementation ?status\n"
            f"  FILTER(?status != <{ID}implementation-status/implemented>)\n"
            "}",
            JSON,
        ),
        (
            f"SELECT ?status (COUNT(*) AS ?n) WHERE {{ ?a unkg:organization <{organization}> ; "
            "unkg:implementation ?status } GROUP BY ?status",
            JSON,
        ),
        (
            f"SELECT DISTINCT ?report WHERE {{ ?report cito:cites <{rng.choice(p.resolutions)}> }}",
            JSON,
        ),
        (
            f"SELECT ?member ?label WHERE {{ <{rng.choice(p.networks)}> org:hasMember ?member . "
            "?member skos:prefLabel ?label }",
            JSON,
        ),
        (
            "SELECT ?s ?label WHERE { ?s skos:prefLabel ?label "
            f'FILTER(CONTAINS(LCASE(STR(?label)), "{rng.choice(WORDS)}")) }} LIMIT 20',
            JSON,
        ),
        (f"DESCRIBE <{rng.choice(p.recommendations)}>", TURTLE),
        (
            "SELECT ?organization ?status (COUNT(*) AS ?n) WHERE { ?a unkg:organization ?organization ; "
            f"unkg:implementation ?status }} GROUP BY ?organization ?status # {rng.random()}",
            JSON,
        ),
    ]


@dataclass
class Load:
    """What one system answered in one measured window: each query's kind and latency, in seconds."""

    seconds: float
    latencies: list[tuple[int, float]] = field(default_factory=list)
    #: CPU seconds the server process used in the window (user and system), if it could be read.
    server_cpu: float | None = None
    #: The name of each kind of query (`latencies` holds their index).
    names: list[str] = field(default_factory=lambda: KIND_NAMES)

    def figures(self) -> dict[str, float]:
        found = figures(self.latencies, self.seconds, self.names)
        if self.server_cpu is not None:
            found["server_cpu_ms_per_query"] = 1000 * self.server_cpu / len(self.latencies)
        return found


def cpu_seconds(pid: int) -> float | None:
    """CPU seconds process `pid` and its children (unkg's engine process) have used so far (Linux's
    /proc; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        # Children of every thread: unkg's engine is started by its supervisor thread.
        children = [
            child
            for task in Path(f"/proc/{pid}/task").iterdir()
            for child in (task / "children").read_text().split()
        ]
    except OSError:
        return None
    total = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total + sum(cpu_seconds(int(child)) or 0.0 for child in children)


def figures(
    latencies: list[tuple[int, float]], seconds: float, names: list[str] = KIND_NAMES
) -> dict[str, float]:
    """Throughput, p50 and p99 over all queries, and the median latency of each kind."""
    ordered = sorted(latency for _, latency in latencies)
    by_kind: dict[int, list[float]] = {}
    for kind, latency in latencies:
        by_kind.setdefault(kind, []).append(latency)
    return {
        "queries": len(ordered),
        "qps": len(ordered) / seconds,
        "p50_ms": 1000 * statistics.median(ordered),
        "p99_ms": 1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))],
        # Median per kind of query (in the order of `mix`), to see where the two systems differ.
        **{f"p50_ms_{names[k]}": 1000 * statistics.median(v) for k, v in sorted(by_kind.items())},
    }


def run_load(
    url: str, queries: list[tuple[str, str]], *, clients: int, seconds: float, kinds: int = KINDS
) -> Load:
    """`clients` threads send `queries` in turn (each from its own offset) for `seconds`; the kind of
    the i-th query is i modulo `kinds`."""
    latencies: list[tuple[int, float]] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(offset: int) -> None:
        mine: list[tuple[int, float]] = []
        with httpx.Client(timeout=120) as http:
            i = offset
            while time.monotonic() < stop:
                query, accept = queries[i % len(queries)]
                kind = i % len(queries) % kinds
                i += 1
                started = time.perf_counter()
                response = http.post(
                    url,
                    content=(PREFIXES + query).encode(),
                    headers={"Content-Type": "application/sparql-query", "Accept": accept},
                )
                mine.append((kind, time.perf_counter() - started))
                if response.status_code != 200:
                    with lock:
                        errors.append(f"{response.status_code}: {response.text[:200]}")
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n * 7,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"{len(errors)} failed queries, first: {errors[0]}")
    return Load(seconds=time.monotonic() - started, latencies=latencies)


def launch(argv: list[str], path: str, **env: str) -> tuple[subprocess.Popen[bytes], str]:
    """Start a server on a free port of 127.0.0.1 (`{port}` in argv) and wait until `path` answers."""
    port = free_port()
    process = subprocess.Popen(
        [arg.format(port=port) for arg in argv],
        cwd=Path(__file__).resolve().parent,
        env=dict(os.environ, **env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}{path}"
    wait_until_answering(f"{url}?query=ASK%7B%7D", process)
    return process, url


def start_raw(store: Path, *, union: bool = False) -> tuple[subprocess.Popen[bytes], str]:
    """The Oxigraph server on `store`: its own default graph (where unkg keeps the union), or with
    `union` the union of every graph (for a store that holds named graphs only)."""
    argv = [str(BIN / "oxigraph"), "serve", "--location", str(store), "--bind", "127.0.0.1:{port}"]
    return launch(argv + (["--union-default-graph"] if union else []), "/query")


def start_unkg_sparql(
    store: Path, *, cache_bytes: int, engine: str = "process", source: Path | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """`unkg serve` on `store`; from the checkout at `source` if given (else `--source`, else this one)."""
    # No bundled data (an empty data directory): unkg serves exactly the generated data, as the raw
    # server does (the bundle would replace its reference graph, networks and all).
    empty = store.parent / "no-bundled-data"
    empty.mkdir(exist_ok=True)
    settings = {
        "UNKG_CACHE_BYTES": str(cache_bytes),
        "UNKG_QUERY_TIMEOUT": "120",
        "UNKG_DATA_PATH": str(empty),
        "UNKG_ENGINE": engine,
    }
    process, base = start_unkg(store, source=source, **settings)
    return process, f"{base}/sparql"


def prepare_stores(data: Path, work: Path, *, named_only: bool) -> dict[str, float]:
    """Bulk-load `data` into `work/store`, and lay it out as unkg does (its first start); with
    `named_only`, also `work/named`: the same data and the graphs unkg installs (ontology, shapes),
    named graphs only, for the raw server's union and a unkg from before issue 16. Returns the
    seconds the loads and unkg's first start took."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    store = pyoxigraph.Store(str(work / "store"))
    store.bulk_load(path=str(data), format=pyoxigraph.RdfFormat.N_QUADS)
    store.flush()
    del store
    timings["bulk_load_s"] = time.perf_counter() - started
    started = time.perf_counter()
    process, _ = start_unkg_sparql(work / "store", cache_bytes=0)
    timings["unkg_first_start_s"] = time.perf_counter() - started
    stop(process)
    if named_only:
        named = pyoxigraph.Store(str(work / "named"))
        named.bulk_load(path=str(data), format=pyoxigraph.RdfFormat.N_QUADS)
        store = pyoxigraph.Store.read_only(str(work / "store"))
        installed = {
            pyoxigraph.NamedNode(ID.replace("id/", f"graph/{name}")) for name in ("ontology", "shapes")
        }
        named.extend(quad for graph in installed for quad in store.quads_for_pattern(None, None, None, graph))
        named.flush()
        del named, store
    return timings


def sparql_select(url: str) -> Callable[[str], list[dict[str, str]]]:
    def query(text: str) -> list[dict[str, str]]:
        response = httpx.post(
            url,
            content=text.encode(),
            headers={"Content-Type": "application/sparql-query", "Accept": JSON},
            timeout=300,
        )
        response.raise_for_status()
        return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]

    return query


def start_floor(store: Path) -> tuple[subprocess.Popen[bytes], str]:
    """pyoxigraph behind the thinnest Starlette app (`floor_server.py`): Python hosting alone."""
    argv = [str(BIN / "uvicorn"), "floor_server:app", "--port", "{port}", "--loop", "uvloop"]
    argv += ["--http", "httptools", "--log-level", "warning", "--no-access-log"]
    return launch(argv, "/query", BENCH_STORE=str(store))


def phase(
    name: str,
    store: Path,
    queries: list[tuple[str, str]],
    *,
    cache_bytes: int,
    seconds: float,
    rounds: int,
    clients: int,
    with_floor: bool = False,
    with_in_process: bool = False,
    named: Path | None = None,
    baseline: Path | None = None,
    kinds: list[str] = KIND_NAMES,
) -> dict[str, object]:
    starters = {
        "raw": lambda: start_raw(store),
        "unkg": lambda: start_unkg_sparql(store, cache_bytes=cache_bytes),
    }
    if with_floor:
        starters["floor"] = lambda: start_floor(store)
    if with_in_process:
        starters["in-process"] = lambda: start_unkg_sparql(
            store, cache_bytes=cache_bytes, engine="in-process"
        )
    if named is not None:
        starters["raw-union"] = lambda: start_raw(named, union=True)
    if named is not None and baseline is not None:
        starters["baseline"] = lambda: start_unkg_sparql(named, cache_bytes=cache_bytes, source=baseline)
    systems = list(starters)
    loads: dict[str, list[Load]] = {system: [] for system in systems}
    for round_ in range(rounds):
        # Each round starts from another system, so that none always runs first (or last).
        shift = round_ % len(systems)
        for system in systems[shift:] + systems[:shift]:
            # One system at a time over the same store files: the same data, the same page cache,
            # and nothing of the other in memory. A short warm-up first, so that neither pays for a
            # cold start in the figures.
            process, url = starters[system]()
            try:
                run_load(url, queries, clients=clients, seconds=min(5.0, seconds), kinds=len(kinds))
                before = cpu_seconds(process.pid)
                load = run_load(url, queries, clients=clients, seconds=seconds, kinds=len(kinds))
                load.names = kinds
                after = cpu_seconds(process.pid)
                if before is not None and after is not None:
                    load.server_cpu = after - before
                loads[system].append(load)
            finally:
                stop(process)
            progress = json.dumps({k: round(v, 1) for k, v in loads[system][-1].figures().items()})
            sys.stderr.write(f"{name} round {round_ + 1} {system}: {progress}\n")
    return summarize(loads)


def summarize(loads: dict[str, list[Load]]) -> dict[str, object]:
    """Each system's figures and the ratios unkg / raw (and, with the floor, floor / raw and
    unkg / floor), two ways.

    Per round: each round runs the systems back to back under the same machine weather, and the
    median of the rounds' ratios discounts the drift between rounds (often larger than the
    difference between the systems). Pooled: every round's queries together, so that p99 stands on
    hundreds of slow queries rather than on a round's few (a 20 s round holds ~30 aggregates).
    """
    summary: dict[str, object] = {}
    pooled: dict[str, dict[str, float]] = {}
    for system, runs in loads.items():
        every = [latency for run in runs for latency in run.latencies]
        pooled[system] = figures(every, sum(run.seconds for run in runs), runs[0].names)
        cpu = [run.server_cpu for run in runs]
        if all(seconds is not None for seconds in cpu):
            pooled[system]["server_cpu_ms_per_query"] = 1000 * sum(filter(None, cpu)) / len(every)
        summary[system] = {key: round(value, 1) for key, value in pooled[system].items()}
    comparisons = [
        ("unkg", "raw"),
        ("floor", "raw"),
        ("unkg", "floor"),
        ("in-process", "raw"),
        ("unkg", "in-process"),
        ("unkg", "raw-union"),
        ("raw", "raw-union"),
        ("baseline", "raw-union"),
        ("unkg", "baseline"),
    ]
    for first, second in comparisons:
        if first in loads and second in loads:
            ratios = _ratios(loads[first], loads[second], pooled[first], pooled[second])
            summary.update(ratios if (first, second) == ("unkg", "raw") else {f"{first}/{second}": ratios})
    return summary


def _ratios(
    first: list[Load], second: list[Load], pooled_first: dict[str, float], pooled_second: dict[str, float]
) -> dict[str, object]:
    pairs = [(a.figures(), b.figures()) for a, b in zip(first, second, strict=True)]
    throughput = [a["qps"] / b["qps"] for a, b in pairs]
    p99 = [a["p99_ms"] / b["p99_ms"] for a, b in pairs]
    ratios: dict[str, object] = {
        "throughput_ratio": round(statistics.median(throughput), 3),
        "p99_ratio": round(statistics.median(p99), 3),
        "throughput_ratio_pooled": round(pooled_first["qps"] / pooled_second["qps"], 3),
        "p99_ratio_pooled": round(pooled_first["p99_ms"] / pooled_second["p99_ms"], 3),
    }
    cpu = "server_cpu_ms_per_query"
    if cpu in pooled_first and cpu in pooled_second:
        # CPU spent per query by the server: less swayed by scheduling than wall-clock figures.
        ratios["server_cpu_per_query_ratio_pooled"] = round(pooled_first[cpu] / pooled_second[cpu], 3)
    ratios["throughput_ratio_per_round"] = [round(ratio, 3) for ratio in throughput]
    ratios["p99_ratio_per_round"] = [round(ratio, 3) for ratio in p99]
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--seconds", type=float, default=20.0, help="per system and round")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument(
        "--with-floor",
        action="store_true",
        help="also measure pyoxigraph behind the thinnest Starlette app (floor_server.py)",
    )
    parser.add_argument(
        "--with-in-process",
        action="store_true",
        help="also measure unkg with its engine inside the server process (UNKG_ENGINE=in-process)",
    )
    parser.add_argument(
        "--with-raw-union",
        action="store_true",
        help="also the raw server with --union-default-graph over a store of the named graphs alone",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        help="also unkg from this checkout (before issue 16) over the named graphs alone (implies "
        "--with-raw-union)",
    )
    parser.add_argument(
        "--phase",
        choices=["fresh", "repeated", "graph-count", "graph-select"],
        action="append",
        help="run only this phase (repeatable; default fresh and repeated)",
    )
    parser.add_argument("--work", type=Path, help="where the stores go (a temporary directory otherwise)")
    parser.add_argument("--source", type=Path, help="run unkg from this checkout (default: this one)")
    args = parser.parse_args()
    use_source(args.source)
    data = dataset(args.triples, args.seed)
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="unkg-bench-queries-", dir=args.work))
    named = args.with_raw_union or args.baseline is not None
    try:
        timings = prepare_stores(data, work, named_only=named)
        sys.stderr.write(f"stores: {json.dumps({k: round(v, 1) for k, v in timings.items()})}\n")
        raw, raw_url = start_raw(work / "store")
        try:
            parameters = Parameters(sparql_select(raw_url))
        finally:
            stop(raw)
        rng = random.Random(args.seed)
        fresh = [query for _ in range(2000) for query in mix(parameters, rng)]
        repeated = [query for _ in range(5) for query in mix(parameters, rng)]
        counts = list(itertools.chain.from_iterable(graph_count(rng) for _ in range(2000)))
        selects = list(itertools.chain.from_iterable(graph_select(parameters, rng) for _ in range(4000)))
        results: dict[str, object] = {
            "triples": args.triples,
            "clients": args.clients,
            "seconds_per_round": args.seconds,
            "rounds": args.rounds,
            "stores": {key: round(value, 1) for key, value in timings.items()},
        }
        # "fresh": new query texts, unkg's cache off; "repeated": 40 queries again and again, cache on;
        # the GRAPH ?g phases: new texts, cache off.
        phases = {
            "fresh": (fresh, 0, KIND_NAMES),
            "repeated": (repeated, 128 << 20, KIND_NAMES),
            "graph-count": (counts, 0, ["graph_count"]),
            "graph-select": (
                selects,
                0,
                ["graph_of_recommendation", "graph_of_report", "graph_of_organization"],
            ),
        }
        for name in args.phase or ["fresh", "repeated"]:
            queries, cache_bytes, kinds = phases[name]
            results[name] = phase(
                name,
                work / "store",
                queries,
                cache_bytes=cache_bytes,
                seconds=args.seconds,
                rounds=args.rounds,
                clients=args.clients,
                with_floor=args.with_floor,
                with_in_process=args.with_in_process,
                named=work / "named" if named else None,
                baseline=args.baseline.resolve() if args.baseline else None,
                kinds=kinds,
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(results, indent=2))  # noqa: T201


if __name__ == "__main__":
    main()
