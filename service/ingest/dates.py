"""Dates as Chinese UN documents write them: 2025 年 3 月 31 日, 2025年 5月 19日至 23日, 在 2026 年底前."""

from __future__ import annotations

import re

from rdflib import XSD, URIRef

_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def chinese_date(text: str) -> str | None:
    """The first full date in `text`, as xsd:date.

    >>> chinese_date("日期：2025 年 3 月 31 日")
    '2025-03-31'
    >>> chinese_date("2024年 11 月 18日发布") is None
    False
    """
    found = _DATE.search(text)
    if found is None:
        return None
    year, month, day = (int(part) for part in found.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def date_range(text: str) -> tuple[str, str, str] | None:
    """(first day, last day, place) of '2025年 5月 19日至 23日，日内瓦' or '2007 年 7 月 2 日至 27 日'.

    >>> date_range("2025年 5月 19日至 23日，日内瓦")
    ('2025-05-19', '2025-05-23', '日内瓦')
    >>> date_range("2019 年 7 月 25 日至 2020 年 7 月 22 日")
    ('2019-07-25', '2020-07-22', '')
    """
    found = re.search(
        r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*至\s*(?:(\d{4})\s*年\s*)?(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日(?:[，,]\s*(\S+))?",
        text,
    )
    if found is None:
        return None
    year, month, day, end_year, end_month, end_day, place = found.groups()
    first = f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
    last = f"{int(end_year or year):04d}-{int(end_month or month):02d}-{int(end_day):02d}"
    return first, last, (place or "").strip()


def deadline(text: str) -> tuple[str, URIRef] | None:
    """When a recommendation is due, as precise as the text: a year-end or a month.

    >>> deadline("应在 2026 年底前签署")
    ('2026', rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYear'))
    >>> deadline("在 2024 年 6 月之前确定")
    ('2024-06', rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYearMonth'))
    >>> deadline("行政首长最迟应于 2026 年确保")
    ('2026', rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYear'))
    >>> deadline("从下一个预算周期开始") is None
    True
    >>> deadline("自 2019 年以来所有建议") is None
    True
    """
    month = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:底)?\s*(?:之前|以前|前)", text)
    if month:
        return f"{int(month.group(1)):04d}-{int(month.group(2)):02d}", XSD.gYearMonth
    year = re.search(r"(\d{4})\s*年\s*(?:年)?底", text)
    if year:
        return year.group(1), XSD.gYear
    # 'by 2026 at the latest': a year alone is a deadline only where 最迟 or 不迟于 says so.
    latest = re.search(r"(?:最迟|不迟于)\s*应?\s*[于在]?\s*(\d{4})\s*年(?!\s*\d)", text)
    if latest:
        return latest.group(1), XSD.gYear
    return None
