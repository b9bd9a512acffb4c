"""Whom a recommendation's text calls on to act: the bodies it names as actors, and the role of a
generic addressee ("各组织的行政首长", "立法机关和理事机构").

A body is an actor only where the text makes it one:
- addressed: the subject of the recommendation's 应/应当 ("秘书长应…"), or the body the inspectors
  recommend do something ("检查专员建议国际公务员制度委员会成立…", "建议，采购网络应利用…");
- tasked: a body the addressee is to charge or ask to act ("责成/请/要求/指示 X 协调…"), or through
  which it is to act ("通过 X，…").
A body named otherwise is not an actor: one worked with ("与 X 合作", "协同 X"), one whose framework
or membership is invoked ("在 X 的框架内", "作为 X 成员"), one that "可" (may) act, one named as an
object or a possessor ("借鉴 X 的做法"). A subject that is not wholly body names ("联合国系统各组织
行政首长") names no body: it gives a role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import URIRef

from service.ingest.bodies import BodyIndex
from service.ingest.facts import Facts
from service.ingest.text import Span
from service.rdf import UNKG

# What may follow a body for it to be the subject of the clause: a modal, an adverbial
# preposition, or a verb that opens what it is to do.
_VERBS = (
    "应当|应|在|于|从|最迟|立即|尽快|定期|进一步|共同|"
    "发挥|协调|审议|审查|制定|拟定|开展|成立|设立|指派|确保|确定|报告|采纳|采取|采用|利用|探索|"
    "考虑|借鉴|提供|研究|编写|编制|更新|修订|建立|任命|监测|评估|继续|加强|推动|支持|实施|落实|执行"
)
# Joins two bodies of one subject; "及其网络" adds the body's networks, which name no one body.
_JOIN = re.compile(r"(?:和(?:/或)?|及|以及|与|、|或)")
_TAIL = re.compile(r"及其(?:各)?网络")
_ADDRESSED_BY_INSPECTORS = re.compile(r"(?:检查专员|他们)(?:还|也)?建议[，,]?")
_TASKING = re.compile(r"(?<![邀申提聘])(?:责成|请|要求|指示)")
_THROUGH = re.compile(r"通过")
_MODAL = re.compile(r"应当?(?!对|用|急|变)")


@dataclass
class Actors:
    """What one recommendation's text says of who is to act."""

    addressed: list[URIRef] = field(default_factory=list)
    tasked: list[URIRef] = field(default_factory=list)
    role: str | None = None


def _group(text: str, start: int, bodies: BodyIndex) -> tuple[list[URIRef], int]:
    """The bodies named one after another from `start` (joined by 和/及/、…), and where they end."""
    found: list[URIRef] = []
    position = start
    while True:
        mention = next((m for m in bodies.find(text[position:]) if m.start == 0), None)
        if mention is None:
            break
        found.append(mention.body)
        position += len(mention.name)
        tail = _TAIL.match(text, position)
        if tail:
            position = tail.end()
        join = _JOIN.match(text, position)
        if join is None or not any(m.start == 0 for m in bodies.find(text[join.end() :])):
            break
        position = join.end()
    return found, position


def _subject_at(text: str, start: int, bodies: BodyIndex, follow: str) -> list[URIRef]:
    """The bodies at `start`, if they are wholly the subject: followed by `follow` (a modal or verb)."""
    group, end = _group(text, start, bodies)
    if group and re.match(rf"\s*(?:{follow})", text[end:]):
        return group
    return []


def _clause_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer(r"[，,。；;：:]\s*", text)]


def actors(text: str, bodies: BodyIndex) -> Actors:
    """Who `text`, a recommendation, calls on to act, in the order the text names them."""
    addressed: list[tuple[int, list[URIRef]]] = []
    tasked: list[tuple[int, list[URIRef]]] = []
    for start in _clause_starts(text):
        addressed.append((start, _subject_at(text, start, bodies, "应当?")))
    for match in _ADDRESSED_BY_INSPECTORS.finditer(text):
        addressed.append((match.end(), _subject_at(text, match.end(), bodies, _VERBS)))
    modal = _MODAL.search(text)
    if modal is not None:
        for match in _TASKING.finditer(text, modal.end()):
            tasked.append((match.end(), _subject_at(text, match.end(), bodies, _VERBS)))
        for match in _THROUGH.finditer(text, modal.end()):
            tasked.append((match.end(), _subject_at(text, match.end(), bodies, r"[，,]|责成|请|要求|指示")))
    result = Actors(role=role(text))
    seen: set[URIRef] = set()
    for found, into in ((addressed, result.addressed), (tasked, result.tasked)):
        for _, group in sorted(found, key=lambda item: item[0]):
            for body in group:
                if body not in seen:
                    seen.add(body)
                    into.append(body)
    return result


def subject(text: str) -> str:
    """The words before the first 应/应当 of the sentence that carries it, adverbials left out."""
    modal = _MODAL.search(text)
    if modal is None:
        return ""
    before = text[: modal.start()]
    before = re.split(r"[。；;]", before)[-1]
    clauses = [c for c in re.split(r"[，,]", before) if c]
    # '从 2025 年开始，X 应…', '为实现…，X 最迟应…': the subject is the last clause naming a head or organ;
    # 'X 如尚未…，则应…': the first.
    for clause in clauses:
        if re.search(r"行政首长|立法机关|立法机构|理事机构|秘书长", clause):
            return re.sub(r"(?:如尚未|作为).*$|最迟$", "", clause).strip()
    return clauses[-1].strip() if clauses else ""


def role(text: str) -> str | None:
    """The addressee role the subject of `text`'s 应 names, or None when it names none plainly.

    A Chinese noun phrase ends with its head: in '尚未向其立法机关报告的行政首长' the heads are the
    subject, so the last organ or head the subject names decides.
    """
    head = subject(text)
    if re.fullmatch(r"(?:联合国)?秘书长", head):
        return "secretary-general"
    named = re.findall(r"行政首长|立法机关|立法机构|理事机构", head)
    if not named:
        return None
    return "executive" if named[-1] == "行政首长" else "legislative"


def add_actors(
    facts: Facts, recommendation: URIRef, text: str, span: Span, bodies: BodyIndex, *, with_role: bool
) -> Actors:
    """State who `text` calls on to act; `with_role` also states the role of its generic addressee."""
    found = actors(text, bodies)
    for body in found.addressed:
        facts.add(recommendation, UNKG.addressedTo, body, span)
    for body in found.tasked:
        facts.add(recommendation, UNKG.tasks, body, span)
    if with_role and found.role is not None:
        facts.add(recommendation, UNKG.addresseeRole, facts.iri(f"addressee-role/{found.role}"), span)
    return found
