"""`unkg serve|load|validate|query|dump|token`: each command is a few calls into the modules below it."""

from __future__ import annotations

import inspect
import io
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import IO, Annotated, Any

import pyoxigraph
import typer
from pydantic import ValidationError
from rdflib import Graph
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from service import __version__
from service.bundle import bundled_graphs, install_bundle, install_sources
from service.errors import NotAcceptable, RdfSyntaxError, ServiceError
from service.ingest.audit import draw, label, source_graphs
from service.rdf import (
    DATASET_MEDIA_TYPES,
    RDF_MEDIA_TYPES,
    RESULTS_MEDIA_TYPES,
    count_quads,
    graph_iri,
    media_type_for_path,
    rdf_format,
)
from service.settings import (
    DEPLOYMENT_PATHS,
    ENVIRONMENT_ONLY,
    Settings,
    anchored,
    environment_variable,
    find_deployment,
    flag,
    shown_default,
)
from service.sparql.results import ask, construct, graph_triples
from service.stores import VersionedStore, open_store
from service.stores.dataset import DEFAULT_GRAPH
from service.syntax import parse_quads
from service.tokens import ROLES, TokenStore
from service.validation import ValidationReport, Validator, is_violation, read_graph

FORMATS = {
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "ntriples": "application/n-triples",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "trig": "application/trig",
    "nquads": "application/n-quads",
    "nq": "application/n-quads",
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
#: Files at least this large show a progress bar while they load.
PROGRESS_THRESHOLD = 1 << 20
PROGRESS_STEP = 1 << 20

app = typer.Typer(
    name="unkg",
    help="UN System Knowledge Graph: load, validate, query, dump and serve the graph.\n\n"
    "Every option can also be set by the environment variable named beside it; flags win over the "
    "environment. UNKG_SPARQL_PASSWORD (remote store, basic auth) is read from the environment only.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
logger = logging.getLogger("service")


def _fail(message: str, *, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


def _settings_options() -> list[inspect.Parameter]:
    """One option per setting, named and described by `Settings` itself (so `--help`, the README's
    table and the code cannot disagree): `--store-path` for `UNKG_STORE_PATH`, and so on. The
    environment is read by Settings, as the server reads it (a list as JSON), not by the options."""
    options = []
    for name, field in Settings.model_fields.items():
        if name in ENVIRONMENT_ONLY:
            continue
        default = shown_default(name)
        # Parentheses, not brackets: rich reads [..] in help as markup.
        help = f"{field.description or ''} (env {environment_variable(name)}"
        help += f"; default {default})" if default else ")"
        if field.annotation is bool:
            option = typer.Option(f"{flag(name)}/--no-{flag(name)[2:]}", help=help, show_default=False)
            kind: Any = bool | None
        elif "list" in str(field.annotation):
            option = typer.Option(flag(name), help=help + " (repeat the flag for each)", show_default=False)
            kind = list[str] | None
        else:
            # Read as text; Settings converts it, and an invalid value exits naming the setting.
            option = typer.Option(flag(name), help=help, show_default=False)
            kind = str | None
        annotation = Annotated[kind, option]
        options.append(
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation)
        )
    return options


def configure(ctx: typer.Context, verbose: bool = False, **given: Any) -> None:
    """Read the settings: a flag before the command, else its environment variable (UNKG_…), else the
    default. UNKG_SPARQL_PASSWORD is read from the environment only."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(message)s"
    )
    values = {name: value for name, value in given.items() if value is not None and value != []}
    settings = _settings(values)
    if ctx.invoked_subcommand in ("version", None):
        ctx.obj = settings
        return
    root = find_deployment(Path.cwd())
    if root is None and not set(DEPLOYMENT_PATHS) <= settings.model_fields_set:
        # Not a store of its own in whatever folder it was run from (an empty ./var/store).
        raise _fail(
            f"found no unkg deployment: looked for ontology/, shapes/ and data/ in {Path.cwd()}, the "
            f"folders above it and {Path(__file__).resolve().parent.parent}; run unkg from its folder, "
            "or name every path (--store-path, --data-path, --ontology-path, --shapes-path, "
            "--queries-path, --tokens-path or their UNKG_ variables)"
        )
    ctx.obj = anchored(settings, root) if root is not None else settings


configure.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
    [
        inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context),
        inspect.Parameter(
            "verbose",
            inspect.Parameter.KEYWORD_ONLY,
            default=False,
            annotation=Annotated[bool, typer.Option("--verbose", "-v", help="Log what happens.")],
        ),
        *_settings_options(),
    ]
)
app.callback()(configure)


def _settings(given: dict[str, Any]) -> Settings:
    """Settings from the environment, `given` (flags) winning; an invalid value exits naming it."""
    try:
        return Settings(**given)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or 'settings'}: {error['msg']}"
            for error in exc.errors()
        )
        raise _fail(f"invalid settings: {problems}") from exc


def _open(ctx: typer.Context) -> VersionedStore:
    try:
        store = open_store(ctx.obj)
        store.arrange()
        return store
    except ServiceError as exc:
        raise _fail(str(exc)) from exc


@app.command()
def version() -> None:
    """Print the version of unkg."""
    out.print(__version__)


@app.command()
def install(ctx: typer.Context) -> None:
    """Install or update the ontology, shapes and bundled data in the store (serve does it at start)."""
    settings: Settings = ctx.obj
    store = _open(ctx)
    try:
        bundle = bundled_graphs(settings)
        changed = install_bundle(store, bundle, base_iri=settings.base_iri)
    except (ServiceError, OSError) as exc:
        raise _fail(str(exc)) from exc
    finally:
        store.close()
    for bundled in bundle:
        state = "installed" if bundled.graph in changed else "up to date"
        out.print(f"{state}: {bundled.graph} ({_counted(len(bundled.files), 'file')})", highlight=False)


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Source files or directories (default: data/sources).")
    ] = None,
    force: Annotated[bool, typer.Option(help="Extract again even sources that did not change.")] = False,
) -> None:
    """Extract the source documents into triples with provenance, validate them, and replace each
    source's named graph. A source that fails leaves its previous graph untouched."""
    settings: Settings = ctx.obj
    store = _open(ctx)
    try:
        install_bundle(
            store,
            bundled_graphs(settings),
            base_iri=settings.base_iri,
        )
        outcomes = install_sources(store, settings, paths=paths, force=force)
    except (ServiceError, OSError) as exc:
        raise _fail(str(exc)) from exc
    finally:
        store.close()
    if not outcomes:
        raise _fail("no source files found")
    failed = 0
    for outcome in outcomes:
        for warning in outcome.warnings:
            err.print(f"[yellow]warning:[/] {outcome.path}: {warning}", highlight=False)
        if outcome.error:
            failed += 1
            err.print(f"[bold red]error:[/] {outcome.error}", highlight=False)
            for result in outcome.violations[:20]:
                err.print(
                    f"  {result.focus_node} {result.path or ''}: {result.message()} "
                    f"({str(result.shape).rsplit('#', 1)[-1]})",
                    highlight=False,
                )
        elif outcome.status == "unchanged":
            out.print(f"unchanged: {outcome.path} ({outcome.graph_iri})", highlight=False)
        else:
            out.print(
                f"ingested {outcome.path} as {outcome.kind}: "
                f"{outcome.triples:,} triples into {outcome.graph_iri}",
                highlight=False,
            )
    if failed:
        raise typer.Exit(1)


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[
        str | None, typer.Option(envvar="UNKG_HOST", help="Address to listen on. [default: 127.0.0.1]")
    ] = None,
    port: Annotated[
        int | None, typer.Option(envvar="UNKG_PORT", help="Port to listen on. [default: 8000]")
    ] = None,
    query_timeout: Annotated[
        float | None, typer.Option(help="Seconds a /sparql query may run. [default: 30]")
    ] = None,
    max_result_rows: Annotated[
        int | None, typer.Option(help="Most rows in an anonymous /sparql result. [default: 100000]")
    ] = None,
    max_result_bytes: Annotated[
        int | None, typer.Option(help="Most bytes in an anonymous /sparql result. [default: 64 MiB]")
    ] = None,
    allow_service: Annotated[
        list[str] | None, typer.Option(help="An endpoint SERVICE may call (repeatable). [default: none]")
    ] = None,
) -> None:
    """Serve the graph over HTTP. On first start it installs the ontology, shapes and bundled data."""
    import uvicorn

    from service.app import create_app

    settings: Settings = ctx.obj
    flags = {
        "host": host,
        "port": port,
        "query_timeout": query_timeout,
        "max_result_rows": max_result_rows,
        "max_result_bytes": max_result_bytes,
        "service_allow_list": allow_service or None,
    }
    updates = {key: value for key, value in flags.items() if value is not None}
    settings = _settings(settings.model_dump(exclude_unset=True) | updates)
    logging.getLogger("service").setLevel(logging.INFO)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")


class _ProgressReader(io.RawIOBase):
    """A binary file that reports how far it has been read: first the syntax check, then the load."""

    def __init__(self, raw: IO[bytes], progress: Progress, task: Any) -> None:
        self._raw = raw
        self._progress = progress
        self._task = task
        self._shown = 0

    @property
    def name(self) -> str:
        # The file's path lets the syntax check read it in parallel.
        return str(self._raw.name)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        position = self._raw.tell()
        if position - self._shown >= PROGRESS_STEP or not count:
            self._shown = position
            self._progress.update(self._task, completed=position)
        return int(count or 0)

    def tell(self) -> int:
        return self._raw.tell()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        position = self._raw.seek(offset, whence)
        self._shown = position
        if position == 0:
            self._progress.update(self._task, completed=0, description=f"loading {self._task_name()}")
        return position

    def _task_name(self) -> str:
        return str(self._progress.tasks[self._task].fields.get("name", ""))


def _media_type(format: str | None, path: Path) -> str:
    if format is None:
        return media_type_for_path(path)
    return FORMATS.get(format, format)


@app.command()
def load(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="RDF files in any syntax (by extension, or --format).")],
    graph: Annotated[
        str | None, typer.Option(help="Named graph for the triples (default: the default graph).")
    ] = None,
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="Syntax of the files: "
            + ", ".join(name for name, media_type in FORMATS.items() if media_type in RDF_MEDIA_TYPES)
            + ", or a media type.",
        ),
    ] = None,
    replace: Annotated[bool, typer.Option(help="Empty --graph first, in the same step.")] = False,
    validate: Annotated[
        bool,
        typer.Option(
            help="Check each file against the shapes first and load none that breaks them; "
            "--no-validate for a bulk load checked later (unkg validate)."
        ),
    ] = True,
) -> None:
    """Load RDF files. Each file loads whole or not at all: a syntax error names its line and column,
    and a file that breaks the shapes is refused with its report (a bare store has no shapes)."""
    settings: Settings = ctx.obj
    if replace and graph is None:
        raise _fail("--replace needs --graph")
    validator = None
    if validate and not settings.bare:
        try:
            validator = Validator.from_directories(
                shapes_path=settings.shapes_path, ontology_path=settings.ontology_path
            )
        except OSError as exc:
            raise _fail(f"{exc} (or --no-validate)") from exc
    store = _open(ctx)
    failed = 0
    try:
        for path in files:
            try:
                media_type = _media_type(format, path)
                size = path.stat().st_size
                if validator is not None:
                    data_graph = _graph_of(path, media_type)
                    report = validator.validate(data_graph + _reference(store, settings))
                    if not report.conforms:
                        failed += 1
                        _print_report(report, language="en", checked=len(data_graph))
                        err.print(
                            f"[bold red]error:[/] {path} breaks the shapes; nothing of it was loaded "
                            "(--no-validate loads it anyway)",
                            highlight=False,
                        )
                        continue
                with (
                    path.open("rb") as raw,
                    Progress(
                        TextColumn("{task.description}"),
                        BarColumn(),
                        DownloadColumn(),
                        TimeRemainingColumn(),
                        console=err,
                        transient=True,
                        disable=size < PROGRESS_THRESHOLD,
                    ) as progress,
                ):
                    task = progress.add_task(f"checking {path.name}", total=size, name=path.name)
                    reader = io.BufferedReader(_ProgressReader(raw, progress, task), buffer_size=1 << 16)
                    started = time.perf_counter()
                    count = store.load(reader, media_type=media_type, graph=graph, replace=replace)
                    seconds = time.perf_counter() - started
            except RdfSyntaxError as exc:
                failed += 1
                where = f"{path}:{exc.line}:{exc.column}" if exc.line else str(path)
                err.print(
                    f"[bold red]error:[/] {where}: {exc.message}; nothing of {path} was loaded",
                    highlight=False,
                )
                continue
            except (ServiceError, OSError) as exc:
                failed += 1
                err.print(f"[bold red]error:[/] {path}: {exc}; nothing of {path} was loaded", highlight=False)
                continue
            rate = count / seconds if seconds > 0 else float(count)
            target = _where_loaded(store, media_type, graph)
            unit = "quad" if rdf_format(media_type).supports_datasets else "triple"
            out.print(
                f"loaded {_counted(count, unit)} from {path}{target} in {seconds:.2f} s "
                f"({rate:,.0f} {unit}s/s)",
                highlight=False,
            )
    finally:
        store.close()
    if failed:
        raise typer.Exit(1)


