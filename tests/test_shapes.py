"""The ontology and shapes parse and hold together; every shape has a valid and an invalid fixture."""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import OWL, RDF, SH, SKOS, Graph, URIRef

from service.rdf import UNKG, UNKGSH
from service.validation import Validator, read_directory
from tests.conftest import FIXTURES, ROOT

SHAPE_FIXTURES = FIXTURES / "shapes"
PREFIXES = (SHAPE_FIXTURES / "prefixes.ttl").read_text(encoding="utf-8")
SUBJECT = URIRef("urn:unkg:test:subject")


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator.from_directories(shapes_path=ROOT / "shapes", ontology_path=ROOT / "ontology")


def fixture_graph(*names: str) -> Graph:
    graph = Graph()
    for name in names:
        text = (SHAPE_FIXTURES / name).read_text(encoding="utf-8")
        graph.parse(data=PREFIXES + text, format="turtle")
    return graph


def shape_names(shapes: Graph) -> list[str]:
    names = {str(shape) for shape in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(shape, URIRef)}
    return sorted(name.removeprefix(str(UNKGSH)) for name in names)


def test_ontology_parses_and_declares_its_version() -> None:
    ontology = read_directory(ROOT / "ontology")
    identifier = URIRef("https://w3id.org/unkg/ontology")
    assert (identifier, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(identifier, OWL.versionIRI) == URIRef("https://w3id.org/unkg/ontology/0.1.0")


def test_every_unkg_term_has_chinese_and_english_labels_and_definitions() -> None:
    ontology = read_directory(ROOT / "ontology")
    terms = {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(str(UNKG))}
    assert len(terms) > 60
    for term in terms:
        for predicate in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
            if (term, RDF.type, predicate) in ontology:
                break
        else:
            pytest.fail(f"{term} is used but not declared")
        for prop in (URIRef("http://www.w3.org/2000/01/rdf-schema#label"), SKOS.definition):
            languages = {value.language for value in ontology.objects(term, prop)}  # type: ignore[attr-defined]
            assert {"zh", "en"} <= languages, f"{term} lacks a zh or en {prop}"


def test_ontology_and_concept_schemes_conform_to_the_shapes(validator: Validator) -> None:
    report = validator.validate(Graph())
    assert report.conforms, [(str(r.focus_node), r.message()) for r in report.results]


def test_shapes_conform_to_the_shacl_shapes_for_shacl() -> None:
    shapes = read_directory(ROOT / "shapes")
    conforms, _, text = pyshacl.validate(Graph(), shacl_graph=shapes, meta_shacl=True)
    assert conforms, text


def test_every_shape_has_a_valid_and_an_invalid_fixture(validator: Validator) -> None:
    with_fixtures = sorted(path.name for path in SHAPE_FIXTURES.iterdir() if path.is_dir())
    assert with_fixtures == shape_names(validator.shapes)
    for name in with_fixtures:
        assert (SHAPE_FIXTURES / name / "valid.ttl").is_file()
        assert (SHAPE_FIXTURES / name / "invalid.ttl").is_file()


def _targets(shapes: Graph, shape: URIRef) -> bool:
    return any((shape, predicate, None) in shapes for predicate in (SH.targetClass, SH.targetNode))


def _check(validator: Validator, shape: URIRef, data: Graph) -> list[URIRef]:
    """Validate `data` and return the shapes that found violations; untargeted shapes on ex:subject."""
    if _targets(validator.shapes, shape):
        return [URIRef(str(result.shape)) for result in validator.validate(data).results]
    # A shape used only through sh:node gets ex:subject as its target, in a copy of the shapes.
    shapes = Graph()
    for triple in validator.shapes:
        shapes.add(triple)
    shapes.add((shape, SH.targetNode, SUBJECT))
    targeted = Validator(shapes=shapes, ontology=validator.ontology)
    return [URIRef(str(result.shape)) for result in targeted.validate(data).results]


@pytest.mark.parametrize("name", shape_names(read_directory(ROOT / "shapes")))
def test_valid_fixture_conforms_and_invalid_fixture_violates_its_shape(
    validator: Validator, name: str
) -> None:
    shape = UNKGSH[name]
    violated = _check(validator, shape, fixture_graph("world.ttl", f"{name}/valid.ttl"))
    assert violated == [], f"{name}/valid.ttl violates {violated}"
    violated = _check(validator, shape, fixture_graph("world.ttl", f"{name}/invalid.ttl"))
    assert shape in violated, f"{name}/invalid.ttl does not violate {name}"


def test_world_fixture_conforms(validator: Validator) -> None:
    report = validator.validate(fixture_graph("world.ttl"))
    assert report.conforms, [(str(r.focus_node), r.message()) for r in report.results]


def test_violation_messages_come_in_the_language_asked_for(validator: Validator) -> None:
    report = validator.validate(fixture_graph("world.ttl", "StatusAssessmentShape/invalid.ttl"))
    by_message = {result.message("zh") for result in report.results}
    assert "落实情况评估须指明且仅指明一项建议。" in by_message
    assert "A status assessment names exactly one recommendation." in {
        r.message("en") for r in report.results
    }


def test_status_assessment_violations_name_focus_node_path_and_shape(validator: Validator) -> None:
    report = validator.validate(fixture_graph("world.ttl", "StatusAssessmentShape/invalid.ttl"))
    found = {(str(r.focus_node), str(r.path), str(r.shape)) for r in report.results}
    shape = str(UNKGSH.StatusAssessmentShape)
    assert found == {
        (str(SUBJECT), str(UNKG.recommendation), shape),
        (str(SUBJECT), str(UNKG.asOf), shape),
        (str(SUBJECT), str(UNKG.acceptance), shape),
    }


def test_fixture_files_exist_only_for_known_shapes() -> None:
    known = set(shape_names(read_directory(ROOT / "shapes")))
    assert {path.name for path in Path(SHAPE_FIXTURES).iterdir() if path.is_dir()} <= known
