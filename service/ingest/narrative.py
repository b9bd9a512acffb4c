"""What narrative reports (CEB overviews, reports of the Secretary-General) share: numbered sections,
what bodies approved, endorsed, established, adopted, decided, agreed, welcomed or noted, the documents
they acted on (by symbol, or an instrument by its title in 《》) and the sessions they acted at, what
resolutions and bodies asked of other bodies, which resolution requested the report, and the changes
that created or replaced bodies. Read from paragraphs, since the PDF text breaks sentences and names
across lines.
"""

from __future__ import annotations

import hashlib
import re

from rdflib import RDF, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, SKOS

from service.ingest.bodies import BodyIndex, Mention
from service.ingest.chairs import chairs
from service.ingest.citations import document
from service.ingest.dates import date_range
from service.ingest.facts import Facts
from service.ingest.parents import read_parents
from service.ingest.symbols import find_resolutions, find_symbols, slug
from service.ingest.text import Paragraph, SourceText, Span, chinese_number
from service.rdf import UNKG

_SECTION = re.compile(r"^([一二三四五六七八九十]+)\s*[.．、]\s*(\S[^。]{0,50})$")
_SUBSECTION = re.compile(r"^([A-H])\s*[.．]\s*(\S[^。]{0,50})$")
# Verbs of the action-type scheme, as the reports write them. '通过' alone also means 'through'.
# A verb of establishing with 了 is an act done; without it, only where a named body follows it.
_VERBS = [
    ("核准", "approved"),
    ("批准", "approved"),
    ("核可", "endorsed"),
    ("设立了", "established"),
    ("成立了", "established"),
    ("创立了", "established"),
    ("组建了", "established"),
    ("设立", "established"),
    ("成立", "established"),
    ("创立", "established"),
    ("组建", "established"),
    ("通过了", "adopted"),
    ("决定", "decided"),
    ("欢迎", "welcomed"),
    ("同意", "agreed"),
    ("注意到", "noted"),
]
_VERB = re.compile("|".join(re.escape(verb) for verb, _ in _VERBS))
_ACTION_TYPES = dict(_VERBS)
_BARE_ESTABLISH = frozenset({"设立", "成立", "创立", "组建"})
# What makes a bare 设立 the object of another verb or a noun: 核准设立, 决定设立, 考虑设立, 关于设立….
_ESTABLISH_GOVERNED = re.compile(
    r"(?:核准|批准|核可|决定|考虑|提议|建议|同意|请|要求|努力|计划|打算|准备|关于|的|对|就|新|自其|自)$"
)
_PROPOSAL_AFTER = re.compile(r"的(?:建议|提议|提案|问题|决定|可能|计划)")
# Requests of one body to another: 要求/请求/请/责成 followed at once by the body asked.
_REQUEST = re.compile(r"(?<![申邀提])(?:要求|请求|责成|请)")
# A verb asking the body after it to act ('请大会注意到本报告', '敦促各组织签署'): its act is not done.
_ASKED_TO = re.compile(r"请|要求|责成|敦促|促请|呼吁|提议由|建议")
# Reported speech or a view between the actor and the verb: the act is someone's opinion.
_REPORTED = re.compile(r"认为|指出|表示|强调|建议|提议|希望|主张|据称|说")
_HEADS = re.compile(r"(?:的)?(?:总干事|行政首长|执行主任|主席|秘书长|署长|负责人)")
JOINER = re.compile(r"\s*(?:和|及|、|以及)\s*")
# A clause that is only a date ('2008 年 4 月，', '在 2016 年 3 月第三十一届会议上，') before the actor's.
_DATE_CLAUSE = re.compile(
    r"[\s\d.¹²³⁴⁵⁶⁷⁸⁹⁰]*(?:在|于)?\s*\d{4}\s*年[^，,：:；;。]{0,20}?(?:会议上|月|日|年)?\s*[，,]\s*"
)
_SESSION = re.compile(r"第([一二三四五六七八九十]+|\d+)届会议")
# '在 2019 年第一届常会上': a regular session numbered within its year, named as the text names it.
_REGULAR_SESSION = re.compile(r"(\d{4})\s*年\s*第([一二三四五六七八九十]+|\d+)届常会")
# '在2024年4月于内罗毕举行的<body>第四十七届会议上': where the session was held.
# A time ('于本月举行的', '于次日举行的') is no place.
_HELD_IN = re.compile(
    r"于\s*([^\s\d，,。；;：:于在的]{2,8}?(?<![年月日周期间时前后初底]))\s*举行的[^，,。；;]*$"
)
_THEIR_PARTS = re.compile(r"\s*及其(?:相关|各)?(?:网络|附属机构)")
_OWN_MEETING = re.compile(r"(?:会议|届会|常会)上\s*[，,]\s*$")
_TOGETHER = re.compile(r"\s*(?:一道|一起|共同)")
_COORDINATED = re.compile(r"\s*(?:并且|并|还|随后|同时|继而)")
# A noun opening a sentence for a body named before it (委员会认识到…, 协调会请求…).
_GENERIC_NOUN = re.compile(r"(?:该)?(委员会|协调会|理事会|工作组|工作队|小组|网络)")
SENTENCE = re.compile(r"[^。；]+[。；]?")
_CLAUSE_BREAK = re.compile(r"[，,：:；;]")
# What opens a sentence before its subject: a paragraph number, a footnote mark, a list letter.
_OPENING = re.compile(r"\s*(?:\d+\.\s*|[¹²³⁴⁵⁶⁷⁸⁹⁰]+\s*|\([a-z]\)\s*)?")
# 决定 is a noun, not 'decided', after a measure word, 的 or a verb that takes it as object (各项决定,
# 执行决定, 作出决定), or before a noun or 的 (决定因素, 决定草案); '决定，' is still 'decided, …'.
_NOUN_BEFORE = re.compile(r"(?:的|项|各|该|此|这|其|号|作出|做出|执行|落实)$")
_NOUN_AFTER = re.compile(r"(?:因素|权|性|草案|的)")
# A clause that says the act is yet to come, was proposed or did not happen: 将获得批准, 供…核可,
# 拟, 有待, 以便…作出决定, 尚未核准. 提供 and 供应 are not 供; 未来 is not 未.
_UNREALISED = re.compile(r"将|拟|(?<!提)供(?!应)|有待|以便|以期|应当|应该|必须|需要|可能|尚未|未(?!来)|没有")
# What follows a body that is where an act was done, not who did it: '在其 X 下', '在 X 内', '在 X 框架内'.
_WHERE = re.compile(r"\s*(?:下|之下|内|框架内|范围内)")
_OBJECT_END = re.compile(r"(?:[，,。；;、]|和|及|$)")
# An instrument named by title right after the verb ('通过了《联合国残疾人包容战略》，', '核可的《…框架》'):
# what was acted on, unless something of it follows ('通过了《采购手册》题为“合作”的第14章').
_NAMED_OBJECT = re.compile(r"(?:了)?\s*(的)?\s*(《[^》]{2,80}》)[¹²³⁴⁵⁶⁷⁸⁹⁰]*")