def _graph_of(path: Path, media_type: str) -> Graph:
    """The triples of `path`, read by the store's own parser (safe with RDF/XML, and naming the line
    of a syntax error), every graph's together, as the shapes judge them."""
    with path.open("rb") as data:
        triples = (quad.triple for quad in parse_quads(data, format=rdf_format(media_type)))
        text = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return Graph().parse(data=text, format="nt")


def _reference(store: VersionedStore, settings: Settings) -> Graph:
    """The bodies and documents of the reference data, which loaded data points at (its values' types)."""
    return graph_triples(store, graph_iri(settings.base_iri, "reference"))


def _where_loaded(store: VersionedStore, media_type: str, graph: str | None) -> str:
    """Where a load put its triples, as the store's layout decided (a dataset keeps its graphs)."""
    if rdf_format(media_type).supports_datasets:
        # --graph takes what the file has in its default graph, not the quads it names graphs for.
        if graph is not None or store.layout.union:
            return (
                f" into the graphs it names (its default graph's triples into {store.layout.target(graph)})"
            )
        return " into the graphs it names (its default graph's triples into the default graph)"
    target = store.layout.target(graph)
    return " into the default graph" if target == DEFAULT_GRAPH else f" into {target}"


def _counted(count: int, unit: str) -> str:
    """`1 triple`, `2 triples`."""
    return f"{count:,} {unit}" + ("" if count == 1 else "s")


