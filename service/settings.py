"""Settings of a unkg deployment, read from UNKG_* environment variables and command-line flags."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from service.rdf import DEFAULT_BASE_IRI

#: The value of `store_path` that keeps the embedded store in memory.
IN_MEMORY = ":memory:"


class Settings(BaseSettings):
    """Everything a deployment can change. Built only by `create_app()` and `cli.main()`."""

    model_config = SettingsConfigDict(env_prefix="UNKG_", extra="forbid")

    store: Literal["oxigraph", "remote"] = Field(
        default="oxigraph",
        description="Backend: the embedded Oxigraph store, or a remote SPARQL 1.1 endpoint.",
    )
    store_path: str = Field(
        default="var/store", description=f"Directory of the embedded store; '{IN_MEMORY}' keeps it in memory."
    )
    engine: Literal["process", "in-process"] = Field(
        default="process",
        description="Embedded store on disk, as `unkg serve` uses it: queries run in an engine process "
        "that unkg restarts after a crash and kills when a query outlives its time limit ('process'), or "
        "inside the server process, where neither can be stopped ('in-process'). An in-memory store and "
        "the other commands always run in-process.",
    )
    engine_max_memory: int | None = Field(
        default=4 * 1024**3,
        ge=1,
        description="Engine process: bytes of memory past which it is restarted (the queries in flight "
        "fail with 503); unset for no limit.",
    )
    engine_jemalloc: bool = Field(
        default=True,
        description="Engine process: allocate its memory with jemalloc when libjemalloc is installed "
        "(Debian's libjemalloc2; about 20% faster aggregates at 1M triples under 4 clients).",
    )
    sparql_query_url: str | None = Field(
        default=None, description="Remote store: SPARQL 1.1 query endpoint URL."
    )
    sparql_update_url: str | None = Field(
        default=None, description="Remote store: SPARQL 1.1 update endpoint URL."
    )
    sparql_graph_store_url: str | None = Field(
        default=None, description="Remote store: Graph Store Protocol URL (optional; loads use it when set)."
    )
    sparql_username: str | None = Field(
        default=None, description="Remote store: user name for HTTP basic auth."
    )
    sparql_password: SecretStr | None = Field(
        default=None, description="Remote store: password for HTTP basic auth."
    )
    store_timeout: float = Field(
        default=30.0, gt=0, description="Remote store: seconds to wait for an answer."
    )
    base_iri: str = Field(default=DEFAULT_BASE_IRI, description="Where every IRI the graph mints starts.")
    bare: bool = Field(
        default=False,
        description="A plain SPARQL 1.1 store for data of your own: no bundled graphs or sources, no "
        "shapes (every change conforms), the store's own default graph, no review and no If-Match "
        "demanded. Changes still need a token and still go into the history.",
    )
    union_default_graph: bool = Field(
        default=True,
        description="The default graph of queries is the union of the data graphs (every named graph but "
        "the history and system graphs and those of union_excludes), kept up to date with each write; "
        "false: the store's own default graph, as SPARQL 1.1 says (the JSON API and pages then read that "
        "graph alone). Always false when bare.",
    )
    union_excludes: list[str] = Field(
        default_factory=list,
        description="Named graphs left out of the union default graph (JSON list), e.g. the shapes graph. "
        "The JSON API and the pages read the default graph: leave the ontology in it (its concept "
        "schemes label every status).",
    )
    default_write_graph: str | None = Field(
        default=None,
        description="Union default graph: the named graph that a write without GRAPH changes (an update's "
        "INSERT DATA { … }, a Graph Store write to ?default); default: <base_iri>graph/default.",
    )
    require_if_match: bool = Field(
        default=False,
        description="Every graph demands If-Match on writes that change existing resources (428 "
        "without it); an admin sets it per graph too (PUT /api/graphs/settings). The store's version "
        "still guards every write whole.",
    )
    ontology_path: Path = Field(
        default=Path("ontology"), description="Directory of the ontology (Turtle files)."
    )
    shapes_path: Path = Field(
        default=Path("shapes"), description="Directory of the SHACL shapes (Turtle files)."
    )
    data_path: Path = Field(default=Path("data"), description="Directory of the bundled data.")
    queries_path: Path = Field(
        default=Path("queries"),
        description="Directory of the named questions (SPARQL files) of /api/queries.",
    )
    tokens_path: Path = Field(
        default=Path("var/tokens.json"),
        description="File of the librarians' bearer tokens (hashes only; `unkg token` manages it).",
    )
    query_timeout: float = Field(
        default=30.0, gt=0, description="/sparql: seconds a query may run before it is stopped."
    )
    max_result_rows: int | None = Field(
        default=100_000,
        ge=1,
        description="/sparql, anonymous: most rows (triples) in a result; a longer one is cut, saying so.",
    )
    max_result_bytes: int | None = Field(
        default=64 * 1024 * 1024,
        ge=1,
        description="/sparql, anonymous: most bytes in a result; a larger one is cut, saying so.",
    )
    max_request_bytes: int | None = Field(
        default=32 * 1024 * 1024,
        ge=1,
        description="Most bytes in a request body (a query, an update, a changeset, a graph sent by PUT or "
        "POST); a larger one is refused with 413 before it is read whole. `unkg load` has no such limit.",
    )
    cache_bytes: int = Field(
        default=128 * 1024 * 1024,
        ge=0,
        description="Query results kept, keyed by the graph's version (any write invalidates them); 0: none.",
    )
    catalog_wait: float = Field(
        default=2.0,
        ge=0,
        description="/api: after a write, the new catalog is waited for while reading one takes at most "
        "this many seconds; past it, answers come from the previous catalog (saying so in "
        "Unkg-Catalog-Stale) until the new one is read in the background.",
    )
    query_workers: int = Field(
        default=8,
        ge=1,
        description="/sparql: queries evaluated at once; others wait their turn within their time.",
    )
    service_allow_list: list[str] = Field(
        default_factory=list,
        description="/sparql: endpoints a query's SERVICE may call (JSON list); none by default.",
    )
    dataset_license: str = Field(
        default="https://creativecommons.org/licenses/by/4.0/",
        description="Licence of the dataset, as its VoID/DCAT description and dumps state it.",
    )
    host: str = Field(default="127.0.0.1", description="Address `unkg serve` listens on.")
    port: int = Field(default=8000, ge=0, le=65535, description="Port `unkg serve` listens on.")

    @model_validator(mode="after")
    def _check_remote(self) -> Settings:
        if self.store == "remote" and not (self.sparql_query_url and self.sparql_update_url):
            raise ValueError("store=remote needs UNKG_SPARQL_QUERY_URL and UNKG_SPARQL_UPDATE_URL")
        if (self.sparql_username is None) != (self.sparql_password is None):
            raise ValueError("UNKG_SPARQL_USERNAME and UNKG_SPARQL_PASSWORD go together")
        if not self.base_iri.endswith(("/", "#")):
            raise ValueError("UNKG_BASE_IRI must end with '/' or '#'")
        if self.bare:
            self.union_default_graph = False
            self.require_if_match = False
        return self


#: Settings read from the environment alone: a secret has no place on a command line (ps shows it).
ENVIRONMENT_ONLY = frozenset({"sparql_password"})


def environment_variable(name: str) -> str:
    return "UNKG_" + name.upper()


def flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def shown_default(name: str) -> str:
    """The default of setting `name` as a person would write it (lists as JSON, no value as blank)."""
    field = Settings.model_fields[name]
    value = field.get_default(call_default_factory=True)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(f'"{item}"' for item in value) + "]"
    return str(value)


def settings_table() -> str:
    """Every setting as a Markdown table (variable, flag, default, meaning): the README's, generated
    here so that it cannot drift from the code (`python -m service.settings` prints it)."""
    rows = ["| variable | flag | default | meaning |", "| --- | --- | --- | --- |"]
    for name, field in Settings.model_fields.items():
        option = "(environment only)" if name in ENVIRONMENT_ONLY else f"`{flag(name)}`"
        if field.annotation is bool:
            option += f", `--no-{flag(name)[2:]}`"
        default = shown_default(name)
        meaning = (field.description or "").replace("|", "\\|")
        rows.append(
            f"| `{environment_variable(name)}` | {option} | {f'`{default}`' if default else ''} | {meaning} |"
        )
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    sys.stdout.write(settings_table())


#: The settings that name files of the deployment; relative, they start at its folder.
DEPLOYMENT_PATHS = ("store_path", "ontology_path", "shapes_path", "data_path", "queries_path", "tokens_path")
#: What makes a folder a unkg deployment.
_MARKS = ("ontology", "shapes", "data")


def find_deployment(start: Path) -> Path | None:
    """The unkg deployment a command run in `start` belongs to: `start` or the nearest folder above it
    holding ontology/, shapes/ and data/, else the source tree unkg is installed from (an editable
    install, as the README's), else None."""
    package_tree = Path(__file__).resolve().parent.parent
    for folder in [start, *start.parents, package_tree]:
        if all((folder / mark).is_dir() for mark in _MARKS):
            return folder
    return None


def anchored(settings: Settings, root: Path) -> Settings:
    """`settings` with the deployment paths it was not given explicitly starting at `root`."""
    updates: dict[str, object] = {}
    for name in DEPLOYMENT_PATHS:
        value = getattr(settings, name)
        if name in settings.model_fields_set or value == IN_MEMORY or Path(value).is_absolute():
            continue
        updates[name] = str(root / value) if isinstance(value, str) else root / value
    return settings.model_copy(update=updates)
