"""Figures a source states, as data: how many of what, what share of whom, what rate, how much money.

A figure is asserted only where the text says what it counts, in these shapes:
- a count: a number, its classifier and a counted noun the rule knows ("23 个组织", "超过 65 个实体",
  "3 500 多名工作人员", "五项正式建议", "3 项针对…的建议"), or the noun first ("注册供应商近 24 万家，"),
  or how many of them are new ("其中 9 项是新的");
- a share: a percentage of a population the rule knows ("95%的答复者", "32% 的组织");
- a rate the text names ("执行率为74%");
- an amount of money: a number in 美元, scaled by 万/亿 ("约 3.10 亿美元").
Each keeps its qualifier (超过/多于/逾/…多 "more than", 约 "about", 近 "nearly", 至少 "at least",
不到 "less than"): "超过 65" is not 65; and the date its sentence opens with ("截至 2024 年 9 月，…").
Refused: a number in a range or an alternative ("600 名至 1 000 名", "6 个或 7 个"), an ordinal or a
rate ("第 3 项", "每 10 个"), a figure the text repeats ("这 9 项"), a noun the classifier shares with
another ("20 个实体和机构"), 一 and 两 (mostly words: "一个组织"), tables and tables of contents, links,
a sentence cut by page furniture, and every number not next to a known counted thing (section,
paragraph and page numbers, dates, symbols, footnote marks). The sentence that states the figure is
kept with it, in the text's words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from rdflib import RDF, XSD, Literal, URIRef

from service.ingest.cited_recommendations import cited_recommendations, recommendation_iri
from service.ingest.facts import Facts
from service.ingest.text import Paragraph, SourceText, chinese_number
from service.rdf import UNKG

# Counted nouns, longest first so that "驻地协调员办公室" is not read as "驻地协调员".
_COUNTED = sorted(
    {
        "组织",
        "签署组织",
        "联检组参加组织",
        "联合国系统组织",
        "实体",
        "国家",
        "联合国国家工作队",
        "国家工作队",
        "工作人员",
        "方案管理人员",
        "驻地协调员",
        "驻地协调员办公室",
        "建议",
        "正式建议",
        "非正式建议",
        "新建议",
        "主要利益攸关方",
        "利益攸关方",
        "试验项目",
        "项目",
        "服务",
        "标准",
        "数据标准",
        "问询",
        "地点",
        "访谈",
        "服务中心",
        "共享服务中心",
        "供应商",
        "过时政策",
        "政策",
        "新的或经修订的政策",
        "机构、基金和方案",
        "实体和机构",
        "工作人员和有关人员",
        "工作地点",
        "成员",
    },
    key=len,
    reverse=True,
)
# The populations a share is of.
_POPULATION = sorted(
    {
        "答复者",
        "受访者",
        "答卷者",
        "组织",
        "签署组织",
        "联检组参加组织",
        "客户",
        "工作人员",
        "工作人员和管理人员",
        "人口",
        "驻地协调员",
    },
    key=len,
    reverse=True,
)
_NUMBER = r"(?<![\d.])(?P<number>\d{1,3}(?: \d{3})+|\d+(?:\.\d+)?)(?![\d.])"
# A Chinese numeral counts too ("五项正式建议"), up to 99.
# '一个组织' and '两次' are mostly words, not figures ("允许一个组织…"): from 三 on.
_CHINESE = (
    r"(?<![一二两三四五六七八九十第])"
    r"(?P<chinese>[一二两三四五六七八九]?十[一二三四五六七八九]?|[三四五六七八九])"
)
_BEFORE = r"(?P<qualifier>超过|多于|逾|将近|近|大约|约|至少|不到|不足|少于)?(?:有|达)?\s*"
_NOUNS = "|".join(map(re.escape, _COUNTED))
# A relative clause saying whose the counted things are: '3 项针对产权组织立法机构的建议'.
_WHOSE = r"(?:(?:针对|向|关于|涉及|有关)[^，。；、\d]{1,20}?的)?"
_COUNT = re.compile(
    _BEFORE
    + rf"(?:{_NUMBER}|{_CHINESE})"
    + rf"\s*(?P<odd>多)?\s*(?:个|项|名|家|次)\s*(?P<counted>{_WHOSE}(?:联合国)?(?:{_NOUNS}))"
)
_SHARE = re.compile(
    _BEFORE + _NUMBER + r"\s*[%％]\s*的\s*(?P<counted>" + "|".join(map(re.escape, _POPULATION)) + ")"
)
_MONEY = re.compile(_BEFORE + _NUMBER + r"\s*(?P<odd>多)?\s*(?P<scale>万|亿)?\s*美元")
# '这 9 项建议中有 3 项是新建议', '20 项建议（其中 9 项是新的）': how many of them are new.
_NEW = re.compile(rf"(?:其中|中有)\s*(?:{_NUMBER}|{_CHINESE})\s*项(?:是|为)新(?:的|建议)")
# How the recommendations a document states it contains split by addressee: '载有五项正式建议，其中一项是向
# 联合国秘书长提出的，…三项是向…行政首长提出的'. 一 is a figure here: nothing else reads '一项是向'.
_SPLIT = re.compile(
    r"(?:(?P<number>\d+)|(?P<chinese>[一二三四五六七八九十]+))\s*项是(?P<whom>(?:向|针对)[^，,。；;：:]{2,40}?提出)的"
)
# The recommendations so split: the last '载有 N 项…建议' before it in its paragraph.
_CONTAINED = re.compile(r"载有\s*(?:\d+|[一二三四五六七八九十]+)\s*项(正式建议|非正式建议|建议)")
# The counted noun first: '注册供应商近 24 万家，', '工作人员总数达到 263 人。'.
_TALLY = re.compile(
    rf"(?P<counted>{_NOUNS}|注册供应商)(?:总数|总计|共计)?(?:达到|达|为|共|有)?\s*"
    r"(?P<qualifier>超过|多于|逾|将近|近|大约|约|至少|不到|不足|少于)?\s*"
    + _NUMBER
    + r"\s*(?P<odd>多)?\s*(?P<scale>万)?\s*(?:家|个|名|人|项)(?=[，。；、,;）)]|$)"
)
# A rate the text names: '人力资源，执行率为74%'.
_RATE = re.compile(
    r"(?P<measure>(?:执行|落实|完成|实施|答复|回复|使用|空缺|覆盖)率)(?:为|达到|达)\s*"
    r"(?P<qualifier>超过|多于|逾|将近|近|大约|约|至少|不到|不足|少于)?\s*" + _NUMBER + r"\s*[%％]"
)
# A clause that gives the cut-off of what follows it in the sentence: '截至 2020 年 6 月 30 日，…'.
_AS_OF = re.compile(r"(?:^|[，,])截至\s*(\d{4})\s*年(?:\s*(\d{1,2})\s*月)?(?:\s*(\d{1,2})\s*日)?[，,]")
QUALIFIERS = {
    "超过": "more-than",
    "多于": "more-than",
    "逾": "more-than",
    "多": "more-than",
    "近": "nearly",
    "将近": "nearly",
    "约": "about",
    "大约": "about",
    "至少": "at-least",
    "不到": "less-than",
    "不足": "less-than",
    "少于": "less-than",
}
_SCALE = {"万": 10_000, "亿": 100_000_000}
# A number in a range or an alternative: '600 名至 1 000 名', '6 个或 7 个'.
# An ordinal or a rate is no count either ('第 3 项建议', '每 10 个'), nor a figure the text repeats
# ('这 9 项建议'), nor one with a bound the rule does not read ('23 个组织左右').
_RANGE_BEFORE = re.compile(r"(?:至|到|或|~|～|-|—|–|第|每|前|头|这|那|该|此|上述)\s*$")
_RANGE_AFTER = re.compile(r"^\s*(?:至|到|或|~|～|-|—|–|左右|以上|以下|上下|之多)")
# A counted noun that shares its classifier with another: '20 个实体和机构'.
_SHARED = re.compile(r"^(?:和|及|与|、|或)(?!\s*[\d一二两三四五六七八九十])")


def _value(match: re.Match[str]) -> Decimal:
    groups = match.groupdict()
    if groups.get("chinese"):
        return Decimal(chinese_number(groups["chinese"]))
    return Decimal(match.group("number").replace(" ", ""))


def _sentence(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The bounds of the sentence of `text` that holds `start`..`end`, if it closes within `text`."""
    opening = max(text.rfind(mark, 0, start) for mark in _CLOSING) + 1
    closings = [i for i in (text.find(mark, end) for mark in _CLOSING) if i >= 0]
    if not closings:
        return None
    return opening, min(closings) + 1


