"""/api/changesets: librarians' changes, checked by the SHACL gate, applied whole, kept as history."""

from __future__ import annotations

import threading
from datetime import date
from typing import Annotated, Any

import pyoxigraph
from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from rdflib import BNode, URIRef

from service.curation.changesets import (
    SYNTAXES,
    agent_iri,
    apply_update,
    history_graph,
    new_record,
    parse_part,
    parse_patch,
)
from service.curation.gate import Change, Gate
from service.dependencies import SettingsDep, StoreDep, requires
from service.errors import InvalidIRIError, InvalidParameterError, NotFoundError
from service.negotiation import choose_languages
from service.rdf import graph_iri, term
from service.routers.api import Limit, Offset, answer, page
from service.sparql.results import ask, select
from service.tokens import Token
from service.validation import Validator

router = APIRouter(prefix="/api", tags=["changesets"])
_lock = threading.Lock()


class ChangesetIn(BaseModel):
    graph: str = Field(description="IRI of the named graph to change.")
    message: str = Field(min_length=1, description="Why: kept in the history.")
    format: str = Field(default="text/turtle", description=f"Syntax of the parts: {', '.join(SYNTAXES)}.")
    additions: str | dict[str, Any] | list[Any] | None = Field(default=None, description="Triples to add.")
    removals: str | dict[str, Any] | list[Any] | None = Field(default=None, description="Triples to remove.")


def _gate(request: Request, settings: SettingsDep) -> Gate:
    with _lock:
        gate: Gate | None = getattr(request.app.state, "gate", None)
        if gate is None:
            validator = Validator.from_directories(
                shapes_path=settings.shapes_path, ontology_path=settings.ontology_path
            )
            gate = request.app.state.gate = Gate(validator)
        return gate


@router.post(
    "/changesets",
    summary="Submit a changeset",
    status_code=201,
    responses={
        200: {"description": "Dry run: the changeset conforms (nothing written)"},
        401: {"description": "No valid bearer token"},
        403: {"description": "The token's role may not submit"},
        422: {"description": "The changeset breaks a shape (the report), or a field is wrong (named)"},
    },
)
def submit_changeset(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    token: Annotated[Token, requires("curator")],
    changeset: Annotated[ChangesetIn, Body()],
    dry_run: Annotated[bool, Query(description="Validate and report, write nothing.")] = False,
) -> Response:
    """Check the additions and removals against the shapes (the nodes they touch, with the change
    made); apply them whole with their record in the history, or refuse with the report."""
    try:
        term(URIRef(changeset.graph))
    except InvalidIRIError as exc:
        raise InvalidParameterError("graph", str(exc)) from exc
    protected = {history_graph(settings.base_iri), graph_iri(settings.base_iri, "system")}
    if changeset.graph in protected:
        raise InvalidParameterError("graph", "the history and system graphs change only through the service")
    additions = parse_part("additions", changeset.additions, changeset.format)
    removals = parse_part("removals", changeset.removals, changeset.format)
    if any(isinstance(node, BNode) for triple in removals for node in triple):
        raise InvalidParameterError("removals", "a blank node cannot name what to remove; use IRIs")
    if not len(additions) and not len(removals):
        raise InvalidParameterError("additions", "the changeset adds and removes nothing")
    exists = f"ASK {{ GRAPH {term(URIRef(changeset.graph))} {{ ?s ?p ?o }} }}"
    if not token.may("admin") and not ask(store, exists):
        raise InvalidParameterError(
            "graph", f"no graph {changeset.graph} exists here (an admin's changeset may create one)"
        )
    change = Change(graph=changeset.graph, additions=additions, removals=removals)
    return _commit(request, store, settings, token, change, message=changeset.message, dry_run=dry_run)


class RevertIn(BaseModel):
    message: str = Field(min_length=1, description="Why it is reverted: kept in the history.")


@router.post(
    "/changesets/{id}/revert",
    summary="Revert a changeset",
    status_code=201,
    responses={
        404: {"description": "No such changeset"},
        422: {"description": "The inverse change breaks the shapes (the report), or cannot be made"},
    },
)
def revert_changeset(
    id: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    token: Annotated[Token, requires("curator")],
    revert: Annotated[RevertIn, Body()],
    dry_run: Annotated[bool, Query(description="Validate and report, write nothing.")] = False,
) -> Response:
    """Make the inverse changeset (what it added is removed, what it removed is added back) and send
    it through the same gate, against the graph as it is now; it is kept in the history like any other."""
    found = _one_changeset(store, settings, id)
    change = parse_patch(found["patch"]).inverse()
    if any(isinstance(node, BNode) for triple in change.removals for node in triple):
        raise InvalidParameterError(
            "id", "this changeset added blank nodes, which a patch cannot name to remove"
        )
    message = f"Revert of {id}: {revert.message}"
    return _commit(request, store, settings, token, change, message=message, dry_run=dry_run)