def _print_report(report: ValidationReport, *, language: str, checked: int) -> None:
    if report.conforms:
        out.print(f"conforms: {checked:,} triples checked, no violations", highlight=False)
        return
    table = Table(
        "severity", "focus node", "path", "value", "shape", "message", show_lines=False, expand=True
    )
    for result in report.results:
        table.add_row(
            str(result.severity).rsplit("#", 1)[-1],
            str(result.focus_node),
            str(result.path or ""),
            str(result.value or ""),
            str(result.shape).rsplit("#", 1)[-1],
            result.message(language),
        )
    out.print(table)
    violations = sum(1 for result in report.results if is_violation(result))
    out.print(f"does not conform: {violations} violations in {checked:,} triples", highlight=False)


@app.command()
def validate(
    ctx: typer.Context,
    files: Annotated[
        list[Path] | None, typer.Argument(help="RDF files to check (default: the whole store).")
    ] = None,
    lang: Annotated[str, typer.Option(help="Language of the messages: en or zh.")] = "en",
    format: Annotated[str, typer.Option("--format", "-f", help="Report as text, json or turtle.")] = "text",
) -> None:
    """Check data against the SHACL shapes. Exits 1 when there are violations."""
    settings: Settings = ctx.obj
    try:
        validator = Validator.from_directories(
            shapes_path=settings.shapes_path, ontology_path=settings.ontology_path
        )
    except OSError as exc:
        raise _fail(str(exc)) from exc
    if files:
        for path in files:
            try:
                with path.open("rb") as data:
                    count_quads(data, media_type=media_type_for_path(path))
            except RdfSyntaxError as exc:
                raise _fail(f"{path}:{exc.line}:{exc.column}: {exc.message}") from exc
            except (ServiceError, OSError) as exc:
                raise _fail(f"{path}: {exc}") from exc
        data_graph = read_graph(files)
    else:
        store = _open(ctx)
        try:
            data_graph = construct(store, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        except ServiceError as exc:
            raise _fail(str(exc)) from exc
        finally:
            store.close()
    report = validator.validate(data_graph)
    if format == "turtle":
        sys.stdout.write(report.graph.serialize(format="turtle"))
    elif format == "json":
        results = [result.as_json(lang) for result in report.results]
        out.print_json(json.dumps({"conforms": report.conforms, "results": results}, ensure_ascii=False))
    else:
        _print_report(report, language=lang, checked=len(data_graph))
    if not report.conforms:
        raise typer.Exit(1)


def _show_table(content: bytes) -> None:
    results = pyoxigraph.parse_query_results(content, format=pyoxigraph.QueryResultsFormat.JSON)
    if isinstance(results, pyoxigraph.QueryBoolean):
        out.print("true" if bool(results) else "false")
        return
    names = [variable.value for variable in results.variables]
    table = Table(*names)
    rows = 0
    for solution in results:
        table.add_row(*(_cell(solution[name]) for name in names))
        rows += 1
    out.print(table)
    out.print(f"{rows} rows", highlight=False)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, pyoxigraph.Literal):
        return f"{value.value}@{value.language}" if value.language else value.value
    if isinstance(value, pyoxigraph.NamedNode):
        return value.value
    return str(value)