def sections(source: SourceText, facts: Facts, report: URIRef) -> int:
    """Numbered headings (一. 引言; A. 气候行动) as sections, a letter numbered under its chapter."""
    chapter = ""
    count = 0
    for number, line in source.numbered():
        if "\t" in source.raw[number - 1]:
            continue  # a table-of-contents row (heading, paragraphs, page), not the heading itself
        found = _SECTION.match(line)
        if found and not line.endswith(("。", "：")):
            chapter, label = found.group(1), found.group(1)
        else:
            found = _SUBSECTION.match(line)
            if not found or not chapter or line.endswith(("。", "：")):
                continue
            label = f"{chapter}.{found.group(1)}"
        title = found.group(2).strip()
        section = facts.iri(f"section/{_slug(report)}/{label}")
        span = source.span(number)
        facts.add(report, UNKG.hasSection, section, span)
        facts.add(section, RDF.type, UNKG.Section, span)
        facts.add(section, UNKG.sectionNumber, Literal(label), span)
        facts.text(section, DCTERMS.title, title, span)
        count += 1
    return count


def _date(sentence: str) -> Literal | None:
    """The date, month or year a window before a verb gives ('在 2018 年责成'), as precise as written."""
    full = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", sentence)
    if full:
        return Literal(f"{int(full[1]):04d}-{int(full[2]):02d}-{int(full[3]):02d}", datatype=XSD.date)
    month = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月", sentence)
    if month:
        return Literal(f"{int(month[1]):04d}-{int(month[2]):02d}", datatype=XSD.gYearMonth)
    # A year alone dates the act as a clause of its own ('2023年，X 成立了…') or as 'in/on <year>', not
    # 'by the end of', 'since' or 'before' it.
    alone = re.match(r"[\s\d.¹²³⁴⁵⁶⁷⁸⁹⁰]*?(\d{4})\s*年\s*[，,]", sentence)
    if alone:
        return Literal(alone[1], datatype=XSD.gYear)
    year = re.search(r"(?:在|于)\s*(\d{4})\s*年(?!\s*\d)(?!\s*(?:底|初|以来|之前|以前|前|后|以后))", sentence)
    if year:
        return Literal(year[1], datatype=XSD.gYear)
    return None


