"""The HTML query page a browser gets at /sparql: an editor with SPARQL highlighting, the prefixes we
use, example queries over our own data, and results as a table.

Everything is in this one page (no CDN, no build step), so it works on a server with no internet.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape

#: The prefixes our data uses; the editor can insert them, and every example starts with its own.
PREFIXES = {
    "unkg": "https://w3id.org/unkg/ontology#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "cito": "http://purl.org/spar/cito/",
    "prov": "http://www.w3.org/ns/prov#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


@dataclass(frozen=True)
class Example:
    title: str
    title_zh: str
    body: str

    @property
    def query(self) -> str:
        used = [name for name in PREFIXES if f"{name}:" in self.body]
        return "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in used) + self.body


#: Drawn from the bundled sources; tests check that each one finds something in them.
EXAMPLES = [
    Example(
        "Formal recommendations of the JIU report, with their text",
        "联检组报告的正式建议及其案文",
        """SELECT ?number ?text WHERE {
  ?recommendation a unkg:FormalRecommendation ;
                  unkg:recommendationNumber ?number ;
                  unkg:text ?text .
}
ORDER BY ?number""",
    ),
    Example(
        "How WIPO reports the acceptance of JIU recommendations",
        "产权组织报告的联检组建议接受情况",
        """SELECT ?acceptance (COUNT(?assessment) AS ?assessments) WHERE {
  ?assessment a unkg:StatusAssessment ;
              unkg:acceptance ?status .
  ?status skos:prefLabel ?acceptance .
  FILTER(LANG(?acceptance) = "en")
}
GROUP BY ?acceptance
ORDER BY DESC(?assessments)""",
    ),
    Example(
        "Bodies and the bodies they belong to (CEB, HLCM, HLCP and their networks)",
        "机构及其上级机构（行政首长协调会、管理问题高级别委员会、方案问题高级别委员会及其网络）",
        """SELECT ?body ?name ?parentName WHERE {
  ?body org:subOrganizationOf ?parent ;
        skos:prefLabel ?name .
  ?parent skos:prefLabel ?parentName .
  FILTER(LANG(?name) = "zh" && LANG(?parentName) = "zh")
}
ORDER BY ?parentName ?name""",
    ),
    Example(
        "Resolutions the reports cite",
        "报告引用的决议",
        """SELECT ?report ?resolution WHERE {
  ?report cito:cites ?resolution .
  ?resolution a unkg:Resolution .
}
LIMIT 50""",
    ),
    Example(
        "Where a fact comes from: quotes and lines of the sources",
        "事实出自何处：来源的引文和行号",
        """SELECT ?quote ?lineStart ?lineEnd WHERE {
  ?evidence a unkg:Evidence ;
            unkg:quote ?quote ;
            unkg:lineStart ?lineStart ;
            unkg:lineEnd ?lineEnd .
}
ORDER BY ?lineStart
LIMIT 20""",
    ),
]

_STYLE = """body{font-family:system-ui,"Noto Sans SC","PingFang SC",sans-serif;max-width:80rem;
margin:1.5rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.45}a{color:#0b5cad}
h1 small{color:#555;font-weight:normal;font-size:.6em}
.editor{position:relative;height:18rem;border:1px solid #bbb;border-radius:4px;
font:14px/1.45 ui-monospace,Menlo,Consolas,monospace}
.editor pre,.editor textarea{position:absolute;inset:0;margin:0;padding:.6rem;overflow:auto;
white-space:pre-wrap;word-wrap:break-word;font:inherit;border:0;box-sizing:border-box}
.editor textarea{color:transparent;background:transparent;caret-color:#000;resize:none;outline:none}
.kw{color:#8250df;font-weight:600}.var{color:#0a6a3f}.iri{color:#0b5cad}.str{color:#a0420c}.cmt{color:#777}
.pn{color:#1f6feb}.num{color:#b35900}button,select{font:inherit;margin:.5rem .4rem .5rem 0}
table{border-collapse:collapse;width:100%;font-size:.92em}th,td{text-align:left;vertical-align:top;
padding:.3rem .5rem;border-bottom:1px solid #ddd}th{background:#f4f4f4}#status{color:#555}
.error{color:#b00020;white-space:pre-wrap}.lang{color:#777;font-size:.8em}"""

_SCRIPT = r"""
const KEYWORDS = new RegExp("^(" + [
  "SELECT|CONSTRUCT|DESCRIBE|ASK|WHERE|FROM|NAMED|PREFIX|BASE|OPTIONAL|FILTER|UNION|MINUS|GRAPH|SERVICE",
  "SILENT|BIND|VALUES|AS|GROUP|BY|ORDER|ASC|DESC|HAVING|LIMIT|OFFSET|DISTINCT|REDUCED|NOT|EXISTS|IN",
  "COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT|SEPARATOR|a|true|false|LANG|LANGMATCHES|STR|REGEX|CONTAINS",
  "STRSTARTS|LCASE|UCASE|BOUND|IF|COALESCE|isIRI|isLiteral|isBlank|DATATYPE|YEAR|NOW|CONCAT",
].join("|") + ")$", "i");
const TOKENS = new RegExp([
  /(#[^\n]*)/.source,                                        // comment
  /("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')/.source,        // string
  /(<[^<>\s"]*>)/.source,                                    // IRI
  /([?$]\w+)/.source,                                        // variable
  /([A-Za-z][\w.-]*)?:([\w.-]*)/.source,                      // prefixed name
  /(\b\d+(?:\.\d+)?\b)/.source,                              // number
  /([A-Za-z_]+)/.source,                                      // word
].join("|"), "g");
const esc = s => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
function highlight(text) {
  let out = "", last = 0;
  for (const m of text.matchAll(TOKENS)) {
    out += esc(text.slice(last, m.index));
    const t = esc(m[0]);
    let cls = m[1] ? "cmt" : m[2] ? "str" : m[3] ? "iri" : m[4] ? "var" : m[7] ? "num"
      : m[8] ? (KEYWORDS.test(m[8]) ? "kw" : "") : "pn";
    out += cls ? `<span class="${cls}">${t}</span>` : t;
    last = m.index + m[0].length;
  }
  return out + esc(text.slice(last)) + "\n";
}
const area = document.getElementById("query"), shown = document.getElementById("highlighted");
const sync = () => { shown.innerHTML = highlight(area.value); shown.scrollTop = area.scrollTop; };
area.addEventListener("input", sync);
area.addEventListener("scroll", () => { shown.scrollTop = area.scrollTop; });
area.addEventListener("keydown", e => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); }
  if (e.key === "Tab") { e.preventDefault(); document.execCommand("insertText", false, "  "); }
});
const EXAMPLES = JSON.parse(document.getElementById("examples").textContent);
document.getElementById("example").addEventListener("change", e => {
  if (e.target.value !== "") { area.value = EXAMPLES[e.target.value].query; sync(); }
});
document.getElementById("prefixes").addEventListener("click", () => {
  const lines = PREFIXES.filter(p => !area.value.includes(p));
  area.value = lines.join("\n") + (lines.length ? "\n" : "") + area.value; sync();
});
const PREFIXES = JSON.parse(document.getElementById("prefix-lines").textContent);
function cell(term) {
  if (!term) return "";
  if (term.type === "uri") {
    return `<a href="${esc(term.value)}">${esc(term.value)}</a>`;
  }
  const lang = term["xml:lang"] ? ` <span class="lang">@${esc(term["xml:lang"])}</span>` : "";
  return esc(term.value) + lang;
}
async function run() {
  const status = document.getElementById("status"), results = document.getElementById("results");
  status.textContent = "…"; results.innerHTML = "";
  const started = performance.now();
  const response = await fetch(ENDPOINT, {method: "POST", body: new URLSearchParams({query: area.value}),
    headers: {"Accept": "application/sparql-results+json, text/turtle;q=0.9"}});
  const took = Math.round(performance.now() - started);
  const type = response.headers.get("content-type") || "";
  if (!response.ok) {
    const body = await response.json().catch(() => ({detail: response.statusText}));
    status.textContent = `${response.status} (${took} ms)`;
    results.innerHTML = `<p class="error">${esc(String(body.detail))}</p>`;
    return;
  }
  const cut = response.headers.get("unkg-truncated");
  if (type.startsWith("text/turtle")) {
    results.innerHTML = `<pre>${esc(await response.text())}</pre>`;
    status.textContent = `${took} ms` + (cut ? ` · cut: ${cut}` : ""); return;
  }
  const data = await response.json();
  if ("boolean" in data) {
    results.innerHTML = `<p><strong>${data.boolean}</strong></p>`;
    status.textContent = `${took} ms`;
    return;
  }
  const vars = data.head.vars, rows = data.results.bindings;
  const head = vars.map(v => `<th>?${esc(v)}</th>`).join("");
  const body = rows.map(r => "<tr>" + vars.map(v => `<td>${cell(r[v])}</td>`).join("") + "</tr>").join("");
  results.innerHTML = `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
  status.textContent = `${rows.length} rows · ${took} ms` + (cut ? ` · cut: ${cut}` : "");
}
document.getElementById("run").addEventListener("click", run);
sync();
"""


def _in_script(text: str) -> str:
    """JSON that cannot end the <script> element it sits in."""
    return text.replace("</", "<\\/")


def query_page(endpoint: str) -> bytes:
    """The page for the endpoint at `endpoint`, with the first example in the editor."""
    examples = json.dumps([{"title": e.title, "query": e.query} for e in EXAMPLES], ensure_ascii=False)
    prefix_lines = json.dumps([f"PREFIX {name}: <{iri}>" for name, iri in PREFIXES.items()])
    options = "".join(
        f'<option value="{i}">{escape(e.title_zh)} · {escape(e.title)}</option>'
        for i, e in enumerate(EXAMPLES)
    )
    formats = " · ".join(
        f'<a href="#" data-format="{name}" class="download">{label}</a>'
        for name, label in (("json", "JSON"), ("xml", "XML"), ("csv", "CSV"), ("tsv", "TSV"))
    )
    html = f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>SPARQL · unkg</title><style>{_STYLE}</style></head>
<body>
<h1>SPARQL 查询 <small>SPARQL query · UN System Knowledge Graph</small></h1>
<p>Endpoint <code>{escape(endpoint)}</code> (SPARQL 1.1; the default graph is the union of all graphs) ·
<a href="{escape(endpoint)}?format=turtle">service description</a> · <a href="/.well-known/void">VoID</a> ·
<a href="/ontology">ontology</a></p>
<label>示例 Examples <select id="example"><option value="">—</option>{options}</select></label>
<button id="prefixes" type="button">+ PREFIX</button>
<div class="editor"><pre id="highlighted" aria-hidden="true"></pre>
<textarea id="query" spellcheck="false" aria-label="SPARQL query">{escape(EXAMPLES[0].query)}</textarea></div>
<button id="run" type="button">运行 Run (Ctrl+Enter)</button> <span id="status"></span>
<span>Download: {formats}</span>
<div id="results"></div>
<script type="application/json" id="examples">{_in_script(examples)}</script>
<script type="application/json" id="prefix-lines">{_in_script(prefix_lines)}</script>
<script>const ENDPOINT = {json.dumps(endpoint)};{_SCRIPT}
document.querySelectorAll("a.download").forEach(a => a.addEventListener("click", e => {{
  e.preventDefault();
  window.location = ENDPOINT + "?" + new URLSearchParams({{query: area.value, format: a.dataset.format}});
}}));
</script>
</body></html>"""
    return html.encode()
