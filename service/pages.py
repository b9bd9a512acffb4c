"""HTML pages for people: a resource with its labels in zh and en, its links, and its sources."""

from __future__ import annotations

from collections import defaultdict
from html import escape

from rdflib import PROV, RDF, Graph, Literal, URIRef
from rdflib.term import Node

from service.rdf import UNKG
from service.sparql.results import Row

_LABELS = [
    URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
    URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
    URIRef("http://purl.org/dc/terms/title"),
    URIRef("http://xmlns.com/foaf/0.1/name"),
]
_STYLE = """body{font-family:system-ui,"Noto Sans SC","PingFang SC",sans-serif;max-width:70rem;
margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.5}a{color:#0b5cad}
h1 small{color:#555;font-weight:normal;font-size:.6em}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;
border-bottom:1px solid #ddd}th{width:22%;font-weight:600}code{font-size:.9em}.lang{color:#777;font-size:.8em}
blockquote{margin:.2rem 0;color:#333;border-left:3px solid #ccc;padding-left:.6rem}nav a{margin-right:1rem}"""


def _by_language(graph: Graph, node: Node) -> dict[str, str]:
    found: dict[str, str] = {}
    for predicate in _LABELS:
        for value in graph.objects(node, predicate):
            if isinstance(value, Literal):
                found.setdefault(value.language or "", str(value))
    return found


def _href(node: URIRef, base_iri: str) -> str:
    prefix = f"{base_iri}id/"
    return "/doc/" + str(node)[len(prefix) :] if str(node).startswith(prefix) else str(node)


def _link(node: URIRef, graph: Graph, names: dict[Node, dict[str, str]], base_iri: str) -> str:
    label = _by_language(graph, node) or names.get(node, {})
    text = (
        label.get("zh") or label.get("en") or next(iter(label.values()), None) or str(node).rsplit("/", 1)[-1]
    )
    other = label.get("en") if label.get("zh") and label.get("en") else None
    extra = f' <span class="lang">{escape(other)}</span>' if other else ""
    return f'<a href="{escape(_href(node, base_iri))}" title="{escape(str(node))}">{escape(text)}</a>{extra}'


def _value(node: Node, graph: Graph, names: dict[Node, dict[str, str]], base_iri: str) -> str:
    if isinstance(node, URIRef):
        return _link(node, graph, names, base_iri)
    if isinstance(node, Literal):
        language = f' <span class="lang">@{escape(node.language)}</span>' if node.language else ""
        return f"{escape(str(node))}{language}"
    return escape(str(node))


def _recommendation_title(graph: Graph, resource: URIRef) -> dict[str, str]:
    """'<report> · 建议 N' for a recommendation, which has a number rather than a name."""
    number, report = graph.value(resource, UNKG.recommendationNumber), graph.value(resource, UNKG.inReport)
    if number is None or report is None:
        return {}
    kind = "非正式建议" if (resource, RDF.type, UNKG.InformalRecommendation) in graph else "建议"
    report_name = _by_language(graph, report).get("zh") or str(report).rsplit("/", 1)[-1]
    return {"zh": f"{report_name} · {kind} {number}"}


def _section(title: str, english: str, rows: list[str]) -> str:
    return f"<h2>{title} <small>{english}</small></h2><table>{''.join(rows)}</table>" if rows else ""


def _line(graph: Graph, evidence: Node) -> int:
    start = graph.value(evidence, UNKG.lineStart)
    return int(str(start)) if start is not None else 0


