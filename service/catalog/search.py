"""SearchIndex: one box across documents, recommendations and bodies, in Chinese and English.

Matching is by substring on case-folded text, so Chinese needs no word segmentation: 相互承认 finds
every text containing it. A query of several words also matches a text that holds all of them apart.
Ranking prefers the whole field, then its start, then a word's start, then anywhere; names (symbols,
labels, acronyms) weigh more than titles, and titles more than recommendation texts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

from service.catalog.records import Catalog

#: How much a match in each field counts.
FIELD_WEIGHTS = {"symbol": 3.0, "label": 3.0, "acronym": 3.0, "title": 2.0, "text": 1.0, "quotedText": 1.0}
KINDS = ("document", "recommendation", "body")
_KIND_ORDER = {kind: index for index, kind in enumerate(KINDS)}
_SNIPPET_CONTEXT = 40


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: str
    iri: str
    id: str
    field: str
    language: str
    text: str
    folded: str


@dataclass(slots=True)
class Hit:
    kind: str
    iri: str
    id: str
    field: str
    language: str
    text: str
    start: int
    end: int
    score: float

    def snippet(self) -> tuple[str, tuple[int, int]]:
        """The match with some context around it, and where the match is in that snippet."""
        return _snippet(self.text, self.start, self.end)


def _quality(folded: str, query: str, position: int) -> float:
    if folded == query:
        return 100.0
    if position == 0:
        return 50.0
    if not folded[position - 1].isalnum():
        return 30.0
    return 20.0


def _snippet(text: str, start: int, end: int) -> tuple[str, tuple[int, int]]:
    left = max(0, start - _SNIPPET_CONTEXT)
    right = min(len(text), end + _SNIPPET_CONTEXT)
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(text) else ""
    offset = len(prefix) + start - left
    return prefix + text[left:right] + suffix, (offset, offset + end - start)


class SearchIndex:
    """The texts of a catalog, folded once, scanned per query (a few thousand strings at 1M triples)."""

    def __init__(self, catalog: Catalog) -> None:
        self._entries: dict[str, list[_Entry]] = {kind: [] for kind in KINDS}

        def add(kind: str, iri: str, id: str, field: str, texts: dict[str, str]) -> None:
            for language, text in texts.items():
                if text:
                    folded = text.casefold()
                    # Snippets cut the text where the folded one matched: keep them aligned (ß folds to ss).
                    shown = text if len(folded) == len(text) else folded
                    self._entries[kind].append(_Entry(kind, iri, id, field, language, shown, folded))

        for document in catalog.documents.values():
            if document.symbol:
                add("document", document.iri, document.id, "symbol", {"": document.symbol})
            add("document", document.iri, document.id, "title", document.title)
        for recommendation in catalog.recommendations.values():
            add("recommendation", recommendation.iri, recommendation.id, "text", recommendation.text)
            add(
                "recommendation",
                recommendation.iri,
                recommendation.id,
                "quotedText",
                recommendation.quoted_text,
            )
        for body in catalog.bodies.values():
            add("body", body.iri, body.id, "label", body.label)
            add("body", body.iri, body.id, "acronym", body.acronym)

    def search(self, query: str, *, kinds: frozenset[str] = frozenset(KINDS)) -> Hits:
        """Every resource matching `query`, best first (ties in kind order, then by id)."""
        folded_query = " ".join(query.casefold().split())
        if not folded_query:
            return Hits([])
        words = folded_query.split(" ")
        # The best match of each resource, as a tuple that sorts in the answer's order.
        best: dict[str, _Match] = {}
        for entry in (entry for kind in KINDS if kind in kinds for entry in self._entries[kind]):
            position = entry.folded.find(folded_query)
            if position >= 0:
                quality = _quality(entry.folded, folded_query, position)
                start, end = position, position + len(folded_query)
            elif len(words) > 1 and all(word in entry.folded for word in words):
                quality = 10.0
                start = entry.folded.find(words[0])
                end = start + len(words[0])
            else:
                continue
            # A match covering more of a short text ranks above the same match in a long one.
            score = FIELD_WEIGHTS[entry.field] * quality + 10.0 * len(folded_query) / len(entry.folded)
            previous = best.get(entry.iri)
            if previous is None or -score < previous[0]:
                best[entry.iri] = (-score, _KIND_ORDER[entry.kind], entry.id, entry, start, end)
        return Hits(sorted(best.values()))


#: (-score, kind order, id, entry, start, end): kind and id are unique together, so entries never compare.
_Match = tuple[float, int, str, _Entry, int, int]


class Hits(Sequence[Hit]):
    """The hits of a search, in order; a Hit is made only for what is read (a common word such as
    建议 matches thousands of texts, and a page shows twenty)."""

    def __init__(self, matches: list[_Match]) -> None:
        self._matches = matches

    def __len__(self) -> int:
        return len(self._matches)

    @overload
    def __getitem__(self, index: int) -> Hit: ...
    @overload
    def __getitem__(self, index: slice) -> list[Hit]: ...
    def __getitem__(self, index: int | slice) -> Hit | list[Hit]:
        if isinstance(index, slice):
            return [_hit(match) for match in self._matches[index]]
        return _hit(self._matches[index])

    def iris(self) -> set[str]:
        return {match[3].iri for match in self._matches}


def _hit(match: _Match) -> Hit:
    negative_score, _, _, entry, start, end = match
    return Hit(
        entry.kind,
        entry.iri,
        entry.id,
        entry.field,
        entry.language,
        entry.text,
        start,
        end,
        round(-negative_score, 3),
    )
