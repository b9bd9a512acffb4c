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
from collections.abc import Mapping

import pyoxigraph

# Left to right, the first alternative that matches wins: so a '#' inside an IRI or a string is not
# a comment, and a quote inside a comment opens no string.
_NOISE = re.compile(
    r"""<[^<>"{}|^`\\\s]*>"""  # IRI
    r"""|'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\""""  # long strings
    r"""|'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*\""""  # strings
    r"""|\#[^\n\r]*""",  # comment
    re.DOTALL,
)
_NOISE_OR_BRACE = re.compile(_NOISE.pattern + r"|\{", re.DOTALL)
_NOISE_OR_BRACES = re.compile(_NOISE.pattern + r"|[{}]", re.DOTALL)
_FROM = re.compile(r"(?<![\w:?$])FROM(?![\w:])", re.IGNORECASE)


def keywords_only(text: str) -> str:
    """`text` with its IRIs, strings and comments replaced by a space."""
    return _NOISE.sub(" ", text)


def mentions(text: str, keyword: str) -> bool:
    """Whether `keyword` (any case) occurs in `text` outside IRIs, strings, comments and names."""
    if keyword.lower() not in text.lower():
        return False
    pattern = rf"(?<![\w:?$]){re.escape(keyword)}(?![\w:])"
    return re.search(pattern, keywords_only(text), re.IGNORECASE) is not None


def declares_dataset(query: str) -> bool:
    """Whether `query` has a FROM or FROM NAMED clause of its own."""
    return "from" in query.lower() and _FROM.search(keywords_only(query)) is not None


def bind_values(query: str, bindings: Mapping[str, pyoxigraph.NamedNode | pyoxigraph.Literal]) -> str:
    """`query` with a VALUES block binding `bindings` as the first element of its first group.

    For a SELECT or ASK query that group is the WHERE clause, so the values reach its patterns and
    filters (not a subquery's, which is evaluated on its own). The terms are written by pyoxigraph
    (N-Triples syntax, escaped): no value is pasted in as it came.
    """
    for match in _NOISE_OR_BRACE.finditer(query):
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
    for match in _NOISE_OR_BRACES.finditer(text):
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
    words = "|".join(re.escape(keyword) for keyword in keywords)
    pattern = re.compile(_NOISE.pattern + rf"|(?<![\w:?$])(?:{words})(?![\w:])", re.DOTALL | re.IGNORECASE)
    for match in pattern.finditer(text):
        if match.group().upper() in keywords:
            return match.start()
    raise ValueError(f"none of {', '.join(keywords)} found")
