"""Identity across sources: a document that one source contains in full and another cites by symbol is
one node. The match is made from evidence (title and recommendation texts) and the evidence recorded.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from rdflib import PROV, RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from service.rdf import UNKG

#: A match is taken when its score reaches this and clearly beats the next candidate.
THRESHOLD = 0.6
MARGIN = 0.1
METHOD = "title and recommendation text similarity"
_NOISE = re.compile(r"[\s\W_]+")


def similarity(left: str, right: str) -> float:
    """How alike two Chinese texts are, from 0 to 1, ignoring spaces and punctuation.

    >>> own, cited = "审查联合国系统内相互承认原则的执行情况", "审查联合国系统内部实施相互承认原则的情况"
    >>> round(similarity(own, cited), 2)
    0.87
    """
    a, b = _NOISE.sub("", left), _NOISE.sub("", right)
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


@dataclass(frozen=True)
class Candidate:
    """A document with a symbol, as some source describes it."""

    iri: URIRef
    source: URIRef | None
    titles: tuple[str, ...]
    texts: dict[int, tuple[str, ...]]


@dataclass(frozen=True)
class Match:
    candidate: Candidate
    score: float


def candidates(graph: Graph) -> list[Candidate]:
    """Documents with a symbol in `graph`, with their titles and their formal recommendations' texts."""
    found = []
    for document in set(graph.subjects(UNKG.symbol, None)):
        if not isinstance(document, URIRef):
            continue
        titles = tuple(
            str(t) for p in (DCTERMS.title, DCTERMS.alternative) for t in graph.objects(document, p)
        )
        if not titles:
            continue
        texts: dict[int, tuple[str, ...]] = {}
        for recommendation in graph.objects(document, UNKG.hasRecommendation):
            if (recommendation, RDF.type, UNKG.FormalRecommendation) not in graph:
                continue
            number = graph.value(recommendation, UNKG.recommendationNumber)
            values = [str(t) for p in (UNKG.text, UNKG.quotedText) for t in graph.objects(recommendation, p)]
            if number is not None and values:
                texts[int(str(number))] = tuple(values)
        source = next(
            (s for s in graph.objects(document, PROV.wasDerivedFrom) if isinstance(s, URIRef)), None
        )
        found.append(Candidate(iri=document, source=source, titles=titles, texts=texts))
    return found


def best_match(graph: Graph, document: URIRef, pool: list[Candidate]) -> Match | None:
    """The candidate `document` (no symbol of its own) most likely is, if one stands out."""
    title = graph.value(document, DCTERMS.title)
    if title is None:
        return None
    own_texts: dict[int, str] = {}
    for recommendation in graph.objects(document, UNKG.hasRecommendation):
        if (recommendation, RDF.type, UNKG.FormalRecommendation) in graph:
            number, text = (
                graph.value(recommendation, UNKG.recommendationNumber),
                graph.value(recommendation, UNKG.text),
            )
            if number is not None and text is not None:
                own_texts[int(str(number))] = str(text)
    scored = []
    for candidate in pool:
        if candidate.iri == document:
            continue
        title_score = max(similarity(str(title), other) for other in candidate.titles)
        shared = [n for n in own_texts if n in candidate.texts]
        if shared:
            text_score = sum(
                max(similarity(own_texts[n], t) for t in candidate.texts[n]) for n in shared
            ) / len(shared)
            score = (title_score + text_score) / 2
        else:
            score = title_score
        scored.append(Match(candidate=candidate, score=score))
    scored.sort(key=lambda match: match.score, reverse=True)
    if not scored or scored[0].score < THRESHOLD:
        return None
    if len(scored) > 1 and scored[0].score - scored[1].score < MARGIN:
        return None
    return scored[0]


def rename(graph: Graph, old: URIRef, new: URIRef) -> Graph:
    """A copy of `graph` where `old` and the IRIs minted under it (recommendations, addressings) are `new`."""
    old_slug, new_slug = str(old).rsplit("/", 1)[-1], str(new).rsplit("/", 1)[-1]
    base = str(old).rsplit("/document/", 1)[0]
    prefixes = [
        (f"{base}/{kind}/{old_slug}/", f"{base}/{kind}/{new_slug}/")
        for kind in ("recommendation", "addressing")
    ]

    def moved(term: object) -> object:
        if term == old:
            return new
        if isinstance(term, URIRef):
            for before, after in prefixes:
                if str(term).startswith(before):
                    return URIRef(after + str(term)[len(before) :])
        return term

    renamed = Graph()
    for subject, predicate, obj in graph:
        renamed.add((moved(subject), predicate, moved(obj)))  # type: ignore[arg-type]
    return renamed


def record_match(graph: Graph, document: URIRef, match: Match, *, evidence: URIRef, source: URIRef) -> None:
    """State why `document` was taken for the candidate, next to the evidence of its own title."""
    title_evidence = next(
        (e for e in graph.objects(document, UNKG.evidence) if (e, UNKG.supports, DCTERMS.title) in graph),
        None,
    )
    graph.add((evidence, RDF.type, UNKG.IdentityEvidence))
    graph.add((evidence, PROV.wasQuotedFrom, source))
    if title_evidence is not None:
        for predicate in (UNKG.lineStart, UNKG.lineEnd, UNKG.quote):
            value = graph.value(title_evidence, predicate)
            if value is not None:
                graph.add((evidence, predicate, value))
    graph.add((evidence, UNKG.matchMethod, Literal(METHOD)))
    graph.add((evidence, UNKG.matchScore, Literal(f"{match.score:.3f}", datatype=XSD.decimal)))
    if match.candidate.source is not None:
        graph.add((evidence, UNKG.matchedSource, match.candidate.source))
    graph.add((document, UNKG.evidence, evidence))
