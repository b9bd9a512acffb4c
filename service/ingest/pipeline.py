"""Ingestion: read → extract → resolve identities → validate → replace each source's named graph.

Each source is its own named graph, replaced atomically, and only when its text, the reference data
or unkg changed since it was ingested (checksums in the system graph): running it again writes nothing.
A source that does not parse, or whose facts break a shape, leaves its previous graph untouched.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from rdflib import PROV, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF

from service import __version__
from service.curation.replay import replay_curation
from service.errors import ServiceError
from service.ingest import (
    extract_ceb_report,
    extract_jiu_report,
    extract_progress_report,
    extract_sg_report,
    figures,
    identity,
    members,
    signatories,
)
from service.ingest.bodies import BodyIndex
from service.ingest.facts import Facts
from service.ingest.symbols import SYMBOL, slug
from service.ingest.text import ExtractionError, SourceText
from service.rdf import UNKG, graph_iri, iri, term
from service.sparql.results import construct
from service.stores.base import SparqlStore
from service.stores.versioned import VersionedStore
from service.validation import ValidationResult, Validator

logger = logging.getLogger(__name__)

Extractor = Callable[[SourceText, Facts, BodyIndex, URIRef], list[str]]


@dataclass(frozen=True)
class Kind:
    """A kind of source: how to recognise it, where it states its own symbol, and its extractor."""

    name: str
    recognises: Callable[[SourceText], bool]
    extract: Extractor
    own_symbol: Callable[[SourceText], str | None]


def symbol_at_top(source: SourceText) -> str | None:
    """A symbol in the first lines (WO/PBC/38/2 heads its own first page)."""
    top = (SYMBOL.search(line) for _, line in source.numbered(1, 10))
    return next((found.group(1) for found in top if found), None)


def _no_symbol(source: SourceText) -> str | None:
    return None


def _jiu_report(source: SourceText, facts: Facts, bodies: BodyIndex, document: URIRef) -> list[str]:
    extract_jiu_report.extract(source, facts=facts, bodies=bodies, document=document)
    return []


def _progress_report(source: SourceText, facts: Facts, bodies: BodyIndex, document: URIRef) -> list[str]:
    return extract_progress_report.extract(source, facts=facts, bodies=bodies, document_node=document)


def _ceb_report(source: SourceText, facts: Facts, bodies: BodyIndex, document: URIRef) -> list[str]:
    return extract_ceb_report.extract(source, facts=facts, bodies=bodies, document=document)


def _sg_report(source: SourceText, facts: Facts, bodies: BodyIndex, document: URIRef) -> list[str]:
    return extract_sg_report.extract(source, facts=facts, bodies=bodies, document=document)


#: The kinds unkg reads; the first that recognises a source takes it.
KINDS = [
    Kind(extract_jiu_report.KIND, extract_jiu_report.is_jiu_report, _jiu_report, _no_symbol),
    Kind(
        extract_progress_report.KIND,
        extract_progress_report.is_progress_report,
        _progress_report,
        symbol_at_top,
    ),
    Kind(extract_ceb_report.KIND, extract_ceb_report.is_ceb_report, _ceb_report, _no_symbol),
    Kind(extract_sg_report.KIND, extract_sg_report.is_sg_report, _sg_report, extract_sg_report.own_symbol),
]


class IngestError(ServiceError):
    """A source that could not be ingested; names the file and, when known, the line."""

    code = "ingest_error"

    def __init__(self, path: Path, message: str, *, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


@dataclass
class Extracted:
    path: Path
    slug: str
    kind: str
    graph_iri: str
    source_iri: URIRef
    document: URIRef
    checksum: str
    graph: Graph
    warnings: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    """What happened to one source."""

    path: Path
    graph_iri: str | None = None
    kind: str | None = None
    status: str = "failed"  # ingested | unchanged | failed
    triples: int = 0
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    violations: list[ValidationResult] = field(default_factory=list)


def source_slug(path: Path) -> str:
    """The identifier of a source file: its name without language and extension.

    >>> source_slug(Path("data/sources/WO-PBC-38-2-jiu-recommendations-progress.zh.txt"))
    'wo-pbc-38-2-jiu-recommendations-progress'
    """
    name = re.sub(r"(\.[a-z]{2})?\.(txt|md)$", "", path.name.lower())
    return re.sub(r"[^a-z0-9]+", "-", name).strip("-")


def extract(content: bytes, *, path: Path, base_iri: str, bodies: BodyIndex, checksum: str) -> Extracted:
    """Turn one source's bytes into its graph. Pure: reads no file, opens no connection."""
    source = SourceText(content, name=path.name)
    kind = next((kind for kind in KINDS if kind.recognises(source)), None)
    if kind is None:
        known = ", ".join(kind.name for kind in KINDS)
        raise ExtractionError(f"cannot tell what kind of document {path.name} is (unkg reads: {known})")
    name = source_slug(path)
    # A document that states its own symbol is named after it; the others after their file.
    own_symbol = kind.own_symbol(source)
    document = URIRef(f"{base_iri}id/document/{slug(own_symbol) if own_symbol else name}")
    source_iri = URIRef(f"{base_iri}id/source/{name}")
    facts = Facts(base_iri=base_iri, source=source_iri, source_slug=name)
    warnings = kind.extract(source, facts, bodies, document)
    figures.add_figures(source, facts, document, titled=bodies.document_titles())
    signatories.signatories(source, facts, bodies)
    signatories.drafters(source, facts, bodies)
    members.members(source, facts, bodies)
    graph = facts.graph
    graph.add((source_iri, RDF.type, UNKG.SourceText))
    graph.add((source_iri, RDFS.label, Literal(path.name)))
    graph.add((source_iri, UNKG.textOf, document))
    graph.add((source_iri, UNKG.sha256, Literal(hashlib.sha256(content).hexdigest())))
    graph.add((source_iri, DCTERMS.language, Literal("zh")))
    graph.add((document, PROV.wasDerivedFrom, source_iri))
    _link_undocs(graph)
    return Extracted(
        path=path,
        slug=name,
        kind=kind.name,
        graph_iri=graph_iri(base_iri, f"source/{name}"),
        source_iri=source_iri,
        document=document,
        checksum=checksum,
        graph=graph,
        warnings=warnings,
    )


