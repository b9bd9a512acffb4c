"""Syntax checks before a load: the same answers whether a file is checked in one pass or in parallel."""

from __future__ import annotations

from pathlib import Path

import pytest

from service import syntax
from service.errors import RdfSyntaxError
from service.rdf import count_quads


def ntriples(path: Path, count: int, *, broken_line: int | None = None) -> Path:
    lines = [f'<urn:unkg:s{i}> <urn:unkg:p> "value {i}"@en .' for i in range(count)]
    if broken_line is not None:
        lines[broken_line - 1] = '<urn:unkg:s> <urn:unkg:p> "unterminated .'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(params=["one pass", "parallel"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "parallel":
        monkeypatch.setattr(syntax, "PARALLEL_MIN_BYTES", 1)
    return str(request.param)


def test_a_file_is_counted_in_full(mode: str, tmp_path: Path) -> None:
    path = ntriples(tmp_path / "data.nt", 20_000)
    with path.open("rb") as data:
        assert count_quads(data, media_type="application/n-triples") == 20_000
        assert data.tell() == 0


@pytest.mark.parametrize("broken_line", [1, 7_777, 19_999])
def test_an_error_anywhere_is_reported_at_its_line_in_the_whole_file(
    mode: str, tmp_path: Path, broken_line: int
) -> None:
    path = ntriples(tmp_path / "data.nt", 20_000, broken_line=broken_line)
    with path.open("rb") as data, pytest.raises(RdfSyntaxError) as raised:
        count_quads(data, media_type="application/n-triples")
    assert (raised.value.line, raised.value.column) == (broken_line, 42)