def action_iri(facts: Facts, line: int, kind: str, taken: dict[tuple[int, str], int]) -> URIRef:
    """action/<source>/<line>-<type>, '-2' for a second act of that type on the line: an IRI that
    stays when an act elsewhere is added or dropped."""
    number = taken.get((line, kind), 0) + 1
    taken[(line, kind)] = number
    return facts.iri(f"action/{facts.source_slug}/{line}-{kind}" + (f"-{number}" if number > 1 else ""))


def actions(
    source: SourceText,
    facts: Facts,
    report: URIRef,
    bodies: BodyIndex,
    *,
    kinds: frozenset[str] | None = None,
) -> int:
    """Acts of named bodies: approved, endorsed, established, adopted, decided, agreed, welcomed or
    noted, each verb of a sentence read on its own ('X 核准了…，随后 Y 核可了…' is two acts), none by a
    body another asks to act ('请大会注意到本报告'); `kinds` limits the types."""
    count = 0
    taken: dict[tuple[int, str], int] = {}
    for paragraph in source.paragraphs():
        named = bodies.find(paragraph.text)
        for sentence in SENTENCE.finditer(paragraph.text):
            text = sentence.group(0)
            mentions = bodies.find(text)
            previous_verb = 0
            acted: list[Mention] = []
            for verb in _VERB.finditer(text):
                kind = _ACTION_TYPES[verb.group(0)]
                window_start, previous_verb = previous_verb, verb.end()
                if (kinds is not None and kind not in kinds) or not _is_act(text, verb, mentions):
                    continue
                clause = clause_start(text, verb.start())
                if _UNREALISED.search(text[clause : verb.start()]):
                    continue
                before = [m for m in mentions if m.start + len(m.name) <= verb.start()]
                actors = _actors(text, before, clause)
                if not actors and not before:
                    antecedent = _antecedent(text, named, sentence.start())
                    actors = [antecedent] if antecedent else []
                if not actors:
                    # '在…管理问题高级别委员会第四十七届会议上，委员会决定…': the committee just named.
                    noun = _GENERIC_NOUN.match(text, clause)
                    same = [m for m in before if noun and m.name.endswith(noun.group(1))]
                    actors = [Mention(same[-1].body, noun.group(0), noun.start())] if noun and same else []
                if not actors and acted and _COORDINATED.match(text, clause):
                    # '…决定…，并成立了…': a clause without a subject goes on with the last act's actor.
                    actors = [acted[-1]]
                if not actors:
                    continue
                if verb.group(0) == "同意" and re.search(r"(?:经|征得|未经)\s*$", text[: actors[0].start]):
                    continue  # 经 X 同意: with X's consent, X agreed to nothing this sentence reports
                if _ASKED_TO.search(text, clause_start(text, actors[0].start), actors[0].start):
                    continue  # '请大会注意到本报告': the body is asked to act, and has not yet
                acted.append(actors[-1])
                # A date or session names the act only if no other body or act stands between them.
                window = text[_window_start(text, before, actors[0], window_start) : verb.start()]
                line = source.line_at(paragraph, sentence.start() + verb.start())
                span = source.span(line)
                # What was decided or agreed is a proposition, not a body it names.
                objects = (
                    []
                    if kind in ("decided", "agreed")
                    else [m.body for m in _objects(text, mentions, verb.end())]
                )
                documents = _documents(source, facts, paragraph, sentence, verb, line)
                when = _date(window)
                session = _SESSION.search(window)
                regular = _REGULAR_SESSION.search(window)
                for actor in actors:
                    count += 1
                    action = action_iri(facts, line, kind, taken)
                    facts.add(action, RDF.type, UNKG.BodyAction, span)
                    facts.add(action, UNKG.actor, actor.body, span)
                    facts.add(action, UNKG.actionType, facts.iri(f"action-type/{kind}"), span)
                    facts.add(action, UNKG.reportedIn, report, span)
                    facts.text(action, DCTERMS.description, text.strip(), span)
                    # A date after the verb is of what was acted on (a summit convened, a reform in force).
                    if when is not None:
                        facts.add(action, DCTERMS.date, when, span)
                    if session and len(actors) == 1:
                        node = _session(facts, action, actor, chinese_number(session.group(1)), span)
                        held = _HELD_IN.search(window, 0, session.start())
                        if held is not None:
                            facts.text(node, UNKG.venue, held.group(1), span)
                    elif regular and len(actors) == 1:
                        _regular_session(facts, action, actor, regular, span)
                    for body in objects:
                        if body not in {a.body for a in actors}:
                            facts.add(action, UNKG.actionObject, body, span)
                    for document_node in documents:
                        facts.add(action, UNKG.actionObject, document_node, span)
                    # "大会第 72/266 B 号决议核准…": the resolution stands between the body and the verb.
                    for resolution in find_resolutions(text[actor.start : verb.start()]):
                        facts.add(
                            action, UNKG.inResolution, document(facts, resolution.symbol, line, source), span
                        )
                if kind == "established" and when is not None:
                    for body in objects:
                        if (body, UNKG.established, None) not in facts.graph:
                            facts.add(body, UNKG.established, when, span)
    return count


