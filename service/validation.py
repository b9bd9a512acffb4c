"""SHACL validation: a data graph, the shapes and the ontology in; a readable report out."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyshacl
from rdflib import RDF, RDFS, SH, SKOS, BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from service.rdf import RDF_MEDIA_TYPES, media_type_for_path

_RDFLIB_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/trig": "trig",
    "application/n-quads": "nquads",
}
assert set(_RDFLIB_FORMATS) == set(RDF_MEDIA_TYPES)


def read_graph(paths: list[Path]) -> Graph:
    """Parse RDF files of any syntax into one graph (named graphs are merged)."""
    graph = Graph()
    for path in paths:
        fmt = _RDFLIB_FORMATS[media_type_for_path(path)]
        if fmt in ("trig", "nquads"):
            dataset = Dataset()
            dataset.parse(path, format=fmt)
            for subject, predicate, obj, _ in dataset.quads((None, None, None, None)):
                graph.add((subject, predicate, obj))
        else:
            graph.parse(path, format=fmt)
    return graph


def read_directory(directory: Path) -> Graph:
    """Parse every Turtle file of `directory` into one graph."""
    return read_graph(sorted(directory.glob("*.ttl")))


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result: what is wrong, where, and by which shape."""

    focus_node: Node
    path: Node | None
    value: Node | None
    shape: Node
    constraint: Node
    severity: Node
    messages: dict[str, str]

    def message(self, language: str = "en") -> str:
        """The message in `language`, else English, else any, else the constraint's name."""
        for lang in (language, "en", ""):
            if lang in self.messages:
                return self.messages[lang]
        if self.messages:
            return next(iter(self.messages.values()))
        return str(self.constraint).rsplit("#", 1)[-1]

    def as_json(self, language: str = "en") -> dict[str, str | None]:
        """The result as `unkg validate --format json` and the changeset API report it."""
        return {
            "focusNode": str(self.focus_node),
            "path": str(self.path) if self.path is not None else None,
            "value": str(self.value) if self.value is not None else None,
            "shape": str(self.shape),
            "constraint": str(self.constraint),
            "severity": str(self.severity).rsplit("#", 1)[-1],
            "message": self.message(language),
        }


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    results: list[ValidationResult] = field(default_factory=list)
    graph: Graph = field(default_factory=Graph)

    def as_graph(self) -> Graph:
        """The report as a SHACL validation report graph (sh:ValidationReport), messages in every
        language the shapes give."""
        report = Graph()
        report.bind("sh", SH)
        node = BNode()
        report.add((node, RDF.type, SH.ValidationReport))
        report.add((node, SH.conforms, Literal(self.conforms)))
        for found in self.results:
            result = BNode()
            report.add((node, SH.result, result))
            report.add((result, RDF.type, SH.ValidationResult))
            report.add((result, SH.focusNode, found.focus_node))
            report.add((result, SH.sourceShape, found.shape))
            report.add((result, SH.sourceConstraintComponent, found.constraint))
            report.add((result, SH.resultSeverity, found.severity))
            if found.path is not None:
                report.add((result, SH.resultPath, found.path))
            if found.value is not None:
                report.add((result, SH.value, found.value))
            for language, message in found.messages.items():
                report.add((result, SH.resultMessage, Literal(message, lang=language or None)))
        return report


class Validator:
    """Validates data against the unkg shapes, parsed once.

    The ontology and its concept schemes are added to every data graph: shapes check class
    membership through rdfs:subClassOf and concept membership through skos:inScheme, and
    pyshacl's own `ont_graph` carries only RDFS/OWL axioms, not SKOS concepts.
    """

    def __init__(self, *, shapes: Graph, ontology: Graph) -> None:
        self.shapes = shapes
        self.ontology = ontology
        # What the shapes read of the ontology: class hierarchy, types, concept schemes (a fifth of
        # it; labels and definitions are most of the rest). The gate adds only this to its graphs.
        self.schema = Graph()
        for predicate in (RDF.type, RDFS.subClassOf, SKOS.inScheme):
            for triple in ontology.triples((None, predicate, None)):
                self.schema.add(triple)
        self._node_shape_of = {
            property_shape: node_shape for node_shape, property_shape in shapes.subject_objects(SH.property)
        }

    @classmethod
    def from_directories(cls, *, shapes_path: Path, ontology_path: Path) -> Validator:
        """Read the shapes and the ontology; a directory without Turtle files is an error, not a pass."""
        for directory in (shapes_path, ontology_path):
            if not any(directory.glob("*.ttl")):
                raise FileNotFoundError(
                    f"no Turtle files in {directory}: set UNKG_SHAPES_PATH / UNKG_ONTOLOGY_PATH"
                )
        return cls(shapes=read_directory(shapes_path), ontology=read_directory(ontology_path))

    def validate(
        self,
        data: Graph,
        *,
        focus_nodes: list[str | URIRef] | None = None,
        shapes: list[str | URIRef] | None = None,
        copy: bool = True,
    ) -> ValidationReport:
        """Validate `data` (with the ontology); only `focus_nodes` against only `shapes` when given.

        With `copy=False`, what the shapes read of the ontology (`schema`) is added to `data` itself,
        which the caller gives up: the gate's way, a third faster on its small graphs."""
        candidate = Graph() if copy else data
        if copy:
            for triple in data:
                candidate.add(triple)
        for triple in self.ontology if copy else self.schema:
            candidate.add(triple)
        conforms, report, _ = pyshacl.validate(
            candidate,
            shacl_graph=self.shapes,
            inference="none",
            allow_warnings=True,
            focus_nodes=focus_nodes,
            use_shapes=shapes,
            inplace=True,  # the candidate is ours: no second copy
        )
        assert isinstance(report, Graph)
        return ValidationReport(conforms=bool(conforms), results=self._results(report), graph=report)

    def _results(self, report: Graph) -> list[ValidationResult]:
        results = []
        for node in report.objects(None, SH.result):
            source = report.value(node, SH.sourceShape)
            messages = {
                (message.language or ""): str(message)
                for message in report.objects(node, SH.resultMessage)
                if isinstance(message, Literal)
            }
            focus = report.value(node, SH.focusNode)
            assert focus is not None and source is not None
            results.append(
                ValidationResult(
                    focus_node=focus,
                    path=report.value(node, SH.resultPath),
                    value=report.value(node, SH.value),
                    shape=self._node_shape_of.get(source, source),
                    constraint=report.value(node, SH.sourceConstraintComponent) or RDF.nil,
                    severity=report.value(node, SH.resultSeverity) or SH.Violation,
                    messages=messages,
                )
            )
        results.sort(key=lambda result: (str(result.focus_node), str(result.path), str(result.shape)))
        return results


def is_violation(result: ValidationResult) -> bool:
    return result.severity == URIRef(SH.Violation)