@app.command()
def query(
    ctx: typer.Context,
    text: Annotated[
        str | None, typer.Argument(help="The SPARQL query (or use --file, or '-' for stdin).")
    ] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Read the query from this file.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table, or: " + ", ".join(FORMATS))] = "table",
) -> None:
    """Run a SPARQL query against the store and print its results."""
    if file is not None:
        text = file.read_text(encoding="utf-8")
    elif text == "-" or text is None:
        text = sys.stdin.read()
    if not text.strip():
        raise _fail("give a query, --file, or a query on standard input")
    if format == "table":
        accept = "application/sparql-results+json, text/turtle;q=0.9"
    elif format in FORMATS or "/" in format:
        accept = FORMATS.get(format, format)
    else:
        raise _fail(f"unknown format {format!r}; use table or one of: {', '.join(FORMATS)}")
    store = _open(ctx)
    try:
        result = store.query(text, accept=accept)
    except NotAcceptable as exc:
        # Said in the command's terms: which --format fits this kind of query.
        results = ", ".join(name for name, media in FORMATS.items() if media in RESULTS_MEDIA_TYPES)
        graphs = ", ".join(name for name, media in FORMATS.items() if media in RDF_MEDIA_TYPES)
        raise _fail(
            f"--format {format} does not fit this query: SELECT and ASK results come as table, {results}; "
            f"CONSTRUCT and DESCRIBE graphs as table, {graphs}"
        ) from exc
    except ServiceError as exc:
        raise _fail(str(exc)) from exc
    finally:
        store.close()
    if format == "table" and result.media_type == "application/sparql-results+json":
        _show_table(result.content)
    else:
        sys.stdout.buffer.write(result.content)
        sys.stdout.flush()


