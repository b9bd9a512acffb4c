"""load_catalog(): read the records of the JSON API from the store, with a few fixed SELECT queries.

The queries are constant text (no request value reaches them). The default graph is the union of
all graphs, where a triple stated in several sources comes once per source: records are built with
sets, so duplicates fold away.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import pyoxigraph

from service.catalog.records import Body, Catalog, Document, Evidence, Recommendation, Status, Texts
from service.rdf import JSONLD_CONTEXT
from service.stores.base import SparqlStore, Term

# Namespaces as plain strings, to compare with the values of the terms read.
U, SKOS, DCT, ORG, CITO, FOAF = (JSONLD_CONTEXT[p] for p in ("unkg", "skos", "dct", "org", "cito", "foaf"))
RDF_TYPE = JSONLD_CONTEXT["rdf"] + "type"
PREFIXES = "".join(
    f"PREFIX {p}: <{JSONLD_CONTEXT[p]}>\n"
    for p in ("unkg", "rdf", "rdfs", "skos", "dct", "org", "cito", "foaf", "prov")
)
DOCUMENT_CLASSES = "unkg:Document unkg:Report unkg:Resolution unkg:Decision"
RECOMMENDATION_CLASSES = "unkg:Recommendation unkg:FormalRecommendation unkg:InformalRecommendation"


def _properties_query(classes: str, properties: str) -> str:
    """SELECT ?s ?p ?o: the given properties of every resource of the given classes."""
    return PREFIXES + (
        f"SELECT ?s ?p ?o WHERE {{ VALUES ?class {{ {classes} }} ?s a ?class .\n"
        f"  VALUES ?p {{ {properties} }} ?s ?p ?o }}"
    )


def _pairs_query(predicate: str) -> str:
    """SELECT ?s ?o: every subject and object of `predicate`."""
    return f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o }}"


DOCUMENTS_QUERY = _properties_query(
    DOCUMENT_CLASSES,
    "rdf:type unkg:symbol unkg:documentType dct:title dct:date dct:issued unkg:issuedBy unkg:submittedTo "
    "unkg:requestedBy cito:cites unkg:hasRecommendation foaf:page",
)
RECOMMENDATIONS_QUERY = _properties_query(
    RECOMMENDATION_CLASSES,
    "rdf:type unkg:inReport unkg:recommendationNumber unkg:text unkg:quotedText unkg:addresseeRole "
    "unkg:deadline unkg:expectedImpact",
)
ADDRESSINGS_QUERY = PREFIXES + (
    "SELECT ?s ?organization ?role WHERE { ?s unkg:addressing ?a . ?a unkg:organization ?organization\n"
    "  OPTIONAL { ?a unkg:addresseeRole ?role } }"
)
BODIES_QUERY = _properties_query(
    "org:Organization",
    "skos:prefLabel unkg:acronym unkg:bodyKind org:subOrganizationOf org:unitOf org:hasSubOrganization "
    "org:hasUnit org:memberOf org:hasMember unkg:chairedBy",
)
CONCEPTS_QUERY = (
    PREFIXES + "SELECT ?s ?scheme ?notation WHERE { ?s skos:inScheme ?scheme ; skos:notation ?notation }"
)
NAMES_QUERY = PREFIXES + "SELECT ?s ?name WHERE { ?x unkg:chairedBy ?s . ?s foaf:name|skos:prefLabel ?name }"
EVIDENCE_QUERY = PREFIXES + (
    f"SELECT ?s ?e ?source ?label ?start ?end ?quote ?supports WHERE {{\n"
    f"  VALUES ?class {{ {DOCUMENT_CLASSES} {RECOMMENDATION_CLASSES} }} ?s a ?class ; unkg:evidence ?e .\n"
    "  ?e prov:wasQuotedFrom ?source\n"
    "  OPTIONAL { ?source rdfs:label ?label } OPTIONAL { ?e unkg:lineStart ?start }\n"
    "  OPTIONAL { ?e unkg:lineEnd ?end } OPTIONAL { ?e unkg:quote ?quote }\n"
    "  OPTIONAL { ?e unkg:supports ?supports } }"
)


def _triples(store: SparqlStore, query: str) -> Iterator[tuple[str, str, Term | None]]:
    """The rows of a SELECT ?s ?p ?o: subject and predicate as strings, the object as a term."""
    for subject, predicate, value in store.solutions(query):
        yield _value(subject), _value(predicate), value


def _value(term: Term | None) -> str:
    """The IRI, literal value or blank node id of `term`; "" when unbound (or a quoted triple)."""
    return "" if term is None or isinstance(term, pyoxigraph.Triple) else term.value


def _add_text(texts: Texts, term: Term | None) -> None:
    # One text per language: the first one read wins, as the union may repeat it from several sources.
    if isinstance(term, pyoxigraph.Literal):
        texts.setdefault(term.language or "", term.value)


def _append(items: list[str], value: str) -> None:
    if value not in items:
        items.append(value)


class _Loader:
    def __init__(self, store: SparqlStore, *, base_iri: str, version: int) -> None:
        self.store = store
        self.ids = base_iri + "id/"
        self.catalog = Catalog(version=version)

    def id_of(self, iri: str, kind: str) -> str | None:
        prefix = f"{self.ids}{kind}/"
        return iri[len(prefix) :] if iri.startswith(prefix) else None

    def notation(self, iri: str) -> str | None:
        return self.catalog.notations.get(iri)

    def load(self) -> Catalog:
        self.concepts()
        self.documents()
        self.recommendations()
        self.statuses()
        self.bodies()
        self.evidence()
        self.names()
        self.link()
        return self.catalog

    def concepts(self) -> None:
        schemes: dict[str, set[str]] = defaultdict(set)
        for concept, scheme_iri, notation_term in self.store.solutions(CONCEPTS_QUERY):
            notation = _value(notation_term)
            self.catalog.notations[_value(concept)] = notation
            scheme = _value(scheme_iri).rstrip("/").rsplit("/", 1)[-1]
            schemes[scheme].add(notation)
        self.catalog.schemes = {name: sorted(values) for name, values in schemes.items()}

    def documents(self) -> None:
        documents = self.catalog.documents
        for iri, predicate, value in _triples(self.store, DOCUMENTS_QUERY):
            document = documents.get(iri)
            if document is None:
                id = self.id_of(iri, "document")
                if id is None:
                    continue
                document = documents[iri] = Document(iri=iri, id=id)
            o = _value(value)
            if predicate == RDF_TYPE:
                document.classes.add(o)
            elif predicate == U + "symbol":
                # A document has one symbol; if sources disagree, keep the smallest, so the choice is stable.
                document.symbol = o if document.symbol is None else min(document.symbol, o)
            elif predicate == U + "documentType":
                document.type = self.notation(o) or document.type
            elif predicate == DCT + "title":
                _add_text(document.title, value)
            elif predicate in (DCT + "date", DCT + "issued"):
                document.date = o if document.date is None else min(document.date, o)
            elif predicate == U + "issuedBy":
                document.issuer = o if document.issuer is None else min(document.issuer, o)
            elif predicate == U + "submittedTo":
                _append(document.submitted_to, o)
            elif predicate == U + "requestedBy":
                _append(document.requested_by, o)
            elif predicate == CITO + "cites":
                _append(document.cites, o)
            elif predicate == U + "hasRecommendation":
                _append(document.recommendations, o)
            elif predicate == FOAF + "page":
                document.page = o if document.page is None else min(document.page, o)

    def recommendations(self) -> None:
        recommendations = self.catalog.recommendations
        for iri, predicate, value in _triples(self.store, RECOMMENDATIONS_QUERY):
            recommendation = recommendations.get(iri)
            if recommendation is None:
                id = self.id_of(iri, "recommendation")
                if id is None:
                    continue
                recommendation = recommendations[iri] = Recommendation(iri=iri, id=id)
            o = _value(value)
            if predicate == RDF_TYPE:
                if o == U + "FormalRecommendation":
                    recommendation.kind = "formal"
                elif o == U + "InformalRecommendation":
                    recommendation.kind = "informal"
            elif predicate == U + "inReport":
                recommendation.report = o
            elif predicate == U + "recommendationNumber":
                recommendation.number = int(o)
            elif predicate == U + "text":
                _add_text(recommendation.text, value)
            elif predicate == U + "quotedText":
                _add_text(recommendation.quoted_text, value)
            elif predicate == U + "addresseeRole":
                recommendation.role = self.notation(o)
            elif predicate == U + "deadline":
                recommendation.deadline = o
            elif predicate == U + "expectedImpact":
                recommendation.expected_impact = self.notation(o)
        for subject, organization_iri, role in self.store.solutions(ADDRESSINGS_QUERY):
            found = recommendations.get(_value(subject))
            if found is not None:
                organization = _value(organization_iri)
                stated = self.notation(_value(role)) if role else None
                found.addressees[organization] = found.addressees.get(organization) or stated

    def statuses(self) -> None:
        # One query per property: the status assessments are most of the graph's rows, and a join on
        # their class (or a VALUES of predicates) costs the store twice as much as reading each property.
        statuses: dict[str, Status] = {}
        for subject, value in self.store.solutions(_pairs_query(U + "recommendation")):
            iri = _value(subject)
            statuses[iri] = Status(iri=iri, recommendation=_value(value), organization="")

        def values(predicate: str) -> Iterator[tuple[Status, Term | None]]:
            for subject, value in self.store.solutions(_pairs_query(U + predicate)):
                status = statuses.get(_value(subject))
                if status is not None:
                    yield status, value

        for status, value in values("organization"):
            status.organization = _value(value)
        for status, value in values("asOf"):
            status.as_of = _value(value)
        for status, value in values("acceptance"):
            status.acceptance = self.notation(_value(value))
        for status, value in values("implementation"):
            status.implementation = self.notation(_value(value))
        for status, value in values("addresseeRole"):
            status.role = self.notation(_value(value))
        for status, value in values("reportedIn"):
            status.reported_in = _value(value)
        for status, value in values("responsibleOfficial"):
            _add_text(status.responsible, value)
        for status, value in values("managementComment"):
            _add_text(status.comment, value)
        for status in statuses.values():
            recommendation = self.catalog.recommendations.get(status.recommendation)
            if recommendation is None or not status.organization:
                continue
            recommendation.statuses.append(status)
            # The progress report states to whom it is addressed, and in which role.
            addressees = recommendation.addressees
            addressees[status.organization] = addressees.get(status.organization) or status.role

    def bodies(self) -> None:
        bodies = self.catalog.bodies
        inverse: list[tuple[str, str, str]] = []
        for iri, predicate, value in _triples(self.store, BODIES_QUERY):
            body = bodies.get(iri)
            if body is None:
                id = self.id_of(iri, "body")
                if id is None:
                    continue
                body = bodies[iri] = Body(iri=iri, id=id)
            o = _value(value)
            if predicate == SKOS + "prefLabel":
                _add_text(body.label, value)
            elif predicate == U + "acronym":
                _add_text(body.acronym, value)
            elif predicate == U + "bodyKind":
                body.kind = self.notation(o)
            elif predicate in (ORG + "subOrganizationOf", ORG + "unitOf"):
                _append(body.parents, o)
            elif predicate in (ORG + "hasSubOrganization", ORG + "hasUnit"):
                inverse.append((o, "parents", iri))
            elif predicate == ORG + "memberOf":
                _append(body.networks, o)
            elif predicate == ORG + "hasMember":
                _append(body.members, o)
            elif predicate == U + "chairedBy":
                _append(body.chairs, o)
        for iri, field_name, other in inverse:
            if iri in bodies:
                _append(getattr(bodies[iri], field_name), other)

    def evidence(self) -> None:
        found: dict[tuple[str, str], Evidence] = {}
        for row in self.store.solutions(EVIDENCE_QUERY):
            subject, evidence_iri, source, label, start, end, quote, supports = map(_value, row)
            evidence = found.get((subject, evidence_iri))
            if evidence is None:
                evidence = found[(subject, evidence_iri)] = Evidence(
                    source=source,
                    source_label=label or None,
                    line_start=int(start) if start else None,
                    line_end=int(end) if end else None,
                    quote={},
                )
                record: Document | Recommendation | None = self.catalog.documents.get(
                    subject
                ) or self.catalog.recommendations.get(subject)
                if record is not None:
                    record.sources.append(evidence)
            if quote:
                _add_text(evidence.quote, row[6])
            if supports:
                _append(evidence.supports, supports)

    def names(self) -> None:
        for subject, name in self.store.solutions(NAMES_QUERY):
            _add_text(self.catalog.names.setdefault(_value(subject), {}), name)

    def link(self) -> None:
        """Fill the inverse links, the lookups and the orders every list is served in."""
        catalog = self.catalog
        for document in catalog.documents.values():
            if document.symbol:
                catalog.by_symbol.setdefault(document.symbol, document.iri)
            catalog.by_document_id[document.id] = document.iri
            for cited in document.cites:
                if cited in catalog.documents:
                    _append(catalog.documents[cited].cited_by, document.iri)
        for recommendation in catalog.recommendations.values():
            catalog.by_recommendation_id[recommendation.id] = recommendation.iri
            report = catalog.documents.get(recommendation.report or "")
            if report is not None:
                _append(report.recommendations, recommendation.iri)
            recommendation.statuses.sort(key=lambda s: (s.as_of or "", s.organization), reverse=True)
            for status in recommendation.statuses:
                recommendation.statuses_by_organization.setdefault(status.organization, []).append(status)
            for organization in recommendation.addressees:
                body = catalog.bodies.get(organization)
                if body is not None:
                    _append(body.recommendations, recommendation.iri)
        for body in catalog.bodies.values():
            catalog.by_body_id[body.id] = body.iri
            for parent in body.parents:
                if parent in catalog.bodies:
                    _append(catalog.bodies[parent].children, body.iri)
            for network in body.networks:
                if network in catalog.bodies:
                    _append(catalog.bodies[network].members, body.iri)
            for member in list(body.members):
                if member in catalog.bodies:
                    _append(catalog.bodies[member].networks, body.iri)
        order = catalog.recommendation_key
        symbols = {document.iri: document.symbol for document in catalog.documents.values()}
        for document in catalog.documents.values():
            document.recommendations = [r for r in document.recommendations if r in catalog.recommendations]
            document.recommendations.sort(key=order)
            document.sources.sort(key=_evidence_order)
            for field_name in ("cites", "requested_by", "submitted_to"):
                getattr(document, field_name).sort(key=lambda iri: (symbols.get(iri) or "\uffff", iri))
        for body in catalog.bodies.values():
            body.recommendations.sort(key=order)
            for field_name in ("children", "networks", "members", "parents"):
                getattr(body, field_name).sort()
        for recommendation in catalog.recommendations.values():
            recommendation.sources.sort(key=_evidence_order)
        catalog.recommendation_order = sorted(catalog.recommendations, key=order)


def _evidence_order(evidence: Evidence) -> tuple[str, int, int]:
    return (evidence.source, evidence.line_start or 0, evidence.line_end or 0)


def load_catalog(store: SparqlStore, *, base_iri: str, version: int) -> Catalog:
    """Read the documents, recommendations, statuses and bodies the store holds at `version`."""
    return _Loader(store, base_iri=base_iri, version=version).load()