def _commit(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    token: Token,
    change: Change,
    *,
    message: str,
    dry_run: bool,
) -> Response:
    """Through the gate; then applied with its record, or refused with the report."""
    gate = _gate(request, settings)
    language = (choose_languages(request.headers.get("accept-language")) or ["en"])[0]
    # The check and the write under one lock: no other changeset lands between them.
    with _lock:
        checked = gate.check(store, change)
        if not checked.report.conforms:
            return JSONResponse(
                status_code=422,
                content={
                    "error": "the changeset breaks the shapes; nothing was written",
                    "conforms": False,
                    "focusNodes": len(checked.focus_nodes),
                    "results": [result.as_json(language) for result in checked.report.results],
                },
            )
        if dry_run:
            return JSONResponse(
                {"conforms": True, "applied": False, "focusNodes": len(checked.focus_nodes), "results": []}
            )
        record = new_record(
            change,
            base_iri=settings.base_iri,
            message=message,
            author=token,
            touches=checked.focus_nodes,
        )
        store.update(apply_update(change, record, base_iri=settings.base_iri))
        version = store.version()
    location = str(request.url_for("read_changeset", id=record.id))
    return JSONResponse(
        status_code=201,
        content={
            "id": record.id,
            "iri": record.iri,
            "graph": record.graph,
            "message": record.message,
            "author": {"token": token.id, "name": token.name},
            "at": record.at,
            "additions": record.additions,
            "removals": record.removals,
            "touches": sorted(map(str, record.touches)),
            "version": version,
            "patch": record.patch,
        },
        headers={"Location": location, "ETag": f'"v{version}"'},
    )


_LIST_QUERY = """PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX unkg: <https://w3id.org/unkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT ?changeset ?at ?graph ?message ?agent ?name ?added ?removed ?patch WHERE {
  GRAPH ?history {
    ?changeset a unkg:Changeset ; prov:startedAtTime ?at ; unkg:targetGraph ?graph ; rdfs:comment ?message ;
        prov:wasAssociatedWith ?agent ; unkg:additionCount ?added ; unkg:removalCount ?removed ;
        unkg:patch ?patch .
    ?agent foaf:name ?name .
    %s
  }
}
ORDER BY DESC(?at) ?changeset"""


def _changesets(
    store: StoreDep, settings: SettingsDep, **given: pyoxigraph.NamedNode | pyoxigraph.Literal
) -> list[dict[str, Any]]:
    bindings: dict[str, pyoxigraph.NamedNode | pyoxigraph.Literal] = {
        "history": pyoxigraph.NamedNode(history_graph(settings.base_iri)),
        **given,
    }
    filters = []
    if "resource" in given:
        filters.append("?changeset unkg:touches ?resource .")
    if "since" in given:
        filters.append("FILTER(?at >= ?since)")
    if "until" in given:
        filters.append("FILTER(?at < ?until)")
    query = _LIST_QUERY % "\n    ".join(filters)
    items = []
    prefix = f"{settings.base_iri}id/changeset/"
    agents = agent_iri(settings.base_iri, "")
    for row in select(store, query, bindings=bindings):
        items.append(
            {
                "id": str(row["changeset"]).removeprefix(prefix),
                "iri": str(row["changeset"]),
                "graph": str(row["graph"]),
                "message": str(row["message"]),
                "author": {"token": str(row["agent"]).removeprefix(agents), "name": str(row["name"])},
                "at": str(row["at"]),
                "additions": int(str(row["added"])),
                "removals": int(str(row["removed"])),
                "patch": str(row["patch"]),
            }
        )
    return items


@router.get("/changesets", summary="List changesets, latest first")
def list_changesets(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    author: Annotated[str | None, Query(description="Id of the author's token (`unkg token list`).")] = None,
    graph: Annotated[str | None, Query(description="IRI of the graph changed.")] = None,
    resource: Annotated[str | None, Query(description="IRI of a resource the changeset touched.")] = None,
    since: Annotated[date | None, Query(description="Applied on or after this date.")] = None,
    until: Annotated[date | None, Query(description="Applied before this date.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    """The history of changes: who, when, why, which graph, how many triples, and the patch."""
    given: dict[str, pyoxigraph.NamedNode | pyoxigraph.Literal] = {}
    xsd_datetime = pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
    try:
        if author:
            given["agent"] = pyoxigraph.NamedNode(agent_iri(settings.base_iri, author))
        if graph:
            given["graph"] = pyoxigraph.NamedNode(graph)
        if resource:
            given["resource"] = pyoxigraph.NamedNode(resource)
    except ValueError as exc:
        raise InvalidParameterError("graph" if graph else "resource", str(exc)) from exc
    if since:
        given["since"] = pyoxigraph.Literal(f"{since.isoformat()}T00:00:00Z", datatype=xsd_datetime)
    if until:
        given["until"] = pyoxigraph.Literal(f"{until.isoformat()}T00:00:00Z", datatype=xsd_datetime)
    found = _changesets(store, settings, **given)
    return answer(
        request,
        page(request, found[offset : offset + limit], total=len(found), limit=limit, offset=offset),
        linked=False,
    )


@router.get(
    "/changesets/{id}", summary="Read a changeset", responses={404: {"description": "No such changeset"}}
)
def read_changeset(id: str, request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """One changeset: who, when, why, which graph, and the exact diff as RDF Patch."""
    return answer(request, _one_changeset(store, settings, id), linked=False)


def _one_changeset(store: StoreDep, settings: SettingsDep, id: str) -> dict[str, Any]:
    try:
        node = pyoxigraph.NamedNode(f"{settings.base_iri}id/changeset/{id}")
    except ValueError:
        raise NotFoundError(f"no changeset has the id {id!r}") from None
    found = _changesets(store, settings, changeset=node)
    if not found:
        raise NotFoundError(f"no changeset has the id {id!r}")
    return found[0]
