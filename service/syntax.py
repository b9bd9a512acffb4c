"""Check that RDF data parses, without storing it: in one pass, or split across cores; and read a
request's RDF, refusing what would expand or overflow.

Big N-Triples and N-Quads files (one statement per line) are checked in parallel byte ranges, one
worker process per core, so that checking before a bulk load costs a fraction of the load.
This module imports only pyoxigraph and the standard library, so that worker processes start quickly.
"""

from __future__ import annotations

import collections
import itertools
import json
import operator
import os
import re
import subprocess
import sys
import xml.parsers.expat
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

import pyoxigraph

from service.errors import RdfSyntaxError, TermTooLargeError

#: Files at least this large are checked in parallel when their syntax is line-based.
PARALLEL_MIN_BYTES = 64 << 20
#: The most one term (a literal, an IRI) may hold: pyoxigraph's parsers, its SPARQL results parser
#: included, refuse a longer one ("Reached the buffer maximal size").
MAX_TERM_BYTES = 16 << 20
TERM_LIMIT = "a literal may hold at most 16 MiB (an IRI or a comment too)"
_LINE_BASED = ("application/n-triples", "application/n-quads")
# The XML and JSON checks work in pieces this big, so that other threads get Python's lock in between.
_CHUNK = 1 << 20
#: How deep a request's RDF/XML or JSON-LD may nest: plenty for data (an RDF/XML node within a
#: property within a node… 50 times), far below where pyoxigraph's parsers slow down or crash.
MAX_DEPTH = 100
_JSON_STRING = re.compile(rb'"[^"]*"')
_NOT_MARKS = bytes(byte for byte in range(256) if byte not in b'[]{}"')
_DEPTH_STEPS = bytes.maketrans(b"[]{}", b"\x02\x00\x02\x00")


def count_quads(data: bytes | IO[bytes], *, format: pyoxigraph.RdfFormat, base_iri: str | None = None) -> int:
    """Parse `data` in full and count its triples or quads; a stream is rewound afterwards.

    Raises RdfSyntaxError with the line and column of the first error.
    """
    path = _file_path(data)
    workers = os.cpu_count() or 1
    line_based = format.media_type in _LINE_BASED
    if path and line_based and workers > 1 and os.path.getsize(path) >= PARALLEL_MIN_BYTES:
        return _count_in_parallel(path, format.media_type, workers)
    start = data.tell() if not isinstance(data, bytes) else 0
    try:
        with _translated():
            return _count(data, format, base_iri)
    finally:
        if not isinstance(data, bytes):
            data.seek(start)


def term_size(text: str) -> int:
    """The bytes `text` takes written out as one term, escaped as SPARQL JSON results write it: what
    pyoxigraph's parsers hold against MAX_TERM_BYTES (9 MiB of quotes take 18).

    >>> term_size('say "hi"')
    10
    """
    return len(json.dumps(text, ensure_ascii=False).encode("utf-8", "surrogatepass")) - 2


def too_large(text: str) -> bool:
    """Whether `text`, written out as one term, is more than pyoxigraph's parsers can read back.

    >>> too_large("x" * MAX_TERM_BYTES), too_large("x" * (MAX_TERM_BYTES + 1))
    (False, True)
    >>> too_large(chr(10) * (9 << 20))  # written out, each newline takes two bytes
    True
    """
    # Written out, a character takes at most 6 bytes (\u0001): shorter text needs no measuring.
    return len(text) * 6 > MAX_TERM_BYTES and term_size(text) > MAX_TERM_BYTES


def read_request_quads(data: bytes, *, format: pyoxigraph.RdfFormat) -> list[pyoxigraph.Quad]:
    """Parse the RDF of a request body, whole; RDF/XML and JSON-LD are checked first (`check_xml`,
    `check_json_depth`).

    Raises RdfSyntaxError with the line and column of the first error (or of what was refused), and
    TermTooLargeError for a term over MAX_TERM_BYTES.
    """
    if format == pyoxigraph.RdfFormat.RDF_XML:
        check_xml(data)
    elif format == pyoxigraph.RdfFormat.JSON_LD:
        check_json_depth(data)
    with _translated():
        return list(pyoxigraph.parse(data, format=format))


def parse_quads(data: bytes | IO[bytes], *, format: pyoxigraph.RdfFormat) -> Iterator[pyoxigraph.Quad]:
    """The quads of `data`, read as they are parsed (a triple is a quad of the default graph).

    Raises RdfSyntaxError with the line and column of the first error, when it is reached.
    """
    with _translated():
        yield from pyoxigraph.parse(data, format=format)


