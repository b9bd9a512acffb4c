"""Functions returning SPARQL text; every value from outside goes through `rdf.term()`."""

from __future__ import annotations


def graph_counts_query() -> str:
    """SELECT ?graph ?triples: the number of triples in each named graph."""
    return (
        "SELECT ?graph (COUNT(*) AS ?triples) WHERE { GRAPH ?graph { ?s ?p ?o } }\n"
        "GROUP BY ?graph ORDER BY ?graph"
    )
