"""Functions returning SPARQL text; every value from outside goes through `rdf.term()`."""

from __future__ import annotations

from rdflib import Literal, URIRef

from service.rdf import term

PREFIXES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX unkg: <https://w3id.org/unkg/ontology#>
"""
#: How many resources that point at a resource its description lists.
INBOUND_LIMIT = 500


def graph_counts_query() -> str:
    """SELECT ?graph ?triples: the number of triples in each named graph."""
    return (
        "SELECT ?graph (COUNT(*) AS ?triples) WHERE { GRAPH ?graph { ?s ?p ?o } }\n"
        "GROUP BY ?graph ORDER BY ?graph"
    )


def class_counts_query() -> str:
    """SELECT ?class ?entities: how many distinct resources are typed with each class."""
    return (
        "SELECT ?class (COUNT(DISTINCT ?s) AS ?entities) WHERE { ?s a ?class FILTER(isIRI(?class)) }\n"
        "GROUP BY ?class ORDER BY ?class"
    )


def symbol_query(symbol: str) -> str:
    """SELECT ?document: the documents with the UN symbol `symbol` (its own, or as cited)."""
    value = term(Literal(symbol))
    return (
        PREFIXES + f"SELECT DISTINCT ?document WHERE {{ ?document unkg:symbol {value} }} ORDER BY ?document"
    )


def labels_query(terms: set[URIRef]) -> str:
    """SELECT ?term ?label: the rdfs:label or skos:prefLabel of each of `terms` (classes, properties)."""
    values = " ".join(sorted(term(t) for t in terms)) or "<urn:unkg:none>"
    return (
        PREFIXES
        + f"""SELECT DISTINCT ?term ?label WHERE {{
    VALUES ?term {{ {values} }}
    ?term rdfs:label|skos:prefLabel ?label
}}"""
    )


def describe_query(resource: URIRef) -> str:
    """CONSTRUCT the resource's own triples, its evidence, the resources pointing at it, and labels.

    { <r> ?p ?o . ?o label ?l } ∪ { <r> unkg:evidence ?e . ?e ?ep ?eo } ∪ { ?s ?ip <r> . ?s label ?sl }
    """
    subject = term(resource)
    labels = "skos:prefLabel, rdfs:label, dct:title, foaf:name"
    return (
        PREFIXES
        + f"""CONSTRUCT {{
    {subject} ?p ?o . ?o ?lp ?label .
    ?e ?ep ?eo .
    ?s ?ip {subject} . ?s ?slp ?slabel .
}} WHERE {{
    {{ {subject} ?p ?o . OPTIONAL {{ ?o ?lp ?label . FILTER(?lp IN ({labels})) }} }}
    UNION
    {{ {subject} unkg:evidence ?e . ?e ?ep ?eo }}
    UNION
    {{
        {{ SELECT DISTINCT ?s ?ip WHERE {{ ?s ?ip {subject} FILTER(?ip != unkg:evidence) }}
           LIMIT {INBOUND_LIMIT} }}
        OPTIONAL {{ ?s ?slp ?slabel . FILTER(?slp IN ({labels})) }}
    }}
}}"""
    )
