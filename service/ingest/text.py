"""A source document as numbered, cleaned lines, and spans of them to cite."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from service.errors import ServiceError

QUOTE_LENGTH = 200
_FOOTNOTE = re.compile(r"<sup>.*?</sup>")
_MARKUP = re.compile(r"\*\*|</?b>|\[(.*?)\]\(#\)")
# Justified PDF text spreads CJK characters apart ("建 议"); a space between two CJK characters is noise.
_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}]) +(?=[{_CJK}])")


# A colon introduces what follows in the same paragraph, so it ends none.
_PARAGRAPH_END = ("。", "；", "！", "？", ".", ";")
_PARAGRAPH_START = re.compile(
    r"^(\d+\.\s|[一二三四五六七八九十]+\s*[.．、]|[A-H]\s*[.．]\s|\*|[¹²³⁴⁵⁶⁷⁸⁹⁰]|https?://)"
)


class ExtractionError(ServiceError):
    """A source that does not have the structure of its kind: names the line where it went wrong."""

    code = "extraction_error"

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "两": 2}


def chinese_number(text: str) -> int:
    """The value of a Chinese numeral up to 99, or of Arabic digits.

    >>> [chinese_number(t) for t in ("五", "十九", "二十", "三十八", "19")]
    [5, 19, 20, 38, 19]
    """
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_NUMERALS[tens] if tens else 1) * 10 + (_NUMERALS[units] if units else 0)
    return _NUMERALS[text]


@dataclass(frozen=True)
class Span:
    """Lines `start` to `end` (1-based, inclusive) of a source, with a short quote."""

    start: int
    end: int
    quote: str


def clean(line: str) -> str:
    """The text of a line without footnote markers, markup, heading marks or justification gaps.

    >>> clean("## 建 议 2：<sup>12</sup> **采购**")
    '建议 2：采购'
    >>> clean("大会第 71/243 号决议")
    '大会第 71/243 号决议'
    """
    text = _FOOTNOTE.sub("", line)
    text = _MARKUP.sub(lambda match: match.group(1) or "", text)
    text = text.strip().lstrip("#").strip()
    return _CJK_GAP.sub("", text)


@dataclass(frozen=True)
class Paragraph:
    """Lines `start` to `end` joined into one text."""

    start: int
    end: int
    text: str


class SourceText:
    """The lines of one source document, numbered from 1 as an editor shows them."""

    def __init__(self, content: bytes, *, name: str) -> None:
        try:
            decoded = content.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = content[: exc.start].count(b"\n") + 1
            raise ExtractionError(f"{name} is not UTF-8 text", line=line) from exc
        if "\x00" in decoded:
            raise ExtractionError(
                f"{name} is binary, not text", line=decoded[: decoded.index("\x00")].count("\n") + 1
            )
        self.name = name
        self.raw = decoded.splitlines()
        self.lines = [clean(line) for line in self.raw]

    def __len__(self) -> int:
        return len(self.lines)

    def line(self, number: int) -> str:
        return self.lines[number - 1]

    def numbered(self, start: int = 1, end: int | None = None) -> Iterator[tuple[int, str]]:
        """(number, cleaned text) of lines `start`..`end`, inclusive."""
        last = len(self.lines) if end is None else min(end, len(self.lines))
        for number in range(start, last + 1):
            yield number, self.lines[number - 1]

    def paragraphs(self) -> Iterator[Paragraph]:
        """Paragraphs as the PDF had them: lines joined until one ends a sentence or a new one starts.

        Blank lines say nothing here: some conversions double-space every line, breaking sentences
        and names across them, while others put a whole paragraph on one line.
        """
        lines = [(number, line) for number, line in self.numbered() if line]
        start, parts = 0, list[str]()
        for index, (number, line) in enumerate(lines):
            if not parts:
                start = number
            joiner = " " if parts and parts[-1][-1:].isascii() and line[:1].isascii() else ""
            parts.append(joiner + line)
            following = lines[index + 1][1] if index + 1 < len(lines) else ""
            if line.endswith(_PARAGRAPH_END) or len(line) < 16 or _PARAGRAPH_START.match(following):
                yield Paragraph(start, number, "".join(parts))
                parts = []
        if parts:
            yield Paragraph(start, lines[-1][0], "".join(parts))

    def line_at(self, paragraph: Paragraph, offset: int) -> int:
        """The line of `paragraph` that holds its character at `offset`."""
        consumed, previous = 0, ""
        for number, line in self.numbered(paragraph.start, paragraph.end):
            if not line:
                continue
            # The same joiner as paragraphs(): a space only between two ASCII ends.
            consumed += len(line) + (1 if previous[-1:].isascii() and previous and line[:1].isascii() else 0)
            previous = line
            if offset < consumed:
                return number
        return paragraph.end

    def span(self, start: int, end: int | None = None) -> Span:
        end = start if end is None else end
        text = " ".join(line for _, line in self.numbered(start, end) if line)
        quote = text if len(text) <= QUOTE_LENGTH else text[: QUOTE_LENGTH - 1] + "…"
        return Span(start=start, end=end, quote=quote or self.line(start))

    def find(self, pattern: str | re.Pattern[str], *, start: int = 1, end: int | None = None) -> int | None:
        """The number of the first line from `start` that matches `pattern` (re.search), or None."""
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        for number, line in self.numbered(start, end):
            if regex.search(line):
                return number
        return None

    def require(self, pattern: str, *, start: int = 1, end: int | None = None, what: str) -> int:
        """Like find(), but a missing line is an ExtractionError naming what was looked for."""
        found = self.find(pattern, start=start, end=end)
        if found is None:
            raise ExtractionError(f"{self.name}: no {what} found", line=start if start > 1 else None)
        return found
