"""Who chairs a body, as a source states it: '作为首协会主席的秘书长', '首协会主席，秘书长…',
'发展集团主席开发署署长', '成立了 X，由 A 和 B 共同主持'. The chair of a meeting (主持会议) and a body
under whose auspices something is done (在 X 主持下) are not chairs of a body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import URIRef

from service.ingest.bodies import BodyIndex, Mention
from service.ingest.facts import Facts
from service.ingest.text import SourceText
from service.rdf import UNKG

# An acronym in brackets after a name: 联合国发展集团（发展集团）.
_BRACKETED = re.compile(r"[（(][^（()）]{1,15}[）)]")
# Between 主席 and the chair named in apposition: a comma, and a short modifier ending in 的 (新任的),
# never a conjunction (X 主席与 Y 共同召开 names two people, not who chairs X).
_APPOSITION = re.compile(r"[，,]?(?:[^，,。；;、与和及]{1,6}的)?")
# The title a post's name adds to its organization's (开发署（…）署长 is the post 开发署署长).
_TITLE = re.compile(r"署长|秘书长|副秘书长|总干事|执行主任|主任")
_JOINER = re.compile(r"\s*(?:和|及|与|、)\s*")
# What ends '由 A 主持': the end of a clause, not a noun or 下 (主持会议, 主持下, 主持的).
_CLAUSE_END = re.compile(r"\s*(?:[，,。；;：:]|$)")
# A sentence that says the body is yet to be set up or is proposed says nothing of who chairs it now.
_UNREALISED = re.compile(r"将|拟|建议|提议|计划|打算")


@dataclass(frozen=True)
class Chair:
    """`body` is chaired by `chairs`, stated in the text from `start` to `end`."""

    body: URIRef
    chairs: tuple[URIRef, ...]
    start: int
    end: int


def chairs(source: SourceText, facts: Facts, bodies: BodyIndex) -> int:
    """State unkg:chairedBy (and unkg:coChairedBy for each of several chairs) where a sentence says
    who chairs a body; returns the number of (body, chair) pairs stated."""
    stated: set[tuple[URIRef, URIRef]] = set()
    for paragraph in source.paragraphs():
        for found in read_chairs(paragraph.text, bodies):
            span = source.span(
                source.line_at(paragraph, found.start), source.line_at(paragraph, found.end - 1)
            )
            for chair in found.chairs:
                if (found.body, chair) in stated:
                    continue
                stated.add((found.body, chair))
                facts.add(found.body, UNKG.chairedBy, chair, span)
                if len(found.chairs) > 1:
                    facts.add(found.body, UNKG.coChairedBy, chair, span)
    return len(stated)


def read_chairs(text: str, bodies: BodyIndex) -> list[Chair]:
    """The chair statements of one paragraph."""
    mentions = bodies.find(text)
    return [*_titled(text, mentions, bodies), *_presided(text, mentions)]


def _titled(text: str, mentions: list[Mention], bodies: BodyIndex) -> list[Chair]:
    """'作为 X 主席的 P' and 'X 主席，P': the chair is a post named right after 主席."""
    found = []
    for title in re.finditer("主席", text):
        if text[title.start() - 1 : title.start()] == "副" or text.startswith(("团", "国"), title.end()):
            continue  # a vice-chair, the bureau, a presiding country
        body = _ending_at(text, mentions, title.start())
        if body is None:
            continue
        if text[title.end() : title.end() + 1] == "的":
            # Only 作为 X 主席的 P says P is the chair; X 主席的 P is something of the chair's.
            if text[max(0, body.start - 2) : body.start] != "作为":
                continue
            after = title.end() + 1
        else:
            apposition = _APPOSITION.match(text, title.end())
            after = apposition.end() if apposition else title.end()
        post = _post_at(text, mentions, after, bodies)
        if post is not None and post[0] != body.body:
            found.append(Chair(body.body, (post[0],), body.start, post[1]))
    return found


def _presided(text: str, mentions: list[Mention]) -> list[Chair]:
    """'X，由 A 和 B 共同主持。': the bodies or posts named between 由 and 主持, and nothing else."""
    found = []
    for body in mentions:
        opening = re.compile(r"[，,]?\s*由").match(text, body.start + len(body.name))
        if opening is None:
            continue
        chairs: list[URIRef] = []
        position = opening.end()
        for mention in (m for m in mentions if m.start >= position):
            if mention.start != position:
                break
            chairs.append(mention.body)
            position = mention.start + len(mention.name)
            joiner = _JOINER.match(text, position)
            if joiner is None:
                break
            position = joiner.end()
        close = re.compile(r"\s*(共同)?主持").match(text, position)
        if not chairs or close is None or _CLAUSE_END.match(text, close.end()) is None:
            continue
        if close.group(1) is None and len(chairs) > 1:
            continue
        sentence = max(text.rfind("。", 0, body.start), text.rfind("；", 0, body.start)) + 1
        if _UNREALISED.search(text, sentence, body.start):
            continue
        found.append(Chair(body.body, tuple(chairs), body.start, close.end()))
    return found


def _ending_at(text: str, mentions: list[Mention], end: int) -> Mention | None:
    """The body named right before `end`, its acronym in brackets allowed between."""
    for mention in reversed(mentions):
        stop = mention.start + len(mention.name)
        if stop == end:
            return mention
        bracketed = _BRACKETED.match(text, stop)
        if bracketed is not None and bracketed.end() == end:
            return mention
    return None


def _post_at(text: str, mentions: list[Mention], start: int, bodies: BodyIndex) -> tuple[URIRef, int] | None:
    """The post named at `start`: a post of the reference data, or an organization, its acronym in
    brackets, and a title, which together name a post (联合国开发计划署（开发署）署长); with its end."""
    mention = next((m for m in mentions if m.start == start), None)
    if mention is None:
        return None
    stop = mention.start + len(mention.name)
    if bodies.kind(mention.body) == "post":
        return mention.body, stop
    bracketed = _BRACKETED.match(text, stop)
    title = _TITLE.match(text, bracketed.end() if bracketed else stop)
    if title is None:
        return None
    post = bodies.lookup(mention.name + title.group(0))
    return (post, title.end()) if post is not None and bodies.kind(post) == "post" else None
