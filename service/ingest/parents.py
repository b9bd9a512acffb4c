"""Which body a body is part of, as a sentence states it: a unit named right after its organization
(业务支助部特别活动司), one 'under' a body (管理问题高级别委员会下的采购网络), one 'of' a body
(可持续发展集团及其企业创新小组), one that 'belongs to' a body (X 隶属于 Y), and bodies said to be
'part of' one (贸发会议和毒品和犯罪问题办公室，它们是秘书处的一部分). Bodies merely named together
(开发署、人口基金和儿基会) are no parent and child.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import ORG

from service.ingest.bodies import BodyIndex, Mention

# Kinds that are part of another body, and kinds that have such parts; an organization, an organ,
# CEB and a post are never read as part of the body named before them.
_CHILD_KINDS = frozenset(
    {
        "department",
        "office",
        "division",
        "board",
        "network",
        "task-force",
        "working-group",
        "high-level-committee",
        "intergovernmental-body",
        "inter-agency-group",
        "oversight-body",
    }
)
_PARENT_KINDS = frozenset(
    {
        "organization",
        "principal-organ",
        "coordination-board",
        "high-level-committee",
        "inter-agency-group",
        "intergovernmental-body",
        "network",
        "department",
        "office",
    }
)
# Units of an organization (org:unitOf); any other part is org:subOrganizationOf.
_UNIT_KINDS = frozenset({"department", "office", "division"})
# Between a parent and its part: nothing (业务支助部特别活动司), 下的/之下的/下设的/下属的 (under),
# 新设的/新设立的 (its newly set up: 业务支助部新设的…司), or 及其 (and its; 及其他 is 'and other').
_OF = re.compile(r"(?:(?:之下|下设|下属|下)的?|新设(?:立)?的|及其(?!他)|与其(?!他))?")
_BELONGS = re.compile(r"隶属于|隶属")
# '…，它们是秘书处的一部分': the bodies listed just before are part of one named earlier in the sentence.
_PART_OF = re.compile(
    r"(?:它们|其|均|都)?(?:是|属于)(?P<parent>[^，,。；;的()（）]{1,20})的(?:一部分|组成部分)"
)
_LISTED = re.compile(r"[和及与、\s]*")


@dataclass(frozen=True)
class Parent:
    """`child` is part of `parent` (`predicate`), stated in the text from `start` to `end`."""

    child: URIRef
    predicate: URIRef
    parent: URIRef
    start: int
    end: int


def read_parents(
    text: str, mentions: list[Mention], bodies: BodyIndex, *, line_starts: frozenset[int] = frozenset()
) -> list[Parent]:
    """The parent links one paragraph states, each with where it is stated. Two names
    meeting where a line begins (`line_starts`) are two rows of a table, not a body and its part."""
    found = []
    named = _named(text, mentions)
    for (first, first_end), (second, _) in zip(named, named[1:], strict=False):
        between = text[first_end : second.start]
        if not between and second.start in line_starts:
            continue
        if _OF.fullmatch(between):
            link = _link(bodies, child=second, parent=first)
        elif _BELONGS.fullmatch(between):
            link = _link(bodies, child=first, parent=second)
        else:
            continue
        if link is not None:
            found.append(link)
    return found + _parts_of(text, mentions, bodies)


def _parts_of(text: str, mentions: list[Mention], bodies: BodyIndex) -> list[Parent]:
    """'A 和 B，它们是 P 的一部分' or 'A 是 P 的一部分': the bodies listed right before (nothing else
    between them but 和, 及, 、 and their acronyms in brackets), from the clause start or 包括, are part of
    P, which the sentence must have named before them (秘书处 alone is any organization's)."""
    found = []
    for statement in _PART_OF.finditer(text):
        parent = bodies.lookup(statement.group("parent"))
        end = statement.start()
        end -= 1 if end and text[end - 1] in "，," else 0
        breaks = [text.rfind(mark, 0, end) for mark in "，,。；;：:"]
        including = text.rfind("包括", 0, end)
        start = max(*(b + 1 for b in breaks), including + 2 if including >= 0 else 0)
        listed = _named(text, [m for m in mentions if start <= m.start and m.start + len(m.name) <= end])
        sentence = max(text.rfind("。", 0, start), text.rfind("；", 0, start)) + 1
        named_before = any(m.body == parent and sentence <= m.start < start for m in mentions)
        if parent is None or not listed or not named_before:
            continue
        rest, position = [], start
        for mention, mention_end in listed:
            rest.append(text[position : mention.start])
            position = mention_end
        rest.append(text[position:end])
        if not all(_LISTED.fullmatch(piece) for piece in rest):
            continue
        for mention, _ in listed:
            link = _part(bodies, child=mention, parent=parent, start=mention.start, end=statement.end())
            if link is not None:
                found.append(link)
    return found


def _part(bodies: BodyIndex, *, child: Mention, parent: URIRef, start: int, end: int) -> Parent | None:
    """`child` stated in so many words to be part of `parent`: any kind may be, unless the reference
    data gives it another parent."""
    known = bodies.parents(child.body)
    if child.body == parent or (known and parent not in known):
        return None
    kind = bodies.kind(child.body)
    predicate = known.get(parent) or (ORG.unitOf if kind in _UNIT_KINDS else ORG.subOrganizationOf)
    return Parent(child.body, predicate, parent, start, end)


def _named(text: str, mentions: list[Mention]) -> list[tuple[Mention, int]]:
    """Each mention with where its name ends, a name and its acronym in brackets taken as one
    (联合国可持续发展集团(可持续发展集团))."""
    named: list[tuple[Mention, int]] = []
    for mention in mentions:
        if named:
            previous, end = named[-1]
            stop = mention.start + len(mention.name)
            if (
                mention.body == previous.body
                and text[end : mention.start] in ("(", "（")
                and text.startswith((")", "）"), stop)
            ):
                named[-1] = (previous, stop + 1)
                continue
        named.append((mention, mention.start + len(mention.name)))
    return named


def _link(bodies: BodyIndex, *, child: Mention, parent: Mention) -> Parent | None:
    child_kind, parent_kind = bodies.kind(child.body), bodies.kind(parent.body)
    if child.body == parent.body or child_kind not in _CHILD_KINDS or parent_kind not in _PARENT_KINDS:
        return None
    # The reference data may give the child a parent; a sentence read as naming another is misread.
    known = bodies.parents(child.body)
    if known and parent.body not in known:
        return None
    predicate = known.get(parent.body) or (ORG.unitOf if child_kind in _UNIT_KINDS else ORG.subOrganizationOf)
    first, last = sorted((child, parent), key=lambda m: m.start)
    return Parent(child.body, predicate, parent.body, first.start, last.start + len(last.name))
