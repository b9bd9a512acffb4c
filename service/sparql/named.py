"""Named questions: SPARQL SELECT files, each with a title, a description and typed parameters.

A file `queries/<name>.rq` opens with a header of comments:

    # title: Open recommendations of an organization as of a date
    # description: Recommendations addressed to the organization whose latest status …
    #   (an indented line continues the previous field)
    # param organization: body — Id of the organization, e.g. wipo
    # param as_of: date = today — Statuses as they stood on this date

A parameter's value is checked against its type and bound to its variable as a term (never pasted
into the text); a parameter with a default may be left out. The terms reach the query as the first
VALUES of its outermost group: use each parameter there, not only inside a subquery. Types:
body, document, recommendation (an id or symbol, resolved to the IRI the catalog knows), iri, date,
integer, string.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from service.errors import InvalidParameterError

XSD = "http://www.w3.org/2001/XMLSchema#"
TYPES = ("body", "document", "recommendation", "iri", "date", "integer", "string")
_PARAMETER = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s*:\s*(?P<type>\w+)(?:\s*=\s*(?P<default>\S+))?\s*(?:—\s*(?P<description>.*))?$"
)
_FIELD = re.compile(r"^#\s?(?P<key>title|description|param)\b\s*(?P<rest>.*)$")

#: Resolves an id or symbol of a kind ("body", "document", "recommendation") to its IRI, or None.
Resolver = Callable[[str, str], str | None]


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    type: str
    description: str
    default: str | None = None  # "today" for a date means the day of the request

    @property
    def required(self) -> bool:
        return self.default is None


@dataclass(frozen=True, slots=True)
class NamedQuery:
    name: str
    title: str
    description: str
    text: str
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)

    def bind(
        self, values: Mapping[str, str], *, resolve: Resolver
    ) -> dict[str, pyoxigraph.NamedNode | pyoxigraph.Literal]:
        """The terms to bind for these request values. Raises InvalidParameterError naming the parameter."""
        known = {parameter.name for parameter in self.parameters}
        for name in values:
            if name not in known:
                raise InvalidParameterError(name, "this query has no such parameter", allowed=sorted(known))
        bound: dict[str, pyoxigraph.NamedNode | pyoxigraph.Literal] = {}
        for parameter in self.parameters:
            value = values.get(parameter.name, parameter.default)
            if value is None:
                raise InvalidParameterError(
                    parameter.name, f"required ({parameter.type}): {parameter.description}"
                )
            bound[parameter.name] = _term(parameter, value, resolve)
        return bound


def _term(parameter: Parameter, value: str, resolve: Resolver) -> pyoxigraph.NamedNode | pyoxigraph.Literal:
    name, kind = parameter.name, parameter.type
    if kind in ("body", "document", "recommendation"):
        found = resolve(kind, value)
        if found is None:
            raise InvalidParameterError(name, f"no {kind} has the id or symbol {value!r}")
        return pyoxigraph.NamedNode(found)
    if kind == "iri":
        try:
            return pyoxigraph.NamedNode(value)
        except ValueError as exc:
            raise InvalidParameterError(name, f"not an IRI: {value!r}") from exc
    if kind == "date":
        try:
            day = datetime.date.today() if value == "today" else datetime.date.fromisoformat(value)
        except ValueError as exc:
            raise InvalidParameterError(name, f"not a date (YYYY-MM-DD): {value!r}") from exc
        return pyoxigraph.Literal(day.isoformat(), datatype=pyoxigraph.NamedNode(XSD + "date"))
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise InvalidParameterError(name, f"not an integer: {value!r}")
        return pyoxigraph.Literal(str(int(value)), datatype=pyoxigraph.NamedNode(XSD + "integer"))
    return pyoxigraph.Literal(value)


def parse_named_query(name: str, text: str) -> NamedQuery:
    """Read a query file's header. Raises ValueError naming the file's problem (line, field)."""
    fields: dict[str, str] = {}
    parameters: list[Parameter] = []
    last: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        found = _FIELD.match(line)
        if found and found["key"] in ("title", "description") and found["rest"].startswith(":"):
            last = found["key"]
            fields[last] = found["rest"][1:].strip()
        elif found and found["key"] == "param":
            parameter = _PARAMETER.match(found["rest"].strip())
            if parameter is None or parameter["type"] not in TYPES:
                raise ValueError(
                    f"{name}.rq line {number}: a parameter is 'name: type [= default] — description' "
                    f"with a type among {', '.join(TYPES)}"
                )
            parameters.append(
                Parameter(
                    parameter["name"],
                    parameter["type"],
                    (parameter["description"] or "").strip(),
                    parameter["default"],
                )
            )
            last = None
        elif last is not None and line.startswith("#  "):
            fields[last] += " " + line[1:].strip()
    for required in ("title", "description"):
        if not fields.get(required):
            raise ValueError(f"{name}.rq: its header has no '# {required}:' line")
    return NamedQuery(name, fields["title"], fields["description"], text, tuple(parameters))


def load_named_queries(directory: Path) -> dict[str, NamedQuery]:
    """Every `*.rq` file of `directory`, by name (the file name without .rq), in name order."""
    queries = {}
    for path in sorted(directory.glob("*.rq")):
        queries[path.stem] = parse_named_query(path.stem, path.read_text(encoding="utf-8"))
    return queries
