"""UN document symbols and resolution numbers as they appear in Chinese text, normalised."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A/75/201, A/RES/71/243, A/72/684, E/2019/10, E/RES/2008/29, JIU/REP/2024/4, JIU/NOTE/2022/1 Rev.1,
# CEB/2019/1/Add.2, CEB/2024/HLCM/9, CEB/2012/HLCM_PN/12, WO/PBC/38/2, WO/PBC/37/6 Rev., CWS/12/27 (a
# WIPO committee's), S/RES/1325 (2000), A/75/5 (Vol.I), ST/SGB/2019/2, ST/SGB/2013/4/Amend.1, ST/AI/2017/1,
# UNICEF/2024/EB/6, UNHCR/HCP/2021/01, drafts (A/75/L.1) and committee documents (A/C.5/72/18, E/CN.6/2020/3),
# A/DEC/72/555, and a document issued under two symbols, A/72/684-E/2018/7 (one
# document, one symbol). A series is read only where its pattern is known: a misprinted prefix
# ("UHCR/…") names no series, so it is left out rather than guessed.
_PARTS = r"(?:/(?:Add|Rev|Corr|Amend)\.\d+)*"
_UN = rf"(?:A|E|S)/(?:(?:AC|C|CN)\.\d+/)?\d+/(?:L\.)?\d+{_PARTS}(?:\s?\(Vol\.\s?[IVX]+\))?"
SYMBOL = re.compile(
    r"(?<![A-Za-z0-9/])("
    r"(?:A|E|S)/RES/\d+/\d+(?:\s?\([A-Z]+\))?"
    r"|S/RES/\d+\s?\(\d{4}\)"
    r"|(?:A|E)/DEC/\d+/\d+"
    r"|JIU/(?:REP|NOTE|ML)/\d{4}/\d+(?: Rev\.\d+)?"
    rf"|ST/(?:SGB|AI|IC)/\d{{4}}/\d+{_PARTS}"
    rf"|{_UN}(?:\s?[-–—]\s?{_UN})?"
    r"|CEB/\d{4}/(?:[A-Z]+(?:\\?_[A-Z]+)?/)?\d+(?:/(?:Add|Rev|Corr)\.\d+|/[A-Z])*"
    r"|WO/[A-Z]+/\d+/\d+(?: Rev\.\d*)?"
    r"|CWS/\d+/\d+"
    r"|UNICEF/\d{4}/EB/\d+"
    r"|UNHCR/(?:HCP|AI|IOM/FOM)/\d{4}/\d+(?:/Rev\.\d+)?"
    r")"
)
# 第 71/243 号决议; 第 71/243 号和第 75/233 号决议; 第 54/64、69/250 和 70/1 号决议; 第 72/266 A 和 B 号决议;
# 第 2008(LX)号决议 (ECOSOC).
# 第 1325 (2000) 号决议 (Security Council: number and year).
RESOLUTIONS = re.compile(
    r"第\s*((?:\d{1,4}/\d+|\d{4}\s?\([A-Z]+\)|\d{1,4}\s?\(\d{4}\))[^决议。；;]{0,80}?)号\s*决议"
)
_NUMBER = re.compile(
    r"(\d{1,4})/(\d+)(?:\s*([A-Z])(?:\s*和\s*([A-Z]))?)?|(\d{4})\s?\(([A-Z]+)\)|(\d{1,4})\s?\((\d{4})\)"
)


@dataclass(frozen=True)
class Cited:
    """A document a text cites: its symbol, and where in the line the citation stands."""

    symbol: str
    start: int
    end: int = -1


def find_symbols(line: str) -> list[Cited]:
    r"""Document symbols written out in `line`.

    >>> [c.symbol for c in find_symbols("见 JIU/REP/2018/5、JIU/REP/2019/8 和 A/72/684–E/2018/7。")]
    ['JIU/REP/2018/5', 'JIU/REP/2019/8', 'A/72/684-E/2018/7']
    >>> [c.symbol for c in find_symbols("审计(A/75/5 (Vol.I)，第 12 段)和 A/75/5")]
    ['A/75/5(Vol.I)', 'A/75/5']
    >>> [c.symbol for c in find_symbols("安理会 S/RES/1325 (2000)、A/74/16 和 E/2019/10")]
    ['S/RES/1325(2000)', 'A/74/16', 'E/2019/10']
    >>> [c.symbol for c in find_symbols("(ST/SGB/2013/4/Amend.1)；(CEB/2012/HLCM\\_PN/12)；文件 CWS/12/27")]
    ['ST/SGB/2013/4/Amend.1', 'CEB/2012/HLCM_PN/12', 'CWS/12/27']
    >>> [c.symbol for c in find_symbols("(UNHCR/HCP/2021/01)、(UHCR/AI/2021/05)、(UNICEF/2024/EB/6)")]
    ['UNHCR/HCP/2021/01', 'UNICEF/2024/EB/6']
    >>> [c.symbol for c in find_symbols("草案 A/75/L.1、A/C.5/72/18、E/CN.6/2020/3 和 ST/AI/2017/1/Rev.1")]
    ['A/75/L.1', 'A/C.5/72/18', 'E/CN.6/2020/3', 'ST/AI/2017/1/Rev.1']
    """
    return [Cited(normalise(match.group(1)), match.start(1), match.end(1)) for match in SYMBOL.finditer(line)]


def normalise(symbol: str) -> str:
    """A symbol as undocs.org writes it: no space before a parenthesis, one hyphen joining two symbols.

    >>> normalise("A/72/684 – E/2018/7"), normalise("A/75/5 (Vol. I)"), normalise("S/RES/1325 (2000)")
    ('A/72/684-E/2018/7', 'A/75/5(Vol.I)', 'S/RES/1325(2000)')
    """
    text = re.sub(r"\s*[-–—]\s*(?=[AES]/)", "-", symbol.strip())
    # A converter's Markdown escape (HLCM\\_PN) is no part of the symbol.
    return re.sub(r"\s+(?=\()|(?<=Vol\.)\s+|\\(?=_)", "", text)


def find_resolutions(line: str) -> list[Cited]:
    """Resolutions cited by number, as symbols: GA sessions give A/RES/…, ECOSOC years E/RES/….

    >>> [c.symbol for c in find_resolutions("大会第 71/243 号和第 75/233 号决议强调")]
    ['A/RES/71/243', 'A/RES/75/233']
    >>> [c.symbol for c in find_resolutions("第 54/64、69/250 和 70/1 号决议")]
    ['A/RES/54/64', 'A/RES/69/250', 'A/RES/70/1']
    >>> [c.symbol for c in find_resolutions("应大会第 72/266 A 和 B 号决议要求")]
    ['A/RES/72/266 A', 'A/RES/72/266 B']
    >>> [c.symbol for c in find_resolutions("本报告应大会第 72/266 B 号决议要求提交")]
    ['A/RES/72/266 B']
    >>> [c.symbol for c in find_resolutions("经济及社会理事会第 2008(LX)号决议")]
    ['E/RES/2008(LX)']
    >>> [c.symbol for c in find_resolutions("安全理事会第 1325 (2000) 号决议")]
    ['S/RES/1325(2000)']
    """
    found = []
    for match in RESOLUTIONS.finditer(line):
        for number in _NUMBER.finditer(match.group(1)):
            start = match.start(1) + number.start()
            if number.group(5):
                found.append(Cited(f"E/RES/{number.group(5)}({number.group(6)})", start))
                continue
            if number.group(7):
                found.append(Cited(f"S/RES/{number.group(7)}({number.group(8)})", start))
                continue
            session, serial = number.group(1), number.group(2)
            prefix = "E/RES" if len(session) == 4 else "A/RES"
            parts = [part for part in (number.group(3), number.group(4)) if part]
            if not parts:
                found.append(Cited(f"{prefix}/{session}/{serial}", start))
            for part in parts:
                found.append(Cited(f"{prefix}/{session}/{serial} {part}", start))
    return found


# 第 72/555 号决定 (General Assembly), 第 2019/201 号决定 (ECOSOC: a year for a session).
DECISIONS = re.compile(r"第\s*(\d{1,4})/(\d+)\s*号\s*决定")


def find_decisions(line: str) -> list[Cited]:
    """Decisions cited by number, as symbols: GA sessions give A/DEC/…, ECOSOC years E/DEC/….

    >>> [c.symbol for c in find_decisions("大会第 72/555 号决定和经社理事会第 2019/201 号决定")]
    ['A/DEC/72/555', 'E/DEC/2019/201']
    >>> find_decisions("第 72/266 B 号决议；大会决定")
    []
    """
    return [
        Cited(f"{'E' if len(m.group(1)) == 4 else 'A'}/DEC/{m.group(1)}/{m.group(2)}", m.start(1))
        for m in DECISIONS.finditer(line)
    ]


# The last part of a symbol that makes the document an addendum, revision, corrigendum or amendment of
# the document the rest of the symbol names (A/72/492/Add.2, JIU/NOTE/2022/1 Rev.1, WO/PBC/37/6 Rev.).
_LAST_PART = re.compile(r"^(.+?)(?:/|\s)(Add|Rev|Corr|Amend)\.(\d*)$")
_RELATIONS = {"Add": "addendum", "Rev": "revision", "Corr": "corrigendum", "Amend": "amendment"}


def part_of(symbol: str) -> tuple[str, str] | None:
    """What the last part of `symbol` makes the document of another, and that other's symbol.

    >>> part_of("A/72/801/Add.1/Rev.1"), part_of("JIU/NOTE/2022/1 Rev.1"), part_of("WO/PBC/37/6 Rev.")
    (('revision', 'A/72/801/Add.1'), ('revision', 'JIU/NOTE/2022/1'), ('revision', 'WO/PBC/37/6'))
    >>> part_of("ST/SGB/2013/4/Amend.1"), part_of("CEB/2019/1/Add.2")
    (('amendment', 'ST/SGB/2013/4'), ('addendum', 'CEB/2019/1'))
    >>> part_of("A/72/684-E/2018/7"), part_of("A/75/5(Vol.I)"), part_of("A/RES/72/266 B")
    (None, None, None)
    """
    found = _LAST_PART.match(symbol)
    if found is None:
        return None
    return _RELATIONS[found.group(2)], found.group(1)


def slug(symbol: str) -> str:
    """The identifier of a document in IRIs.

    >>> slug("JIU/NOTE/2022/1 Rev.1")
    'jiu-note-2022-1-rev1'
    >>> slug("E/RES/2008(LX)")
    'e-res-2008-lx'
    """
    text = symbol.lower().replace(".", "").replace("(", "-").replace(")", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def document_type(symbol: str) -> str | None:
    """The document-type notation a symbol alone makes certain, else None.

    >>> document_type("ST/SGB/2019/2"), document_type("A/DEC/72/555"), document_type("A/75/201")
    ('sg-bulletin', 'decision', None)
    """
    prefixes = {
        "A/RES/": "ga-resolution",
        "E/RES/": "ecosoc-resolution",
        "S/RES/": "resolution",
        "A/DEC/": "decision",
        "E/DEC/": "decision",
        "JIU/REP/": "jiu-report",
        "JIU/NOTE/": "jiu-note",
        "ST/SGB/": "sg-bulletin",
        "ST/AI/": "administrative-instruction",
    }
    for prefix, notation in prefixes.items():
        if symbol.startswith(prefix):
            return notation
    return None
