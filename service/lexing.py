"""Looking at SPARQL text without parsing it: its keywords, once IRIs, strings and comments are out.

>>> declares_dataset('SELECT * FROM <http://x.example/g> WHERE { ?s ?p "FROM" }')
True
>>> declares_dataset('SELECT * WHERE { ?s <http://x.example/from> "from <x>" } # FROM <y>')
False
>>> mentions("select * where { ?s ?p 'service' }", "SERVICE")
False
"""

from __future__ import annotations

import re

# Left to right, the first alternative that matches wins: so a '#' inside an IRI or a string is not
# a comment, and a quote inside a comment opens no string.
_NOISE = re.compile(
    r"""<[^<>"{}|^`\\\s]*>"""  # IRI
    r"""|'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\""""  # long strings
    r"""|'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*\""""  # strings
    r"""|\#[^\n\r]*""",  # comment
    re.DOTALL,
)
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
