"""The VoID and DCAT description of the dataset: its graphs and classes counted, where to query and
download it, its licence and when it last changed."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, VOID

from service.rdf import UNKG

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
#: Where each dump is served, and its media type.
DUMPS = {"dump.trig": "application/trig", "dump.nq": "application/n-quads"}


@dataclass(frozen=True)
class DatasetFacts:
    """What the store says of itself: triples per named graph, entities per class, last write."""

    graphs: dict[str, int]
    classes: dict[str, int]
    modified: str | None


def describe_dataset(root: str, *, base_iri: str, facts: DatasetFacts, license: str) -> Graph:
    """The dataset at `root` (the server's URL, ending in '/') whose IRIs start with `base_iri`."""
    graph = Graph()
    for prefix, namespace in (
        ("void", VOID),
        ("dcat", DCAT),
        ("dcterms", DCTERMS),
        ("sd", SD),
        ("unkg", UNKG),
    ):
        graph.bind(prefix, namespace)
    dataset = URIRef(f"{root}.well-known/void#dataset")
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, DCTERMS.title, Literal("UN System Knowledge Graph", lang="en")))
    graph.add((dataset, DCTERMS.title, Literal("联合国系统知识图谱", lang="zh")))
    graph.add(
        (
            dataset,
            DCTERMS.description,
            Literal(
                "Resolutions, reports, recommendations, bodies and networks of the United Nations system, "
                "extracted with their provenance from UN documents.",
                lang="en",
            ),
        )
    )
    graph.add(
        (
            dataset,
            DCTERMS.description,
            Literal("联合国系统的决议、报告、建议、机构和网络，连同出处，摘自联合国文件。", lang="zh"),
        )
    )
    graph.add((dataset, DCTERMS.license, URIRef(license)))
    graph.add((dataset, FOAF.homepage, URIRef(root)))
    if facts.modified:
        graph.add((dataset, DCTERMS.modified, Literal(facts.modified, datatype=XSD.dateTime)))
    graph.add((dataset, VOID.uriSpace, Literal(f"{base_iri}id/")))
    graph.add((dataset, VOID.vocabulary, URIRef(str(UNKG))))
    graph.add((dataset, VOID.triples, Literal(sum(facts.graphs.values()))))
    graph.add((dataset, VOID.classes, Literal(len(facts.classes))))
    graph.add((dataset, VOID.entities, Literal(sum(facts.classes.values()))))

    endpoint = URIRef(f"{root}sparql")
    graph.add((dataset, VOID.sparqlEndpoint, endpoint))
    service = URIRef(f"{root}.well-known/void#sparql")
    graph.add((service, RDF.type, DCAT.DataService))
    graph.add((service, DCAT.endpointURL, endpoint))
    graph.add((service, DCAT.endpointDescription, endpoint))
    graph.add((service, DCAT.servesDataset, dataset))
    graph.add((service, DCTERMS.title, Literal("SPARQL 1.1 endpoint", lang="en")))
    graph.add((dataset, DCAT.distribution, service))

    for path, media_type in DUMPS.items():
        dump = URIRef(f"{root}{path}")
        graph.add((dataset, VOID.dataDump, dump))
        distribution = URIRef(f"{root}.well-known/void#{path.replace('.', '-')}")
        graph.add((dataset, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCAT.downloadURL, dump))
        graph.add(
            (
                distribution,
                DCAT.mediaType,
                URIRef(f"https://www.iana.org/assignments/media-types/{media_type}"),
            )
        )
        graph.add((distribution, DCTERMS.license, URIRef(license)))

    for name, triples in sorted(facts.graphs.items()):
        subset = BNode()
        graph.add((dataset, VOID.subset, subset))
        graph.add((subset, RDF.type, VOID.Dataset))
        graph.add((subset, SD.name, URIRef(name)))
        graph.add((subset, VOID.triples, Literal(triples)))
    for cls, entities in sorted(facts.classes.items()):
        partition = BNode()
        graph.add((dataset, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], URIRef(cls)))
        graph.add((partition, VOID.entities, Literal(entities)))
    return graph