def check_xml(data: bytes) -> None:
    """Refuse XML that declares a document type, or nests deeper than MAX_DEPTH, before any RDF/XML
    parser reads it.

    pyoxigraph's RDF/XML parser, like Python's xml.sax that rdflib uses, expands the internal
    entities a DOCTYPE declares: 1 KB of nested entities became a 2 GB literal, 28 s and 7.9 GB of
    memory. It also takes a DOCTYPE anywhere in the document, even in lower case. expat, reading
    the whole document, stops at a DOCTYPE wherever it stands (one after the root element, or in
    lower case, is not well-formed XML, and refused as such), so no declaration ever reaches the
    parser that would expand it. Without a DOCTYPE no entity can be declared: only the five that XML
    predefines and character references remain, and those cannot grow. The same parser's time grows
    with the square of the nesting (30,000 elements deep: 6.5 s; 100,000: over two minutes).

    Raises RdfSyntaxError naming the DOCTYPE or the depth and where, or where the XML stops being
    well-formed.

    >>> check_xml(b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "e">]><r>&e;</r>')
    Traceback (most recent call last):
    ...
    service.errors.RdfSyntaxError: line 1, column ...: RDF/XML with a DOCTYPE is refused: ...
    >>> check_xml(b"<a>" * 101 + b"</a>" * 101)
    Traceback (most recent call last):
    ...
    service.errors.RdfSyntaxError: line 1, column 301: RDF/XML nested deeper than 100 elements is refused
    """
    parser = xml.parsers.expat.ParserCreate()
    depth = 0

    def refuse(problem: str) -> RdfSyntaxError:
        return RdfSyntaxError(problem, line=parser.CurrentLineNumber, column=parser.CurrentColumnNumber + 1)

    def doctype(*_: object) -> None:
        raise refuse(
            "RDF/XML with a DOCTYPE is refused: the entities it declares are not expanded here; send "
            "the document without it (IRIs and text written out)"
        )

    def start(*_: object) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_DEPTH:
            raise refuse(f"RDF/XML nested deeper than {MAX_DEPTH} elements is refused")

    def end(*_: object) -> None:
        nonlocal depth
        depth -= 1

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        for offset in range(0, len(data), _CHUNK):
            parser.Parse(data[offset : offset + _CHUNK], False)
        parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError as exc:
        problem = f"not well-formed XML: {xml.parsers.expat.ErrorString(exc.code)}"
        raise RdfSyntaxError(problem, line=exc.lineno, column=exc.offset + 1) from exc


def check_json_depth(data: bytes) -> None:
    """Refuse JSON nested deeper than MAX_DEPTH arrays and objects, before pyoxigraph's JSON-LD
    parser reads it: 5,000 nested objects (135 KB) overflow its stack and the process dies; 3,000
    take 1.1 s.

    Raises RdfSyntaxError naming the depth.

    >>> check_json_depth(b'{"@id": "urn:a", "urn:p": [{"@value": "[[[[ \\\\\\" {{"}, "]]"]}')
    >>> check_json_depth(b"[" * 101 + b"]" * 101)
    Traceback (most recent call last):
    ...
    service.errors.RdfSyntaxError: JSON-LD nested deeper than 100 arrays and objects is refused
    """
    if b"\\" in data:
        # Escaped, a backslash or a quote is text in a string: without them every quote left opens
        # or closes a string.
        data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    # Brackets and quotes alone; two quotes in a row end one string and start the next (or make an
    # empty one): dropped, the strings left are those holding brackets, and then those go too.
    marks = data.translate(None, _NOT_MARKS).replace(b'""', b"")
    steps = _JSON_STRING.sub(b"", marks).translate(_DEPTH_STEPS)
    depth = 0
    # In pieces, so that other threads get Python's lock in between. A step is 2 for an opening
    # bracket and 0 for a closing one: their running sum less their count is the depth after each.
    for offset in range(0, len(steps), _CHUNK):
        piece = steps[offset : offset + _CHUNK]
        deepest = max(map(operator.sub, itertools.accumulate(piece), itertools.count(1)))
        if depth + deepest > MAX_DEPTH:
            raise RdfSyntaxError(f"JSON-LD nested deeper than {MAX_DEPTH} arrays and objects is refused")
        depth += sum(piece) - len(piece)


@contextmanager
def _translated() -> Iterator[None]:
    """Turn pyoxigraph's parser errors into ours."""
    try:
        yield
    except SyntaxError as exc:
        raise rdf_syntax_error(exc) from exc
    except MemoryError as exc:
        # pyoxigraph says so when one term outgrows its buffer; any other MemoryError is the machine's.
        if "buffer maximal size" not in str(exc):
            raise
        raise TermTooLargeError(TERM_LIMIT) from exc


def _count(data: bytes | IO[bytes], format: pyoxigraph.RdfFormat, base_iri: str | None) -> int:
    # enumerate() into a one-item deque counts in C, without a bytecode step per quad.
    quads = pyoxigraph.parse(data, format=format, base_iri=base_iri)
    last = collections.deque(enumerate(quads, 1), maxlen=1)
    return last[0][0] if last else 0