def _window_start(text: str, before: list[Mention], actor: Mention, after_verb: int) -> int:
    """Where the words that may date the act begin: the actor's clause, or the clause before it if
    that is only a date ('2008 年 4 月，X 核可了'), never before another body or verb ('在 2019 年发起的
    举措…，其中包括经 X 核准的…' dates the launch, not the approval)."""
    start = clause_start(text, actor.start)
    opening = clause_start(text, start - 1) if start else 0
    others = [m for m in before if opening <= m.start < start and m.body != actor.body]
    own = any(m.body == actor.body for m in before if opening <= m.start < start)
    # '在 2024年4月…举行的<actor>第四十七届会议上，<actor>决定': the actor's own meeting dates its act.
    if start and (
        _DATE_CLAUSE.fullmatch(text, opening, start)
        or own
        and not others
        and _OWN_MEETING.search(text, opening, start)
    ):
        start = opening
    previous = [m for m in before if m.start < actor.start and m.body != actor.body]
    return max(start, after_verb, previous[-1].start + len(previous[-1].name) if previous else 0)


def _is_act(text: str, verb: re.Match[str], mentions: list[Mention]) -> bool:
    """Whether the verb states an act: not 决定 as a noun, not 设立 governed by another verb or
    naming a proposal (决定设立, 核准设立, 关于设立…的建议), and a bare 设立 only before a named body."""
    if _is_noun(text, verb):
        return False
    if verb.group(0) == "同意":
        # 经…同意, 征得…的同意: consent given, a noun; 如果同意: a condition.
        return not re.search(
            r"(?:的|经|征得|取得|获得|如果|若)$", text[: verb.start()]
        ) and not text.startswith("的", verb.end())
    if _ACTION_TYPES[verb.group(0)] != "established":
        return True
    if _ESTABLISH_GOVERNED.search(text[: verb.start()]):
        return False
    if verb.group(0) not in _BARE_ESTABLISH:
        return True
    at = re.compile(r"\s*(?:一个|一)?\s*").match(text, verb.end())
    assert at is not None
    named = next((m for m in mentions if m.start == at.end()), None)
    return named is not None and not _PROPOSAL_AFTER.match(text, named.start + len(named.name))


def _documents(
    source: SourceText,
    facts: Facts,
    paragraph: Paragraph,
    sentence: re.Match[str],
    verb: re.Match[str],
    line: int,
) -> list[URIRef]:
    """Documents the verb acts on: a symbol in its clause after it ('核可了 CEB/2019/1/Add.2'); the
    documents a list after '…核可了这些产品：' points to with '见'; or, for '经…核可的…建议(见 A/72/7/Add.49，
    第 26 段)', the one document the sentence points to so."""
    text = sentence.group(0)
    clause_end = _CLAUSE_BREAK.search(text, verb.end())
    end = clause_end.start() if clause_end else len(text)
    scope = text[verb.end() : end]
    # The document itself, not something of it: '(E/2019/10)的结论' is no object.
    found = [
        c.symbol
        for c in find_symbols(scope) + find_resolutions(scope)
        if re.compile(r"的|和|及|、|$").search(scope, c.start).group(0) != "的"  # type: ignore[union-attr]
    ]
    colon = _listing(text, verb.end())
    if not found and colon is not None:
        rest = paragraph.text[sentence.start() + colon :]
        found = [c.symbol for c in find_symbols(rest) if re.search(r"见\s*$", rest[: c.start])]
    elif not found and text.startswith("的", verb.end()):
        seen = [
            c.symbol
            for c in find_symbols(text)
            if c.start > verb.end() and re.search(r"见\s*$", text[: c.start])
        ]
        found = seen if len(seen) == 1 else []
    named = _NAMED_OBJECT.match(text, verb.end())
    if not found and named is not None and (named.group(1) or _OBJECT_END.match(text, named.end())):
        return [instrument(facts, named.group(2), source.span(line))]
    return [document(facts, symbol, line, source) for symbol in found]