_CLOSING = "。；;！？"


def _continues(source: SourceText, paragraph: Paragraph) -> bool:
    """Whether `paragraph` carries on a sentence cut by page furniture (a link line, a page break)."""
    for number in range(paragraph.start - 1, 0, -1):
        line = source.line(number)
        if not line or re.match(r"https?://", line):
            continue
        return len(line) >= 16 and not line.endswith(tuple(_CLOSING + "：:）)”」"))
    return False


def _is_table(source: SourceText, paragraph: Paragraph) -> bool:
    raw = source.raw[paragraph.start - 1 : paragraph.end]
    return any("\t" in line or "|" in line or re.search(r"\.{4,}|…{2,}", line) for line in raw)


def _refused(text: str, match: re.Match[str]) -> bool:
    before, after = text[: match.start()], text[match.end() :]
    return bool(_RANGE_BEFORE.search(before) or _RANGE_AFTER.match(after) or _SHARED.match(after))


_KINDS = (
    (_COUNT, "count"),
    (_SHARE, "share"),
    (_MONEY, "money"),
    (_NEW, "new"),
    (_TALLY, "count"),
    (_RATE, "rate"),
    (_SPLIT, "split"),
)


def add_figures(
    source: SourceText, facts: Facts, document: URIRef, *, titled: Sequence[tuple[str, URIRef]] = ()
) -> int:
    """State the figures `source` gives; return how many. `titled`: (title, document) of the documents
    known by title alone (a statement), which a figure of their signatories concerns."""
    # How recommendations split by addressee is numbered after the other figures, so that adding
    # that shape left the figures stated before it with the IRIs they had.
    count = _add(source, facts, document, _KINDS[:-1], start=0, titled=titled)
    return _add(source, facts, document, _KINDS[-1:], start=count, titled=titled)


