"""Find the bodies of the reference data by the names the sources give them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import RDF, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG

from service.rdf import UNKG

# Names too generic to read as a mention in running text ("联合国系统" is not the United Nations, and
# "秘书处" is any organization's secretariat); they still name a body in a table header.
AMBIGUOUS = frozenset({"联合国", "UN", "秘书处"})
# Between the items of a list of bodies: 、, a comma, 和, 及, 以及, 与.
_SEPARATOR = re.compile(r"[、，,\s]*(?:以及|和|及|与)?[、，,\s]*")
_OPEN, _CLOSE = "(（", ")）"


@dataclass(frozen=True)
class Mention:
    body: URIRef
    name: str
    start: int


class BodyIndex:
    """Every name, short name and acronym of every body, longest first."""

    def __init__(self, reference: Graph) -> None:
        self._kind = {
            body: str(kind).rsplit("/", 1)[-1] for body, kind in reference.subject_objects(UNKG.bodyKind)
        }
        self._parents: dict[URIRef, list[tuple[URIRef, URIRef]]] = {}
        for predicate in (ORG.subOrganizationOf, ORG.unitOf):
            for child, parent in reference.subject_objects(predicate):
                if isinstance(child, URIRef) and isinstance(parent, URIRef):
                    self._parents.setdefault(child, []).append((predicate, parent))
        self._names: dict[URIRef, list[str]] = {}
        self._by_name: dict[str, URIRef] = {}
        for predicate in (SKOS.prefLabel, SKOS.altLabel, UNKG.acronym):
            for body, name in reference.subject_objects(predicate):
                if isinstance(body, URIRef) and isinstance(name, Literal):
                    self._by_name.setdefault(str(name), body)
                    self._names.setdefault(body, []).append(str(name))
        names = sorted((name for name in self._by_name if name not in AMBIGUOUS), key=len, reverse=True)
        pattern = "|".join(_name_pattern(n) for n in names)
        # A lookahead finds the longest name starting at every position, overlapping ones included.
        self._pattern = re.compile(f"(?=({pattern}))") if names else re.compile(r"(?!)")
        # Documents the reference data names by title alone (a statement with no symbol), longest first.
        self._documents = sorted(
            (
                (str(title), document)
                for document in reference.subjects(RDF.type, UNKG.Document)
                for title in reference.objects(document, DCTERMS.title)
                if isinstance(document, URIRef) and isinstance(title, Literal) and title.language == "zh"
            ),
            key=lambda pair: -len(pair[0]),
        )

    def lookup(self, name: str) -> URIRef | None:
        """The body called exactly `name` (a footnote asterisk ignored), or None."""
        return self._by_name.get(name.strip().rstrip("*").strip())

    def find(self, text: str) -> list[Mention]:
        """The bodies named in `text`, in order: of names that overlap, the longest is taken, so a short
        name inside a longer one (大会 in 联合国大会和会议管理部) is no mention of its own."""
        candidates = sorted(
            ((m.start(), m.group(1)) for m in self._pattern.finditer(text)), key=lambda c: (-len(c[1]), c[0])
        )
        taken: list[tuple[int, str]] = []
        covered: set[int] = set()
        for start, name in candidates:
            span = range(start, start + len(name))
            if not covered.intersection(span):
                covered.update(span)
                taken.append((start, name))
        return [Mention(self._by_name[name], name, start) for start, name in sorted(taken)]

    def document_titled(self, title: str) -> URIRef | None:
        """The document of the reference data whose Chinese title is `title`, or None."""
        return next((document for name, document in self._documents if name == title.strip()), None)

    def document_titles(self) -> list[tuple[str, URIRef]]:
        """(Chinese title, document) of the documents the reference data names, longest title first."""
        return list(self._documents)

    def listed(self, text: str) -> tuple[URIRef, ...]:
        """The bodies a list names ('A、B 和 C'), each once, or () if any item is not a known body: a
        list read in part could be cut in the wrong place. Brackets after a name (its acronym, or what
        it includes) are skipped; a unit named with its department (管理战略、政策和合规部…司) is the
        unit; a name the index leaves out as generic (秘书处, 联合国) counts where it is a whole item."""
        text = text.strip().rstrip("。；;.")
        mentions = {m.start: m for m in self.find(text)}
        listed: list[URIRef] = []
        position, item_start = 0, -1
        while position < len(text):
            separator = _SEPARATOR.match(text, position)
            if separator is not None and separator.end() > position:
                position, item_start = separator.end(), -1
            if position >= len(text):
                break
            mention = mentions.get(position)
            if mention is not None:
                body, position = mention.body, position + len(mention.name)
                if item_start >= 0:
                    # Two names with nothing between: a department and its unit, or no list.
                    if listed[-1] not in self.parents(body):
                        return ()
                    listed.pop()
            else:
                stop = _item_end(text, position)
                found = self.lookup(text[position:stop])
                if found is None or item_start >= 0:
                    return ()
                body, position = found, stop
            item_start = position
            if position < len(text) and text[position] in _OPEN:
                position = _bracket_end(text, position)
                if position < 0:
                    return ()
            if body not in listed:
                listed.append(body)
        return tuple(listed)

    def stated_parents(self, mention: Mention) -> list[tuple[URIRef, URIRef]]:
        """The (predicate, parent) pairs a name states by spelling its parent out (…委员会采购网络)."""
        return [
            (predicate, parent)
            for predicate, parent in self._parents.get(mention.body, [])
            if any(name in mention.name for name in self._names.get(parent, []) if len(name) > 1)
        ]

    def parents(self, body: URIRef) -> dict[URIRef, URIRef]:
        """The bodies the reference data gives `body` as parent or organization, with the predicate."""
        return {parent: predicate for predicate, parent in self._parents.get(body, [])}

    def secretariat_of(self, organization: URIRef) -> URIRef | None:
        """The part of `organization` the reference data names …秘书处 (its secretariat), or None."""
        for child, parents in self._parents.items():
            if any(parent == organization for _, parent in parents) and any(
                name.endswith("秘书处") for name in self._names.get(child, [])
            ):
                return child
        return None

    def kind(self, body: URIRef) -> str | None:
        """The body-kind slug of `body` (e.g. 'organization', 'network')."""
        return self._kind.get(body)

    def __len__(self) -> int:
        return len(set(self._by_name.values()))


def _name_pattern(name: str) -> str:
    """A name as a pattern: a Latin acronym must stand alone ("UN" is not in "UNDP"), Chinese names
    cannot be delimited so; a short name ending in 会 followed by 议 is 会议, a meeting (协调会议)."""
    if name.isascii():
        return rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])"
    if len(name) <= 3 and name.endswith("会"):
        return rf"{re.escape(name)}(?!议)"
    return re.escape(name)


def _item_end(text: str, start: int) -> int:
    """Where an item no known name starts ends: at a bracket or a separator."""
    for index in range(start, len(text)):
        if text[index] in _OPEN or text[index] in "、，," or text.startswith(("和", "及", "以及"), index):
            return index
    return len(text)


def _bracket_end(text: str, start: int) -> int:
    """The position after the bracket that closes the one at `start`, or -1."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] in _OPEN:
            depth += 1
        elif text[index] in _CLOSE:
            depth -= 1
            if depth == 0:
                return index + 1
    return -1