def instrument(facts: Facts, title: str, span: Span) -> URIRef:
    """The node of an instrument a text names only by its title in 《》: one per title."""
    name = title.strip("《》").strip()
    node = facts.iri(f"document/{hashlib.sha1(name.encode()).hexdigest()[:12]}")
    facts.add(node, RDF.type, UNKG.Document, span)
    facts.text(node, DCTERMS.title, name, span)
    return node


def _listing(text: str, verb_end: int) -> int | None:
    """Where the list of what the verb acted on begins: the colon ending its clause ('核可了这些产品：'),
    or ending a later clause that names the same things ('核准了三个…产品，随后…核可了这些产品：')."""
    clause_end = _CLAUSE_BREAK.search(text, verb_end)
    if clause_end is None:
        return None
    if clause_end.group(0) in "：:":
        return clause_end.end()
    colon = re.compile(r"(?:这些|上述|该)(\w{1,6})[：:]").search(text, clause_end.end())
    if colon is not None and colon.group(1) in text[verb_end : clause_end.start()]:
        return colon.end()
    return None


def _is_noun(text: str, verb: re.Match[str]) -> bool:
    """Whether this 决定 is 'a decision', not 'decided'; the other verbs are verbs where they stand."""
    if verb.group(0) != "决定":
        return False
    return bool(_NOUN_BEFORE.search(text[: verb.start()]) or _NOUN_AFTER.match(text, verb.end()))


def clause_start(text: str, position: int) -> int:
    """Where the clause holding `position` begins: after the last comma, colon or semicolon before it."""
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text, 0, position)]
    return breaks[-1] if breaks else 0


def _actors(text: str, before: list[Mention], clause: int) -> list[Mention]:
    """The body named last in the verb's clause, else the body the sentence opens with, if it is
    the only one named before the verb ('大会在第 60/283 号决议中，批准…'); a body named elsewhere
    in an earlier clause is no actor ('协调会赞同高管会…的倡议，并且决定…' is CEB deciding). A body
    the actor acts for (代表 X) is none, nor a body that says where the act was done ('HLCM 在其数字和
    通信技术网下成立了…': HLCM acted, under its network); 'A 与 B 一道创立了…' is A and B acting together."""
    in_clause = [
        m
        for m in before
        if m.start >= clause and not text[: m.start].endswith("代表") and not _is_where(text, m)
    ]
    if in_clause:
        last = in_clause[-1]
        if text[: last.start].endswith(("与", "同")) and _TOGETHER.match(text, last.start + len(last.name)):
            partner = [m for m in in_clause[:-1] if m.start + len(m.name) == last.start - 1]
            return [partner[-1], last] if partner else []
        return [last]
    opening = _OPENING.match(text)
    if len(before) == 1 and opening is not None and before[0].start == opening.end():
        return [before[0]]
    return []


def _is_where(text: str, mention: Mention) -> bool:
    """Whether `mention` names where an act was done, in a frame '在(其) X 下/内/框架内'."""
    opens = re.search(r"在其?\s*$", text[: mention.start]) is not None
    return opens and _WHERE.match(text, mention.start + len(mention.name)) is not None


def _objects(text: str, mentions: list[Mention], verb_end: int) -> list[Mention]:
    """Bodies the verb acts on: named in its clause and ending a phrase (设立了 X，), not a body whose
    paper, member or conclusions were acted on (核准了 X 的职权范围, 核可 X 第五十九届会议报告所载的…)."""
    clause_end = _CLAUSE_BREAK.search(text, verb_end)
    end = clause_end.start() if clause_end else len(text)
    return [
        m for m in mentions if verb_end <= m.start < end and _OBJECT_END.match(text, m.start + len(m.name))
    ]


def structure(source: SourceText, facts: Facts, bodies: BodyIndex) -> int:
    """The structure as the report states it: a name that spells out its parent (管理问题高级别委员会
    采购网络), '…附属机制即 A 和 B' listing a body's subsidiaries, a part named with its parent
    (service.ingest.parents), and who chairs a body (service.ingest.chairs)."""
    stated: set[tuple[URIRef, URIRef, URIRef]] = set()
    for paragraph in source.paragraphs():
        mentions = bodies.find(paragraph.text)
        line_starts = _line_starts(source, paragraph)
        for link in read_parents(paragraph.text, mentions, bodies, line_starts=line_starts):
            if (link.child, link.predicate, link.parent) not in stated:
                stated.add((link.child, link.predicate, link.parent))
                span = source.span(
                    source.line_at(paragraph, link.start), source.line_at(paragraph, link.end - 1)
                )
                facts.add(link.child, link.predicate, link.parent, span)
        for mention in mentions:
            for predicate, parent in bodies.stated_parents(mention):
                if (mention.body, predicate, parent) not in stated:
                    stated.add((mention.body, predicate, parent))
                    facts.add(
                        mention.body, predicate, parent, source.span(source.line_at(paragraph, mention.start))
                    )
        for listing in re.finditer(r"附属(?:机制|机构)即([^，。；]+)", paragraph.text):
            before = [m for m in mentions if m.start < listing.start()]
            if not before:
                continue
            parent_body = before[-1].body
            for child in mentions:
                if listing.start(1) <= child.start < listing.end(1) and child.body != parent_body:
                    key = (child.body, ORG.subOrganizationOf, parent_body)
                    if key not in stated:
                        stated.add(key)
                        line = source.line_at(paragraph, child.start)
                        facts.add(child.body, ORG.subOrganizationOf, parent_body, source.span(line))
    return len(stated) + chairs(source, facts, bodies)