@app.command()
def audit(
    ctx: typer.Context,
    size: Annotated[int, typer.Option(help="How many statements to draw.", min=1)] = 100,
    seed: Annotated[
        int, typer.Option(help="The seed of the draw: the same seed draws the same sample.")
    ] = 17,
    graph: Annotated[
        list[str] | None, typer.Option(help="A source graph to draw from (default: every source graph).")
    ] = None,
) -> None:
    """Draw a sample of the extracted statements, each with the source lines that back it, as a
    Markdown checklist for a line-by-line audit against the sources."""
    store = _open(ctx)
    try:
        known = source_graphs(store)
        unknown = [name for name in graph or [] if name not in known]
        if unknown:
            raise _fail(f"--graph {unknown[0]} is no source graph; the source graphs are: {', '.join(known)}")
        items = draw(store, size=size, seed=seed, graphs=graph or known)
        lines = [f"# Audit sample: {len(items)} statements, seed {seed}", ""]
        for number, item in enumerate(items, 1):
            source = item.graph.rsplit("/", 1)[-1]
            lines.append(f"{number}. [ ] `{source}`")
            lines.append(f"   - subject: {label(store, item.subject)}")
            lines.append(f"   - property: <{item.predicate}>")
            lines.append(f"   - value: {label(store, item.object)}")
            for backing in item.backing or item.context:
                kind = "lines" if item.backing else "subject's lines (no evidence names this property)"
                quote = backing.quote.replace("\n", " ")
                lines.append(f"   - {kind} {backing.line_start}-{backing.line_end}: {quote}")
            if not item.backing and not item.context:
                lines.append("   - no evidence")
        sys.stdout.write("\n".join(lines) + "\n")
    except ServiceError as exc:
        raise _fail(str(exc)) from exc
    finally:
        store.close()


