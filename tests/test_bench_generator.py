"""The benchmark data generator: seeded, and what it writes conforms to the shapes."""

from __future__ import annotations

import io
import subprocess
import sys

from rdflib import Dataset, Graph

from service.validation import Validator
from tests.conftest import ROOT


def generate(triples: int, seed: int) -> str:
    return subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "--triples", str(triples), "--seed", str(seed)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data() -> None:
    assert generate(3000, 7) == generate(3000, 7)
    assert generate(3000, 7) != generate(3000, 8)


def test_generated_data_conforms_to_the_shapes() -> None:
    text = generate(6000, 42)
    assert len(text.splitlines()) >= 6000
    dataset = Dataset()
    dataset.parse(io.StringIO(text), format="nquads")
    graph = Graph()
    for subject, predicate, obj, _ in dataset.quads((None, None, None, None)):
        graph.add((subject, predicate, obj))
    validator = Validator.from_directories(shapes_path=ROOT / "shapes", ontology_path=ROOT / "ontology")
    report = validator.validate(graph)
    assert report.conforms, [(str(r.focus_node), r.message()) for r in report.results[:5]]