def _line_starts(source: SourceText, paragraph: Paragraph) -> frozenset[int]:
    """The offsets in `paragraph`'s text where its second and later lines begin, as paragraphs()
    joins them (a space only between two Latin ends)."""
    starts, consumed, previous = set(), 0, ""
    for _, line in source.numbered(paragraph.start, paragraph.end):
        if not line:
            continue
        if previous:
            consumed += 1 if previous[-1:].isascii() and line[:1].isascii() else 0
            starts.add(consumed)
        consumed += len(line)
        previous = line
    return frozenset(starts)


def _session(facts: Facts, action: URIRef, actor: Mention, number: int, span: object) -> URIRef:
    session = facts.iri(f"session/{str(actor.body).rsplit('/', 1)[-1]}/{number}")
    facts.add(session, RDF.type, UNKG.Session, span)  # type: ignore[arg-type]
    facts.add(session, UNKG.sessionOf, actor.body, span)  # type: ignore[arg-type]
    facts.add(session, UNKG.sessionNumber, Literal(number, datatype=XSD.integer), span)  # type: ignore[arg-type]
    facts.add(action, UNKG.atSession, session, span)  # type: ignore[arg-type]
    return session


def _regular_session(facts: Facts, action: URIRef, actor: Mention, found: re.Match[str], span: Span) -> None:
    """'2019 年第一届常会': the actor's session, by year and number in the year, labelled as written."""
    number = int(found.group(2)) if found.group(2).isdigit() else chinese_number(found.group(2))
    session = facts.iri(f"session/{str(actor.body).rsplit('/', 1)[-1]}/{found.group(1)}-{number}")
    facts.add(session, RDF.type, UNKG.Session, span)
    facts.add(session, UNKG.sessionOf, actor.body, span)
    facts.text(session, SKOS.prefLabel, re.sub(r"\s+", " ", found.group(0)), span)
    facts.add(action, UNKG.atSession, session, span)


def requests(source: SourceText, facts: Facts, report: URIRef, bodies: BodyIndex) -> int:
    """What resolutions requested ('请…'), and which resolution requested this report."""
    count = 0
    for paragraph in source.paragraphs():
        for sentence in SENTENCE.finditer(paragraph.text):
            text = sentence.group(0)
            cited = find_resolutions(text)
            if not cited:
                continue
            line = source.line_at(paragraph, sentence.start() + cited[0].start)
            span = source.span(line)
            # 'In accordance with' (按照/根据/依照) is no request: metadata reads it as unkg:pursuantTo.
            if re.search(r"本报告.{0,12}应", text):
                for resolution in cited:
                    node = document(facts, resolution.symbol, line, source)
                    facts.add(report, UNKG.requestedBy, node, span)
                continue
            # 邀请 (invites), 申请 and 提请 are not 请.
            verb = re.compile(r"(?<![申邀提])请").search(text, cited[0].start)
            if verb is None:
                continue
            organ = bodies.lookup("大会" if cited[0].symbol.startswith("A/") else "经济及社会理事会")
            if organ is None:
                continue
            asked, heads, end = _addressees(text, bodies.find(text), verb.end())
            for resolution in cited:
                count += 1
                node = document(facts, resolution.symbol, line, source)
                action = facts.iri(f"action/{facts.source_slug}/{line}-requested-{slug(resolution.symbol)}")
                facts.add(action, RDF.type, UNKG.BodyAction, span)
                facts.add(action, UNKG.actor, organ, span)
                facts.add(action, UNKG.actionType, facts.iri("action-type/requested"), span)
                facts.add(action, UNKG.inResolution, node, span)
                facts.add(action, UNKG.reportedIn, report, span)
                facts.text(action, DCTERMS.description, text.strip(), span)
                if asked:
                    _asked(facts, action, asked, heads, text[end:], span)
    return count