def _add(
    source: SourceText,
    facts: Facts,
    document: URIRef,
    kinds: tuple[tuple[re.Pattern[str], str], ...],
    *,
    start: int,
    titled: Sequence[tuple[str, URIRef]],
) -> int:
    count = start
    for paragraph in source.paragraphs():
        if _is_table(source, paragraph):
            continue
        # Links are page furniture; blanked, not cut, so that offsets still find their lines.
        text = re.sub(r"https?://\S+", lambda link: " " * len(link.group()), paragraph.text)
        found: list[tuple[re.Match[str], str]] = []
        for pattern, kind in kinds:
            found += [(m, kind) for m in pattern.finditer(text) if not _refused(text, m)]
        taken: set[int] = set()
        for match, kind in sorted(found, key=lambda item: item[0].start()):
            number = match.start("chinese") if match.groupdict().get("chinese") else match.start("number")
            if number in taken:
                continue  # one number read by two shapes is one figure
            taken.add(number)
            if kind == "split" and not _CONTAINED.search(text[: match.start()]):
                continue  # whose recommendations they are is not said
            bounds = _sentence(text, match.start(), match.end())
            if bounds is None:
                continue  # the sentence runs on past the paragraph: what it says is not read
            if not text[: bounds[0]].strip() and _continues(source, paragraph):
                continue  # the sentence began before the paragraph
            count += 1
            sentence = re.sub(r"^\(?[a-z\d]{1,3}[.)]\s*", "", text[bounds[0] : bounds[1]].strip())
            _figure(source, facts, document, paragraph, match, kind, count, sentence, titled)
    return count


# A sentence in which a document speaks of its own contents: '本次审查报告载有五项正式建议',
# '附件二载有向产权组织行政首长提出的 20 项建议'; '审查报告还载有…' after a sentence that opened so.
_OWN = re.compile(r"^(?:本(?:次)?(?:审查)?(?:报告|说明|文件)|附件[一二三四五六七八九十]+)(?:还)?载有")
_OWN_AGAIN = re.compile(r"^(?:审查)?报告还载有")
_OWN_BEFORE = re.compile(r"本(?:次)?(?:审查)?(?:报告|说明|文件)载有")


def _clause(sentence: str, before: str) -> str:
    """The clause of `sentence` that holds the figure, which starts where `before` ends."""
    start = max(before.rfind(mark) for mark in "，,；;：:") + 1
    ends = [i for i in (sentence.find(mark, len(before)) for mark in "，,；;：:。") if i >= 0]
    return sentence[start : min(ends) if ends else len(sentence)]


