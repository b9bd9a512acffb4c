"""SPARQL Update text both backends send for the same operation."""

from __future__ import annotations

from typing import IO

import pyoxigraph

from service.rdf import iri, rdf_format, term


def replace_graph_update(graph: str, data: bytes | IO[bytes], *, media_type: str) -> str:
    """DROP SILENT GRAPH <graph> ; INSERT DATA { GRAPH <graph> { … } }: one atomic request.

    The triples of `data` (already checked to parse) go into `graph` whatever graph they had.
    """
    triples = (quad.triple for quad in pyoxigraph.parse(data, format=rdf_format(media_type)))
    body = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES) or b""
    target = term(iri(graph))
    return f"DROP SILENT GRAPH {target} ;\nINSERT DATA {{ GRAPH {target} {{\n{body.decode()}\n}} }}"


def insert_data_update(data: bytes | IO[bytes], *, media_type: str, graph: str | None) -> str:
    """INSERT DATA { … }: the quads of `data`, triples into `graph` (or the default graph)."""
    by_graph: dict[str | None, list[pyoxigraph.Triple]] = {}
    for quad in pyoxigraph.parse(data, format=rdf_format(media_type)):
        name = graph if isinstance(quad.graph_name, pyoxigraph.DefaultGraph) else quad.graph_name.value
        by_graph.setdefault(name, []).append(quad.triple)
    blocks = []
    for name, triples in by_graph.items():
        text = (pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES) or b"").decode()
        blocks.append(f"GRAPH {term(iri(name))} {{\n{text}}}" if name else text)
    return "INSERT DATA {\n" + "\n".join(blocks) + "\n}"