def _asked(facts: Facts, action: URIRef, asked: list[URIRef], heads: bool, rest: str, span: Span) -> None:
    """Whom a request asked (their heads, where so) and what, up to another request or the sentence's end."""
    for body in asked:
        facts.add(action, UNKG.requestedOf, body, span)
    if heads:
        facts.add(action, UNKG.addresseeRole, facts.iri("addressee-role/executive"), span)
    facts.text(
        action,
        UNKG.requestedAction,
        re.split(r"[，,]\s*并且?(?=要求|请|责成)|[；;。]", rest)[0].strip(),
        span,
    )


def body_requests(source: SourceText, facts: Facts, report: URIRef, bodies: BodyIndex) -> int:
    """What one body asked another to do, the body asked named at once after the verb: '行政首长协调会
    要求联合国评价小组立即确定…', '首协会在 2018 年责成联合国创新网络领导…', '秘书长…要求劳工组织和
    世贸组织总干事主导审查…' (the heads of both). Requests a resolution makes are `requests`'."""
    count = 0
    taken: dict[tuple[int, str], int] = {}
    for paragraph in source.paragraphs():
        named = bodies.find(paragraph.text)
        for sentence in SENTENCE.finditer(paragraph.text):
            text = sentence.group(0)
            mentions = bodies.find(text)
            previous_verb = 0
            for verb in _REQUEST.finditer(text):
                window_start, previous_verb = previous_verb, verb.end()
                asked, heads, end = _addressees(text, mentions, verb.end())
                if not asked or find_resolutions(text[: verb.start()]):
                    continue
                clause = clause_start(text, verb.start())
                if _UNREALISED.search(text[clause : verb.start()]):
                    continue
                before = [m for m in mentions if m.start + len(m.name) <= verb.start()]
                actors = _actors(text, before, clause)
                if not actors and not before:
                    antecedent = _antecedent(text, named, sentence.start())
                    actors = [antecedent] if antecedent else []
                if len(actors) != 1 or _REPORTED.search(text[actors[0].start : verb.start()]):
                    continue
                actor = actors[0]
                window_start = _window_start(text, before, actor, window_start)
                line = source.line_at(paragraph, sentence.start() + verb.start())
                span = source.span(line)
                action = action_iri(facts, line, "requested", taken)
                count += 1
                facts.add(action, RDF.type, UNKG.BodyAction, span)
                facts.add(action, UNKG.actor, actor.body, span)
                facts.add(action, UNKG.actionType, facts.iri("action-type/requested"), span)
                facts.add(action, UNKG.reportedIn, report, span)
                facts.text(action, DCTERMS.description, text.strip(), span)
                _asked(facts, action, asked, heads, text[end:], span)
                window = text[window_start : verb.start()]
                when = _date(window)
                if when is not None:
                    facts.add(action, DCTERMS.date, when, span)
                session = _SESSION.search(window)
                if session:
                    _session(facts, action, actor, chinese_number(session.group(1)), span)
    return count


def _addressees(text: str, mentions: list[Mention], start: int) -> tuple[list[URIRef], bool, int]:
    """The bodies named one after another from `start` ('A 和 B'), whether it is their heads that were
    asked ('A 和 B 总干事', each or all), and where what follows begins; none if it is something of theirs
    that follows ('A 的成员')."""
    by_start = {m.start: m for m in mentions}
    asked: list[URIRef] = []
    marks: list[bool] = []
    at = start
    while True:
        gap = re.compile(r"\s*").match(text, at)
        assert gap is not None
        mention = by_start.get(gap.end())
        if mention is None:
            break
        at = mention.start + len(mention.name)
        mark = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]*\s*").match(text, at)
        assert mark is not None
        at = mark.end()
        head = _HEADS.match(text, at)
        marks.append(head is not None)
        if head is not None:
            at = head.end()
        asked.append(mention.body)
        joiner = JOINER.match(text, at)
        if joiner is None or joiner.end() not in {m.start for m in mentions}:
            break
        at = joiner.end()
    if not asked or text.startswith("的", at) or len(set(marks)) > 1 and not marks[-1]:
        return [], False, at
    # 'A 和 B 及其相关网络积极参与…': their networks are asked too, and are not what they are asked to do.
    theirs = _THEIR_PARTS.match(text, at)
    return asked, marks[-1], theirs.end() if theirs else at


def _antecedent(text: str, named: list[Mention], offset: int) -> Mention | None:
    """The body a sentence opening with a noun (委员会认识到…, 协调会请求…) stands for: the only body
    named before it in the paragraph whose name ends with that noun."""
    opening = _OPENING.match(text)
    assert opening is not None
    noun = _GENERIC_NOUN.match(text, opening.end())
    if noun is None:
        return None
    earlier = {m.body: m for m in named if m.start < offset and m.name.endswith(noun.group(1))}
    if len(earlier) != 1:
        return None
    body = next(iter(earlier))
    return Mention(body, noun.group(0), noun.start())


