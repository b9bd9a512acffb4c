"""Content negotiation: pick the media type to answer with from an HTTP Accept header."""

from __future__ import annotations

from collections.abc import Sequence

from service.errors import NotAcceptable


def choose_media_type(accept: str | None, offered: Sequence[str]) -> str:
    """Return the offered media type the client prefers, honouring q-values and wildcards.

    Among types of equal preference the order of `offered` decides; an empty Accept takes the first.
    Raises NotAcceptable, listing `offered`, when the client accepts none of them.

    >>> choose_media_type("text/turtle;q=0.5, application/ld+json", ["text/turtle", "application/ld+json"])
    'application/ld+json'
    >>> choose_media_type("text/*", ["application/ld+json", "text/turtle"])
    'text/turtle'
    >>> choose_media_type("", ["text/turtle", "application/ld+json"])
    'text/turtle'
    >>> choose_media_type("*/*;q=0.1, text/html;q=0", ["text/html", "text/turtle"])
    'text/turtle'
    >>> choose_media_type("image/png", ["text/turtle"])
    Traceback (most recent call last):
    ...
    service.errors.NotAcceptable: acceptable media types are: text/turtle
    """
    ranges = _parse_accept(accept)
    if not ranges:
        return offered[0]
    best: tuple[float, int, int] | None = None
    chosen: str | None = None
    for position, media_type in enumerate(offered):
        quality = _quality(media_type, ranges)
        if quality <= 0:
            continue
        rank = (quality, _specificity(media_type, ranges), -position)
        if best is None or rank > best:
            best, chosen = rank, media_type
    if chosen is None:
        raise NotAcceptable(list(offered))
    return chosen


def choose_languages(accept_language: str | None) -> list[str] | None:
    """The primary language tags of an Accept-Language header (or a `lang=` list), best first.

    None when it names no language, which the API reads as "every language".

    >>> choose_languages("zh-CN,zh;q=0.9,en;q=0.8")
    ['zh', 'en']
    >>> choose_languages("en;q=0.5, fr")
    ['fr', 'en']
    >>> choose_languages("*, de;q=0")
    """
    ranked = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, parameters = part.partition(";")
        quality = 1.0
        name, _, value = parameters.partition("=")
        if name.strip().lower() == "q":
            try:
                quality = float(value)
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary and primary != "*" and quality > 0:
            ranked.append((-quality, position, primary))
    return list(dict.fromkeys(primary for _, _, primary in sorted(ranked))) or None


def _parse_accept(accept: str | None) -> list[tuple[str, str, float]]:
    """Split an Accept header into (type, subtype, q) triples, skipping malformed parts."""
    ranges = []
    for part in (accept or "").split(","):
        fields = [field.strip() for field in part.split(";")]
        media_range = fields[0].lower()
        if "/" not in media_range:
            continue
        kind, _, subtype = media_range.partition("/")
        quality = 1.0
        for parameter in fields[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        ranges.append((kind, subtype, quality))
    return ranges


def _matches(media_type: str, kind: str, subtype: str) -> int:
    """How specifically a range matches: 3 exact, 2 type/*, 1 */*, 0 not at all."""
    offered_kind, _, offered_subtype = media_type.lower().partition("/")
    if kind == offered_kind and subtype == offered_subtype:
        return 3
    if kind == offered_kind and subtype == "*":
        return 2
    if kind == "*" and subtype == "*":
        return 1
    return 0


def _quality(media_type: str, ranges: list[tuple[str, str, float]]) -> float:
    """The q-value of the most specific range that matches `media_type` (RFC 9110, 12.5.1)."""
    best_match, quality = 0, 0.0
    for kind, subtype, q in ranges:
        match = _matches(media_type, kind, subtype)
        if match > best_match:
            best_match, quality = match, q
    return quality


def _specificity(media_type: str, ranges: list[tuple[str, str, float]]) -> int:
    return max(_matches(media_type, kind, subtype) for kind, subtype, _ in ranges)