def resource_page(
    resource: URIRef, graph: Graph, labels: list[Row], *, base_iri: str, history: str | None = None
) -> bytes:
    """The page of `resource` from its description `graph` and the labels of its properties and classes;
    `history` links to the changesets that touched it."""
    names: dict[Node, dict[str, str]] = defaultdict(dict)
    for row in labels:
        label = row["label"]
        if isinstance(label, Literal):
            names[row["term"]].setdefault(label.language or "", str(label))
    names[RDF.type] = {"zh": "类型", "en": "type"}
    own = _by_language(graph, resource) or _recommendation_title(graph, resource)
    title = own.get("zh") or own.get("en") or str(resource).rsplit("/", 1)[-1]
    subtitle = (own.get("en") or "") if own.get("zh") else ""
    rows = []
    predicates = sorted(
        {p for p in graph.predicates(resource) if p not in (UNKG.evidence, PROV.wasDerivedFrom)},
        key=lambda p: (p != RDF.type, names.get(p, {}).get("zh", str(p))),
    )
    for predicate in predicates:
        shown = names.get(predicate, {})
        heading = escape(shown.get("zh", str(predicate).rsplit("#", 1)[-1].rsplit("/", 1)[-1]))
        if shown.get("en"):
            heading += f' <span class="lang">{escape(shown["en"])}</span>'
        values = sorted(graph.objects(resource, predicate), key=str)
        cells = "<br>".join(_value(value, graph, names, base_iri) for value in values)
        rows.append(f'<tr><th title="{escape(str(predicate))}">{heading}</th><td>{cells}</td></tr>')
    inbound = []
    for subject, predicate in sorted(graph.subject_predicates(resource), key=str):
        if isinstance(subject, URIRef):
            relation = names.get(predicate, {}).get("zh", str(predicate).rsplit("#", 1)[-1])
            inbound.append(
                f"<tr><th>{escape(relation)}</th><td>{_link(subject, graph, names, base_iri)}</td></tr>"
            )
    sources = []
    for evidence in sorted(graph.objects(resource, UNKG.evidence), key=lambda e: _line(graph, e)):
        source = graph.value(evidence, PROV.wasQuotedFrom)
        start, end = graph.value(evidence, UNKG.lineStart), graph.value(evidence, UNKG.lineEnd)
        supported = ", ".join(
            escape(names.get(p, {}).get("zh", str(p).rsplit("#", 1)[-1]))
            for p in graph.objects(evidence, UNKG.supports)
        )
        where = _link(source, graph, names, base_iri) if isinstance(source, URIRef) else ""
        lines = f"第 {start}–{end} 行" if start != end else f"第 {start} 行"
        quote = escape(str(graph.value(evidence, UNKG.quote) or ""))
        sources.append(
            f"<tr><th>{where}<br>{lines}</th><td><blockquote>{quote}</blockquote>{supported}</td></tr>"
        )
    alternates = " · ".join(
        f'<a href="{escape(_href(resource, base_iri))}{extension}">{name}</a>'
        for extension, name in (
            (".ttl", "Turtle"),
            (".jsonld", "JSON-LD"),
            (".nt", "N-Triples"),
            (".rdf", "RDF/XML"),
        )
    )
    if history:
        alternates += f' · <a href="{escape(history)}">变更历史 History</a>'
    page = _href(resource, base_iri)
    body = f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{escape(title)} · unkg</title><style>{_STYLE}</style>
<link rel="alternate" type="text/turtle" href="{escape(page)}.ttl">
<link rel="alternate" type="application/ld+json" href="{escape(page)}.jsonld"></head>
<body><nav><a href="/">unkg</a><a href="/sparql">SPARQL</a><a href="/docs">API</a></nav>
<h1>{escape(title)} <small>{escape(subtitle)}</small></h1>
<p><code>{escape(str(resource))}</code><br>{alternates}</p>
<table>{"".join(rows)}</table>
{_section("指向本资源", "Linked from", inbound)}
{_section("出处", "Where each fact comes from", sources)}
</body></html>"""
    return body.encode("utf-8")


def ontology_page(ontology: Graph) -> bytes:
    """Documentation of the ontology: every class and property with its zh/en labels and definitions."""
    owl = "http://www.w3.org/2002/07/owl#"
    definition = URIRef("http://www.w3.org/2004/02/skos/core#definition")
    sections = []
    for kind, title in (
        (f"{owl}Class", "类 Classes"),
        (f"{owl}ObjectProperty", "对象属性 Object properties"),
        (f"{owl}DatatypeProperty", "数据属性 Datatype properties"),
    ):
        rows = []
        for term in sorted(set(ontology.subjects(RDF.type, URIRef(kind))), key=str):
            labels = _by_language(ontology, term)
            definitions = {
                value.language or "": str(value)
                for value in ontology.objects(term, definition)
                if isinstance(value, Literal)
            }
            anchor = escape(str(term).rsplit("#", 1)[-1])
            rows.append(
                f'<tr id="{anchor}"><th><code>{escape(str(term))}</code><br>{escape(labels.get("zh", ""))} '
                f'<span class="lang">{escape(labels.get("en", ""))}</span></th>'
                f"<td>{escape(definitions.get('zh', ''))}<br>"
                f'<span class="lang">{escape(definitions.get("en", ""))}</span></td></tr>'
            )
        sections.append(f"<h2>{title}</h2><table>{''.join(rows)}</table>")
    body = f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>unkg 本体 · ontology</title><style>{_STYLE}</style>
<link rel="alternate" type="text/turtle" href="/ontology.ttl"></head>
<body><nav><a href="/">unkg</a><a href="/sparql">SPARQL</a><a href="/ontology.ttl">Turtle</a></nav>
<h1>联合国系统知识图谱本体 <small>UN System Knowledge Graph ontology</small></h1>
<p><code>https://w3id.org/unkg/ontology</code></p>{"".join(sections)}</body></html>"""
    return body.encode("utf-8")