def changes(source: SourceText, facts: Facts, report: URIRef, bodies: BodyIndex) -> int:
    """Paragraphs saying new bodies were set up ('设立') on a date to replace ('取代') others."""
    count = 0
    for paragraph in source.paragraphs():
        text = paragraph.text
        replaced = text.find("取代")
        when = re.search(r"(?:于|自)\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", text)
        if replaced < 0 or when is None or "设立" not in text:
            continue
        clause_end = min(
            (i for i in (text.find("：", replaced), text.find("。", replaced)) if i > 0), default=len(text)
        )
        mentions = [
            m for m in bodies.find(text) if bodies.kind(m.body) in ("department", "office", "division")
        ]
        # Those named in the clause after 取代 were replaced; the other units the paragraph names are new.
        original = {m.body for m in mentions if replaced < m.start < clause_end}
        resulting = {m.body for m in mentions} - original
        if not original or not resulting:
            continue
        count += 1
        event = facts.iri(f"change/{facts.source_slug}/{paragraph.start}")
        span = source.span(paragraph.start, paragraph.end)
        day = f"{int(when[1]):04d}-{int(when[2]):02d}-{int(when[3]):02d}"
        facts.add(event, RDF.type, ORG.ChangeEvent, span)
        facts.add(event, DCTERMS.date, Literal(day, datatype=XSD.date), span)
        facts.text(event, DCTERMS.description, span.quote, span)
        for body in sorted(original):
            facts.add(event, ORG.originalOrganization, body, span)
            facts.add(body, ORG.changedBy, event, span)
        for body in sorted(resulting):
            facts.add(event, ORG.resultingOrganization, body, span)
            facts.add(body, ORG.resultedFrom, event, span)
        _set_up(source, facts, paragraph, event, sorted(resulting))
    return count


def _set_up(source: SourceText, facts: Facts, paragraph: Paragraph, event: URIRef, new: list[URIRef]) -> None:
    """'…于 2019 年 1 月 1 日，即…之日设立': the day the new bodies were set up, where the date stands
    before 设立 in its sentence; and '第 72/266 B 号决议核准设立…': the approval read by `actions` is of
    this change."""
    text = paragraph.text
    day = re.search(
        r"(?:于|自)\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日[^。；]{0,20}?(?:设立|成立)(?!以来)", text
    )
    if day is not None:
        value = Literal(f"{int(day[1]):04d}-{int(day[2]):02d}-{int(day[3]):02d}", datatype=XSD.date)
        lines = source.span(source.line_at(paragraph, day.start()), source.line_at(paragraph, day.end() - 1))
        for body in new:
            if (body, UNKG.established, None) not in facts.graph:
                facts.add(body, UNKG.established, value, lines)
    for approval in re.finditer(r"(?:核准|批准)设立", text):
        line = source.line_at(paragraph, approval.start())
        action = facts.iri(f"action/{facts.source_slug}/{line}-approved")
        if (action, RDF.type, UNKG.BodyAction) in facts.graph:
            facts.add(action, UNKG.actionObject, event, source.span(line))


def header_session(
    source: SourceText, facts: Facts, report: URIRef, organ: URIRef, *, end: int = 20
) -> Paragraph | None:
    """'2020 年届会' or '2007 年实质性会议' at the top, with its dates: the organ's session."""
    line = source.find(r"^(\d{4})\s*年(?:实质性)?(?:届会|会议)$", end=end)
    if line is None:
        return None
    year = source.line(line)[:4]
    session = facts.iri(f"session/{str(organ).rsplit('/', 1)[-1]}/{year}")
    span = source.span(line)
    facts.add(session, RDF.type, UNKG.Session, span)
    facts.add(session, UNKG.sessionOf, organ, span)
    facts.text(session, SKOS.prefLabel, source.line(line), span)
    facts.add(report, UNKG.submittedToSession, session, span)
    dates = source.find(r"\d{4}\s*年.*日至.*日", start=line, end=line + 4)
    if dates is not None:
        found = date_range(source.line(dates))
        if found is not None:
            facts.add(session, UNKG.startDate, Literal(found[0], datatype=XSD.date), source.span(dates))
            facts.add(session, UNKG.endDate, Literal(found[1], datatype=XSD.date), source.span(dates))
    return Paragraph(line, line, source.line(line))


def _slug(node: URIRef) -> str:
    return str(node).rsplit("/", 1)[-1]
