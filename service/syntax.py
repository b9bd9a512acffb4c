"""Check that RDF data parses, without storing it: in one pass, or split across cores.

Big N-Triples and N-Quads files (one statement per line) are checked in parallel byte ranges, one
worker process per core, so that checking before a bulk load costs a fraction of the load.
This module imports only pyoxigraph, so that worker processes start quickly.
"""

from __future__ import annotations

import collections
import json
import os
import re
import subprocess
import sys
from typing import IO

import pyoxigraph

from service.errors import RdfSyntaxError

#: Files at least this large are checked in parallel when their syntax is line-based.
PARALLEL_MIN_BYTES = 64 << 20
_LINE_BASED = ("application/n-triples", "application/n-quads")


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
        return _count(data, format, base_iri)
    except SyntaxError as exc:
        raise rdf_syntax_error(exc) from exc
    finally:
        if not isinstance(data, bytes):
            data.seek(start)


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