def _concerns(
    facts: Facts,
    document: URIRef,
    sentence: str,
    before: str,
    paragraph_before: str,
    titled: Sequence[tuple[str, URIRef]],
) -> list[URIRef]:
    """What the figure's sentence says it is about, where it names it (see unkg:concerns)."""
    found: list[URIRef] = []
    if _OWN.match(sentence) or (_OWN_AGAIN.match(sentence) and _OWN_BEFORE.search(paragraph_before)):
        found.append(document)
    clause = _clause(sentence, before)
    if "签署" in clause:
        # A statement whose signatories are counted: '签署了《相互承认声明》的21个…组织',
        # '该声明业经23个组织…签署'.
        for title, statement in titled:
            named = title in clause or (f"该{title[-2:]}" in clause and title in before)
            if named:
                found.append(statement)
    if re.search(r"(?:该|这项|此项)建议", clause):
        # '<symbol> 中…的建议 9 仍然具有相关性，特别是考虑到只有 26% 的…组织实施了该建议'
        cited = cited_recommendations(before)
        if len(cited) == 1:
            recommendation = recommendation_iri(facts, cited[0][0], cited[0][1])
            if (recommendation, RDF.type, UNKG.FormalRecommendation) in facts.graph:
                found.append(recommendation)
    return found


def _figure(
    source: SourceText,
    facts: Facts,
    document: URIRef,
    paragraph: Paragraph,
    match: re.Match[str],
    kind: str,
    index: int,
    sentence: str,
    titled: Sequence[tuple[str, URIRef]],
) -> None:
    groups = match.groupdict()
    if match.re in (_TALLY, _RATE):
        start = match.start()
    elif groups.get("qualifier"):
        start = match.start("qualifier")
    else:
        start = match.start("chinese" if groups.get("chinese") else "number")
    span = source.span(source.line_at(paragraph, start), source.line_at(paragraph, match.end() - 1))
    figure = facts.iri(f"figure/{facts.source_slug}/{index}")
    value = _value(match)
    qualifier = groups.get("qualifier") or groups.get("odd")
    facts.add(figure, RDF.type, UNKG.Figure, span)
    facts.add(figure, UNKG.statedIn, document, span)
    if kind == "split":
        contained = _CONTAINED.findall(paragraph.text[: match.start()])
        facts.add(figure, RDF.value, Literal(int(value), datatype=XSD.integer), span)
        facts.text(figure, UNKG.countOf, f"{groups['whom']}的{contained[-1]}", span)
    elif kind in ("count", "new"):
        scaled = value * _SCALE.get(groups.get("scale") or "", 1)
        facts.add(figure, RDF.value, Literal(int(scaled), datatype=XSD.integer), span)
        facts.text(figure, UNKG.countOf, "新建议" if kind == "new" else groups["counted"], span)
    elif kind == "rate":
        facts.add(figure, RDF.value, Literal(value, datatype=XSD.decimal), span)
        facts.text(figure, UNKG.unitText, "%", span)
        facts.text(figure, UNKG.measure, groups["measure"], span)
    elif kind == "share":
        facts.add(figure, RDF.value, Literal(value, datatype=XSD.decimal), span)
        facts.text(figure, UNKG.unitText, "%", span)
        facts.text(figure, UNKG.countOf, groups["counted"], span)
    else:
        scaled = value * _SCALE.get(groups["scale"] or "", 1)
        facts.add(figure, RDF.value, Literal(scaled, datatype=XSD.decimal), span)
        facts.text(figure, UNKG.unitText, "美元", span)
    if qualifier:
        facts.add(figure, UNKG.valueQualifier, Literal(QUALIFIERS[qualifier]), span)
    facts.text(figure, UNKG.figureText, paragraph.text[start : match.end()].strip(), span)
    facts.text(figure, UNKG.sentence, sentence, span)
    before = sentence[: max(sentence.find(match.group(0).strip()), 0)]
    for concerned in _concerns(facts, document, sentence, before, paragraph.text[: match.start()], titled):
        facts.add(figure, UNKG.concerns, concerned, span)
    as_of = next(reversed(list(_AS_OF.finditer(before))), None)
    if as_of is not None:
        year, month, day = as_of.groups()
        if day and month:
            date = Literal(f"{year}-{int(month):02d}-{int(day):02d}", datatype=XSD.date)
        elif month:
            date = Literal(f"{year}-{int(month):02d}", datatype=XSD.gYearMonth)
        else:
            date = Literal(year, datatype=XSD.gYear)
        facts.add(figure, UNKG.statedAsOf, date, span)
