"""Looking at SPARQL text without parsing it: its keywords, once IRIs, strings and comments are out.

>>> declares_dataset('SELECT * FROM <http://x.example/g> WHERE { ?s ?p "FROM" }')
True
>>> declares_dataset('SELECT * WHERE { ?s <http://x.example/from> "from <x>" } # FROM <y>')
False
>>> mentions("select * where { ?s ?p 'service' }", "SERVICE")
False
>>> last_group('DELETE { ?s ?p "}" } WHERE { ?s ?p ?o { ?o ?q ?r } }')
(27, 52)
>>> bind_values('SELECT * WHERE { ?s ?p "{" }', {"p": pyoxigraph.NamedNode("http://x.example/p")})
'SELECT * WHERE { VALUES (?p) { (<http://x.example/p>) }\\n ?s ?p "{" }'
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass

import pyoxigraph

# SPARQL's terminals, as the engine reads them. It is a PEG parser, which needs no space between
# tokens: `1SERVICE` and `trueSERVICE:x` are `1 SERVICE` and `true SERVICE :x` to it. What the scan
# sets aside (IRIs, strings, comments, variables, blank nodes, language tags, the local part of a
# prefixed name) matches no more than the engine's tokens do, so no keyword can hide in it; every
# other run of letters is a `word`, prefixes of prefixed names included. Possessive quantifiers keep
# the scan linear in the length of the text.
_ESCAPE = r"""\\[_~.\-!$&'()*+,;=/?#@%]"""
_LOCAL = (
    rf"(?:(?:[0-9A-Za-z_:]|%[0-9A-Fa-f]{{2}}|{_ESCAPE})"
    rf"(?:[0-9A-Za-z_:\-.]|%[0-9A-Fa-f]{{2}}|{_ESCAPE})*+)?"
)
_TOKENS = re.compile(
    r"""(?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*+>)"""
    r"""|(?P<string>'''(?:[^'\\]|\\.|'(?!''))*+'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*+\"\"\""""
    r"""|'(?:[^'\\\n\r]|\\.)*+'|"(?:[^"\\\n\r]|\\.)*+")"""
    r"|(?P<comment>#[^\n\r]*+)"
    r"|(?P<variable>[?$][0-9A-Za-z_]++)"
    r"|(?P<blank>_:[0-9A-Za-z_][0-9A-Za-z_\-.]*+)"
    r"|(?P<language>@[A-Za-z]++(?:-[0-9A-Za-z]++)*+)"
    r"|(?P<number>[0-9]++(?:\.[0-9]*+)?(?:[eE][+-]?[0-9]++)?|\.[0-9]++(?:[eE][+-]?[0-9]++)?)"
    rf"|(?P<word>[A-Za-z_][0-9A-Za-z_\-.]*+)(?P<local>:{_LOCAL})?|(?P<prefixed>:{_LOCAL})"
    r"|(?P<open><<|[{(\[])|(?P<close>>>|[})\]])"
    r"|(?P<operator>\|\||&&|!=|<=|>=|\^\^|[.;|/^!=<>+\-*])"
    r"|(?P<other>\S)",
)
#: Operators and keywords that each add a step to the engine's plan, which it builds recursively.
_STEPS = frozenset(
    {"||", "&&", "!=", "<=", ">=", ".", ";", "|", "/", "^", "!", "=", "<", ">", "+", "-", "*"}
    | {"UNION", "OPTIONAL", "MINUS", "FILTER", "BIND", "AS", "GRAPH", "SERVICE", "EXISTS", "VALUES"}
)


@dataclass(frozen=True)
class Shape:
    """What a scan of SPARQL text found: how deep its brackets nest, how many steps its plan takes,
    and its words (keywords, function names, prefixes), upper-cased, in order."""

    depth: int
    steps: int
    words: tuple[str, ...]

    def occurrences(self, keyword: str) -> int:
        """How many times the engine could read `keyword` (upper case): wherever its letters stand in
        a word, since the engine may split a word into keywords (`trueSERVICE` is `true SERVICE`).

        >>> scan("SELECT * WHERE { ?s ?p 1SERVICE <http://x.example/> {} }").occurrences("SERVICE")
        1
        >>> scan("SELECT ?service { ?s <http://x.example/service> 'service' } # SERVICE").occurrences(
        ...     "SERVICE")
        0
        """
        return sum(word.count(keyword) for word in self.words)


def scan(text: str, *, count_separators: bool = True) -> Shape:
    """Read `text` token by token as the engine would, without parsing it.

    `count_separators` False leaves `.` and `;` out of the steps (for updates, whose data blocks are
    long lists of triples that the engine reads without recursion).

    >>> scan("SELECT * WHERE { { ?s ?p ?o FILTER(?o > (1 + 2)) } UNION { ?s ?p 'x' } }")
    Shape(depth=4, steps=5, words=('SELECT', 'WHERE', 'FILTER', 'UNION'))
    """
    depth = deepest = steps = 0
    words: list[str] = []
    for match in _TOKENS.finditer(text):
        kind = match.lastgroup
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "operator":
            symbol = match.group()
            steps += symbol in _STEPS and (count_separators or symbol not in ".;")
        elif match.group("word"):
            word = match.group("word").upper()
            words.append(word)
            steps += word in _STEPS
    return Shape(depth=deepest, steps=steps, words=tuple(words))


_NOISE = frozenset({"iri", "string", "comment"})


def keywords_only(text: str) -> str:
    """`text` with its IRIs, strings and comments replaced by a space."""
    return _TOKENS.sub(lambda match: " " if match.lastgroup in _NOISE else match.group(), text)


def keywords(text: str) -> list[str]:
    """The words of `text` that stand alone as keywords (not in names, IRIs, strings or comments),
    upper-cased.

    >>> keywords("PREFIX download: <http://x.example/load> LOAD download:a # LOAD")
    ['PREFIX', 'LOAD']
    """
    return [word for word, _ in _keywords(text)]


def _keywords(text: str) -> Iterator[tuple[str, int]]:
    """The words of `text` that stand alone (not the prefix of a prefixed name), upper-cased, with
    where each starts."""
    for match in _TOKENS.finditer(text):
        if match.lastgroup == "word":
            yield match.group().upper(), match.start()


def _braces(text: str) -> Iterator[re.Match[str]]:
    """The `{` and `}` of `text` that are SPARQL's, not an IRI's, a string's or a comment's."""
    for match in _TOKENS.finditer(text):
        if match.group() in ("{", "}") and match.lastgroup in ("open", "close"):
            yield match


def mentions(text: str, keyword: str) -> bool:
    """Whether the engine could read `keyword` (any case) as a keyword of `text`: outside IRIs, strings,
    comments and names, wherever it stands (`1SERVICE` mentions SERVICE)."""
    if keyword.lower() not in text.lower():
        return False
    return scan(text).occurrences(keyword.upper()) > 0


def enumerates_graphs(query: str) -> bool:
    """Whether `query` has a `GRAPH ?var` pattern (one that ranges over named graphs).

    >>> enumerates_graphs("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")
    True
    >>> enumerates_graphs("SELECT * WHERE { GRAPH <http://x.example/g> { ?s ?p '?g' } } # GRAPH ?h")
    False
    """
    if "graph" not in query.lower():
        return False
    previous = ""
    for match in _TOKENS.finditer(query):
        kind = match.lastgroup
        if kind == "comment":
            continue
        if kind == "variable" and previous == "GRAPH":
            return True
        previous = match.group().upper() if kind == "word" else ""
    return False


def leave_out_graphs(query: str, graphs: Collection[str]) -> str:
    """`query` with each `GRAPH ?var { … }` pattern made a group that also filters `?var` out of
    `graphs` (IRIs): `{ GRAPH ?var { … } FILTER(?var NOT IN (<g>, …)) }`, a group of its own so that
    the filter binds where the pattern does (in an OPTIONAL, a MINUS, a subquery alike).

    >>> leave_out_graphs("SELECT * { GRAPH ?g { ?s ?p '}' } } # GRAPH ?h {", ["http://x.example/h"])
    "SELECT * { { GRAPH ?g { ?s ?p '}' } FILTER(?g NOT IN (<http://x.example/h>)) } } # GRAPH ?h {"
    """
    if not graphs:
        return query
    listed = ", ".join(f"<{graph}>" for graph in graphs)
    inserts: list[tuple[int, str]] = []
    filters: list[str | None] = []  # for each brace open: the filter its close adds, if any
    graph_at: int | None = None  # where a GRAPH keyword starts, until the token after it
    pending: tuple[str, int] | None = None  # GRAPH ?var read, its group not yet open
    for match in _TOKENS.finditer(query):
        kind, text = match.lastgroup, match.group()
        if kind == "comment":
            continue
        if graph_at is not None and kind == "variable":
            pending, graph_at = (text, graph_at), None
            continue
        graph_at = match.start() if kind == "word" and text.upper() == "GRAPH" else None
        if kind == "open" and text == "{":
            filters.append(pending[0] if pending else None)
            if pending:
                inserts.append((pending[1], "{ "))
        elif kind == "close" and text == "}" and filters and (variable := filters.pop()):
            inserts.append((match.end(), f" FILTER({variable} NOT IN ({listed})) }}"))
        pending = None
    # In the order found: where a group closes right where a GRAPH starts, its filter comes first.
    pieces, done = [], 0
    for at, text in sorted(inserts, key=lambda insert: insert[0]):
        pieces += [query[done:at], text]
        done = at
    return "".join([*pieces, query[done:]])


def graph_subqueries(query: str) -> bool:
    """Whether a `GRAPH ?var { … }` group of `query` holds a subquery (a SELECT within it).

    >>> graph_subqueries("SELECT ?x { GRAPH ?g { { SELECT * { ?x ?p ?y } } } }")
    True
    >>> graph_subqueries("SELECT ?x { GRAPH ?g { ?x ?p 'SELECT' } { SELECT * {} } }")
    False
    """
    if "select" not in query.lower():
        return False
    inside: list[bool] = []  # for each brace open: whether it is within a GRAPH ?var group
    after_graph = graph_variable = False
    for match in _TOKENS.finditer(query):
        kind, text = match.lastgroup, match.group()
        if kind == "comment":
            continue
        if kind == "open" and text == "{":
            inside.append(graph_variable or bool(inside and inside[-1]))
        elif kind == "close" and text == "}" and inside:
            inside.pop()
        elif kind == "word" and text.upper() == "SELECT" and inside and inside[-1]:
            return True
        graph_variable = after_graph and kind == "variable"
        after_graph = kind == "word" and text.upper() == "GRAPH"
    return False


def declares_dataset(query: str) -> bool:
    """Whether `query` has a FROM or FROM NAMED clause of its own."""
    return "from" in query.lower() and any(word == "FROM" for word, _ in _keywords(query))


def bind_values(query: str, bindings: Mapping[str, pyoxigraph.NamedNode | pyoxigraph.Literal]) -> str:
    """`query` with a VALUES block binding `bindings` as the first element of its first group.

    For a SELECT or ASK query that group is the WHERE clause, so the values reach its patterns and
    filters (not a subquery's, which is evaluated on its own). The terms are written by pyoxigraph
    (N-Triples syntax, escaped): no value is pasted in as it came.
    """
    for match in _braces(query):
        if match.group() == "{":
            names = " ".join(f"?{name}" for name in bindings)
            values = " ".join(str(value) for value in bindings.values())
            at = match.end()
            return f"{query[:at]} VALUES ({names}) {{ ({values}) }}\n{query[at:]}"
    raise ValueError("the query has no group to bind values in")


def last_group(text: str) -> tuple[int, int]:
    """Start and end of the last top-level `{ … }` group of `text` (an update's WHERE clause is its last
    group); braces in IRIs, strings and comments do not count. ValueError if there is none."""
    depth, start, found = 0, 0, None
    for match in _braces(text):
        if match.group() == "{":
            if depth == 0:
                start = match.start()
            depth += 1
        elif match.group() == "}" and depth:
            depth -= 1
            if depth == 0:
                found = (start, match.end())
    if found is None:
        raise ValueError("no group { … } found")
    return found


def first_keyword(text: str, keywords: tuple[str, ...]) -> int:
    """Where the first of `keywords` (any case) starts in `text`, outside IRIs, strings, comments and
    names; ValueError if none does.

    >>> first_keyword('PREFIX d: <http://x.example/delete#> DELETE WHERE { ?s d:p ?o }', ("DELETE", "INSERT"))
    37
    """
    for word, start in _keywords(text):
        if word in keywords:
            return start
    raise ValueError(f"none of {', '.join(keywords)} found")


#: The keywords an update operation starts with (after its prologue).
OPERATIONS = ("WITH", "DELETE", "INSERT", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY")


def operations(update: str) -> list[tuple[str, str]]:
    """The operations of `update`, each as (its prologue: BASE and PREFIX declarations, the operation),
    split at the `;` between them (not those inside its groups); a part without an operation (a
    trailing prologue) is left out.

    >>> operations('PREFIX a: <http://x.example/;> INSERT DATA { a:s a:p "1;2" ; a:q 3 } ; CLEAR ALL ;')
    [('PREFIX a: <http://x.example/;> ', 'INSERT DATA { a:s a:p "1;2" ; a:q 3 } '), (' ', 'CLEAR ALL ')]
    """
    parts, depth, start = [], 0, 0
    for match in _TOKENS.finditer(update):
        kind = match.lastgroup
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "operator" and match.group() == ";" and depth == 0:
            parts.append(update[start : match.start()])
            start = match.end()
    parts.append(update[start:])
    found = []
    for part in parts:
        try:
            at = first_keyword(part, OPERATIONS)
        except ValueError:
            continue
        found.append((part[:at], part[at:]))
    return found