def _file_path(data: bytes | IO[bytes]) -> str | None:
    """The path of a regular file read from its start, else None."""
    if isinstance(data, bytes):
        return None
    name = getattr(data, "name", None)
    if isinstance(name, str) and os.path.isfile(name) and data.tell() == 0:
        return name
    return None


def _ranges(path: str, parts: int) -> list[tuple[int, int]]:
    """Split a file into `parts` byte ranges that each start at the beginning of a line."""
    size = os.path.getsize(path)
    starts = [0]
    with open(path, "rb") as file:
        for index in range(1, parts):
            file.seek(size * index // parts)
            file.readline()
            if file.tell() > starts[-1] and file.tell() < size:
                starts.append(file.tell())
    ends = starts[1:] + [size]
    return list(zip(starts, ends, strict=True))


def check_range(path: str, start: int, end: int, media_type: str) -> tuple[int, int, list[object] | None]:
    """Check one byte range: (quads, lines, first error as [message, line, column] in the range)."""
    with open(path, "rb") as file:
        file.seek(start)
        chunk = file.read(end - start)
    lines = chunk.count(b"\n")
    fmt = pyoxigraph.RdfFormat.from_media_type(media_type)
    assert fmt is not None
    try:
        return _count(chunk, fmt, None), lines, None
    except SyntaxError as exc:
        error = rdf_syntax_error(exc)
        return 0, lines, [error.message, error.line or 1, error.column or 1]


def _count_in_parallel(path: str, media_type: str, workers: int) -> int:
    # Worker processes run `python -m service.syntax`: plain subprocesses, so that no caller needs
    # the `if __name__ == "__main__"` guard that multiprocessing's spawn would ask of it.
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "service.syntax", path, str(start), str(end), media_type],
            stdout=subprocess.PIPE,
        )
        for start, end in _ranges(path, workers)
    ]
    results = []
    for process in processes:
        output, _ = process.communicate()
        if process.returncode != 0:
            raise OSError(f"the syntax check of {path} failed (exit {process.returncode})")
        results.append(json.loads(output))
    total, lines_before = 0, 0
    for count, lines, error in results:
        if error is not None:
            message, line, column = error
            raise RdfSyntaxError(message, line=lines_before + line, column=column)
        total += count
        lines_before += lines
    return total


def rdf_syntax_error(exc: SyntaxError) -> RdfSyntaxError:
    """Translate a pyoxigraph parser error, keeping where it happened."""
    message = str(exc.msg) if exc.msg else str(exc)
    # pyoxigraph says "Parser error at line 3 column 7: …", "… at line 1 between columns 1 and 4: …"
    # or "… between line 3 column 7 and line 4 column 1: …"; the first line and column are where it starts.
    location = re.match(r"Parser error [^:]*?line (\d+)\D+?(\d+)[^:]*: (.*)", message, re.DOTALL)
    if location:
        return RdfSyntaxError(location[3], line=int(location[1]), column=int(location[2]))
    return RdfSyntaxError(message, line=exc.lineno, column=exc.offset)


if __name__ == "__main__":
    path, start, end, media_type = sys.argv[1:]
    json.dump(check_range(path, int(start), int(end), media_type), sys.stdout)


_UPDATE_KEYWORDS = re.compile(
    r"^\s*(?:(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)
_POSITION = re.compile(r"error at (\d+):(\d+)")


def query_syntax_message(query: str, message: str) -> str:
    """The engine's parse error of `query` said in the user's terms: an undeclared prefix by name, an
    update sent as a query as such, and no wall of Unicode ranges the parser would have accepted."""
    update = _UPDATE_KEYWORDS.match(query)
    if update:
        return (
            f"this is a SPARQL update ({update.group(1).upper()}), not a query: a query only reads. Send "
            "updates to /sparql by POST as application/sparql-update with a curator's token, or load "
            "files with `unkg load`"
        )
    where = _POSITION.search(message)
    position = f"{where.group(1)}:{where.group(2)}" if where else ""
    if "Prefix not found" in message and where:
        lines = query.splitlines() or [""]
        before = lines[min(int(where.group(1)), len(lines)) - 1][: int(where.group(2))]
        before = re.sub(r"<[^>]*>|\"[^\"]*\"|'[^']*'", lambda found: " " * len(found.group()), before)
        names = re.findall(r"(?<![\w?$])([A-Za-z][\w.-]*)?:", before)
        name = names[-1] if names else ""
        return (
            f"error at {position}: the prefix '{name}:' is not declared; add PREFIX {name}: <…> "
            "before the query"
        )
    if "expected one of" in message:
        # What a person can act on: the position and the keywords that could come, not character ranges.
        keywords = list(
            dict.fromkeys(re.findall(r"\b[A-Z][A-Z_]{2,}\b", message.split("expected one of", 1)[1]))
        )
        hint = f" (expected e.g. {', '.join(keywords[:6])})" if keywords else ""
        return f"error at {position}: the query does not parse here{hint}"
    return message
