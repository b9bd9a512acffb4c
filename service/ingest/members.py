"""Which bodies are members of which, as a sentence states it: 'A、B 和 C 作为 G 的成员' (as members of
G). Only a clause that opens with the list and names nothing but bodies in it is read; members to be
or that should be (将作为, 应是…的成员, 拟作为) are not, nor are heads of organizations as members
(各组织行政首长作为首协会的成员: the list is no list of bodies).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import ORG

from service.ingest.bodies import BodyIndex
from service.ingest.facts import Facts
from service.ingest.text import SourceText

# The list runs from the start of its clause to 作为; the group is one body named before 的成员.
_AS_MEMBERS = re.compile(r"(?P<list>[^，,。；;：:]+?)作为(?P<group>[^，,。；;：:的]{2,30})的成员")
_UNREALISED = re.compile(r"将|拟|应|可|会|需|须|要")


@dataclass(frozen=True)
class Membership:
    """`members` are members of `group`, stated in the text from `start` to `end`."""

    group: URIRef
    members: tuple[URIRef, ...]
    start: int
    end: int


def members(source: SourceText, facts: Facts, bodies: BodyIndex) -> int:
    """State org:hasMember and org:memberOf where a sentence says which bodies are members of one;
    returns the number of (group, member) pairs stated."""
    stated: set[tuple[URIRef, URIRef]] = set()
    for paragraph in source.paragraphs():
        for found in read_members(paragraph.text, bodies):
            span = source.span(
                source.line_at(paragraph, found.start), source.line_at(paragraph, found.end - 1)
            )
            for member in found.members:
                stated.add((found.group, member))
                facts.add(found.group, ORG.hasMember, member, span)
                facts.add(member, ORG.memberOf, found.group, span)
    return len(stated)


def read_members(text: str, bodies: BodyIndex) -> list[Membership]:
    """The membership statements of one paragraph."""
    found = []
    for match in _AS_MEMBERS.finditer(text):
        listed = match.group("list").strip()
        named = bodies.find(listed)
        # What stands between the last name and 作为 (将, 应…), the names themselves left out (儿基会).
        after = named[-1].start + len(named[-1].name) if named else 0
        if _UNREALISED.search(listed, after):
            continue
        group = bodies.lookup(match.group("group"))
        members = bodies.listed(listed)
        if group is None or not members or group in members:
            continue
        found.append(Membership(group, members, match.start("list"), match.end()))
    return found