def _code_digest() -> str:
    """A digest of the extractors' code: a change to them re-extracts every source."""
    digest = hashlib.sha256(__version__.encode())
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.read_bytes())
    return digest.hexdigest()


def _checksum(content: bytes, reference: str) -> str:
    return hashlib.sha256(content + reference.encode() + _code_digest().encode()).hexdigest()


#: Symbols undocs.org resolves: United Nations documents (General Assembly, ECOSOC, Security Council, JIU,
#: the Secretariat's ST/ series).
UNDOCS = re.compile(r"^(A|E|S|JIU|ST)/")


def _link_undocs(graph: Graph) -> None:
    """Every UN document links to its undocs.org page (a document under two symbols, by its first)."""
    for document, symbol in list(graph.subject_objects(UNKG.symbol)):
        if UNDOCS.match(str(symbol)):
            first = re.split(r"-(?=[AES]/)", str(symbol))[0]
            graph.add((document, FOAF.page, URIRef("https://undocs.org/" + quote(first, safe="/()"))))


def _stored_graphs(store: SparqlStore, graphs: Iterable[str]) -> Graph:
    stored = Graph()
    for name in graphs:
        stored += construct(
            store, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {term(iri(name))} {{ ?s ?p ?o }} }}"
        )
    return stored


def _resolve(items: list[Extracted], others: Graph) -> None:
    """Give each symbol-less document the IRI of the document other sources cite it as, if one matches."""
    pool = identity.candidates(others)
    for item in items:
        pool += identity.candidates(item.graph)
    for item in items:
        if (item.document, UNKG.symbol, None) in item.graph:
            continue
        match = identity.best_match(
            item.graph, item.document, [c for c in pool if c.source != item.source_iri]
        )
        if match is None:
            continue
        old = item.document
        item.graph = identity.rename(item.graph, old, match.candidate.iri)
        item.document = match.candidate.iri
        evidence = URIRef(f"{str(item.source_iri).replace('/source/', '/evidence/')}/identity")
        identity.record_match(item.graph, item.document, match, evidence=evidence, source=item.source_iri)
        logger.info("%s is %s (score %.2f)", item.path.name, match.candidate.iri, match.score)


def ingest(
    store: VersionedStore,
    paths: list[Path],
    *,
    base_iri: str,
    reference: Graph,
    validator: Validator,
    force: bool = False,
) -> list[Outcome]:
    """Ingest `paths` into their named graphs; return what happened to each, in order."""
    bodies = BodyIndex(reference)
    # N-Triples lines come out in no fixed order; sorted, they digest the same in every process.
    lines = sorted(reference.serialize(format="nt").splitlines())
    reference_digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    installed = store.system.checksums(store)
    outcomes = {path: Outcome(path=path) for path in paths}
    extracted: list[Extracted] = []
    for path in paths:
        outcome = outcomes[path]
        try:
            content = path.read_bytes()
            name = source_slug(path)
            outcome.graph_iri = graph_iri(base_iri, f"source/{name}")
            checksum = _checksum(content, reference_digest)
            if not force and installed.get(outcome.graph_iri) == checksum:
                outcome.status = "unchanged"
                continue
            item = extract(content, path=path, base_iri=base_iri, bodies=bodies, checksum=checksum)
        except ExtractionError as exc:
            outcome.error = str(IngestError(path, exc.message, line=exc.line))
            continue
        except OSError as exc:
            outcome.error = str(IngestError(path, str(exc)))
            continue
        outcome.kind, outcome.warnings = item.kind, item.warnings
        extracted.append(item)
    if not extracted:
        return list(outcomes.values())

    replaced = {item.graph_iri for item in extracted}
    kept = [name for name in installed if "/graph/source/" in name and name not in replaced]
    others = _stored_graphs(store, kept)
    _resolve(extracted, others)

    candidate = Graph()
    for part in [reference, others] + [item.graph for item in extracted]:
        candidate += part
    report = validator.validate(candidate)
    failed: set[str] = set()
    for result in report.results:
        for item in extracted:
            if (result.focus_node, None, None) in item.graph:
                outcomes[item.path].violations.append(result)
                failed.add(item.graph_iri)
    now = Literal(
        datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat(), datatype=XSD.dateTime
    )
    for item in extracted:
        outcome = outcomes[item.path]
        if item.graph_iri in failed:
            outcome.error = (
                f"{item.path}: {len(outcome.violations)} SHACL violations; its graph was left as it was"
            )
            continue
        named = URIRef(item.graph_iri)
        item.graph.add((named, PROV.wasDerivedFrom, item.source_iri))
        item.graph.add((named, PROV.generatedAtTime, now))
        data = item.graph.serialize(format="nt", encoding="utf-8")
        outcome.triples = store.load(
            data, media_type="application/n-triples", graph=item.graph_iri, replace=True
        )
        store.update(store.system.set_checksum(item.graph_iri, item.checksum))
        # The librarians' changesets to this graph, applied again on the new extraction.
        replay_curation(store, item.graph_iri, base_iri=base_iri)
        outcome.status = "ingested"
    return list(outcomes.values())


def source_files(paths: Iterable[Path]) -> list[Path]:
    """The source files named, a directory standing for its *.txt files."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.txt")) if path.is_dir() else [path])
    return files
