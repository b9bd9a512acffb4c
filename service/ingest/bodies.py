"""Find the bodies of the reference data by the names the sources give them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import SKOS, Graph, Literal, URIRef
from rdflib.namespace import ORG

from service.rdf import UNKG

# Names too generic to read as a mention in running text ("联合国系统" is not the United Nations, and
# "秘书处" is any organization's secretariat); they still name a body in a table header.
AMBIGUOUS = frozenset({"联合国", "UN", "秘书处"})


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