@app.command()
def dump(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    format: Annotated[
        str, typer.Option("--format", "-f", help="trig or nquads (default: from --output, else trig).")
    ] = "",
    graph: Annotated[str | None, typer.Option(help="Dump only this named graph.")] = None,
) -> None:
    """Write the whole dataset (or one graph) as TriG or N-Quads."""
    if format:
        media_type = FORMATS.get(format, format)
    elif output is not None and output.suffix in (".nq", ".trig"):
        media_type = media_type_for_path(output)
    else:
        media_type = "application/trig"
    if media_type not in DATASET_MEDIA_TYPES and graph is None:
        raise _fail(f"dump writes a dataset: use trig or nquads, not {format}")
    store = _open(ctx)
    try:
        if graph is not None and not ask(store, f"ASK {{ GRAPH {pyoxigraph.NamedNode(graph)} {{ }} }}"):
            raise _fail(
                f"the store has no graph {graph} "
                "(unkg query 'SELECT DISTINCT ?g { GRAPH ?g {} }' lists them)"
            )
        if output is None:
            try:
                store.dump(sys.stdout.buffer, media_type=media_type, graph=graph)
                sys.stdout.flush()
            except (BrokenPipeError, ServiceError) as exc:
                if not isinstance(exc, BrokenPipeError) and not isinstance(exc.__cause__, BrokenPipeError):
                    raise
                # The reader stopped (`unkg dump | head`): as other Unix tools, end quietly.
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                raise typer.Exit(0) from None
        else:
            with output.open("wb") as stream:
                store.dump(stream, media_type=media_type, graph=graph)
    except ServiceError as exc:
        raise _fail(str(exc)) from exc
    except ValueError as exc:
        raise _fail(f"--graph: {exc}") from exc
    finally:
        store.close()


token_app = typer.Typer(
    help="Bearer tokens of the librarians (UNKG_TOKENS_PATH; only their hashes are kept).",
    no_args_is_help=True,
)
app.add_typer(token_app, name="token")


@token_app.command("create")
def token_create(
    ctx: typer.Context,
    role: Annotated[str, typer.Option(help="curator (submit), reviewer (also approve), admin (everything).")],
    name: Annotated[str, typer.Option(help="Who holds it, e.g. 'Li Wei, UN Library'.")],
) -> None:
    """Make a token and print it, once: it cannot be shown again."""
    if role not in ROLES:
        raise _fail(f"--role must be one of {', '.join(ROLES)}, not {role!r}")
    try:
        token, text = TokenStore(ctx.obj.tokens_path).create(name=name, role=role)
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    err.print(f"token {token.id} for {token.name} ({token.role}); keep it now, it is not shown again:")
    out.print(text, highlight=False)


@token_app.command("list")
def token_list(ctx: typer.Context) -> None:
    """Every token: id, holder, role, when made and revoked (never the token itself)."""
    table = Table("id", "name", "role", "created", "revoked")
    for token in TokenStore(ctx.obj.tokens_path).all():
        table.add_row(token.id, token.name, token.role, token.created, token.revoked or "")
    out.print(table)


@token_app.command("revoke")
def token_revoke(ctx: typer.Context, id: Annotated[str, typer.Argument(help="The token's id.")]) -> None:
    """Revoke a token: requests carrying it are refused from now on."""
    try:
        token = TokenStore(ctx.obj.tokens_path).revoke(id)
    except KeyError:
        raise _fail(f"no token has the id {id!r} (see `unkg token list`)") from None
    out.print(f"revoked {token.id} ({token.name}, {token.role}) on {token.revoked}")


def main() -> None:
    app()
