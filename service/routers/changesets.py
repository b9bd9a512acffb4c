"""/api/changesets: librarians' changes, checked by the SHACL gate, applied whole, kept as history.

Writes go through `Curator` (If-Match, the gate, review, the history); this module reads requests and
writes answers: 201 applied, 202 submitted for review, 200 a dry run, 422 the gate's report (JSON,
or Turtle when Accept asks for it), 428/412 for If-Match.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

import pyoxigraph
from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from rdflib import BNode, URIRef

from service.answers import SHAPES_REPORT, IfMatch, Limit, Offset, answer, outcome_response, page
from service.curation.changesets import STATUSES, SYNTAXES, agent_iri, parse_part, parse_patch
from service.curation.gate import Change
from service.curation.history import History, record_of
from service.dependencies import CuratorDep, SettingsDep, StoreDep, requires
from service.errors import Conflict, InvalidIRIError, InvalidParameterError, NotFoundError
from service.rdf import term
from service.tokens import Token

router = APIRouter(prefix="/api", tags=["changesets"])


class ChangesetIn(BaseModel):
    graph: str = Field(description="IRI of the named graph to change.")
    message: str = Field(min_length=1, description="Why: kept in the history.")
    format: str = Field(default="text/turtle", description=f"Syntax of the parts: {', '.join(SYNTAXES)}.")
    additions: str | dict[str, Any] | list[Any] | None = Field(default=None, description="Triples to add.")
    removals: str | dict[str, Any] | list[Any] | None = Field(default=None, description="Triples to remove.")


@router.post(
    "/changesets",
    summary="Submit a changeset",
    status_code=201,
    responses={
        200: {"description": "Dry run: the changeset conforms (nothing written)"},
        202: {"description": "Its graph requires review: submitted, waiting for a reviewer"},
        401: {"description": "No valid bearer token"},
        403: {"description": "The token's role may not submit"},
        412: {"description": "If-Match names a version no longer current: the changed resources"},
        422: {"description": "The changeset breaks a shape (the report), or a field is wrong (named)"}
        | SHAPES_REPORT,
        428: {"description": "The changeset changes resources that exist, and If-Match is missing"},
    },
)
def submit_changeset(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    curator: CuratorDep,
    token: Annotated[Token, requires("curator")],
    changeset: Annotated[ChangesetIn, Body()],
    if_match: IfMatch = None,
    dry_run: Annotated[bool, Query(description="Validate and report, write nothing.")] = False,
) -> Response:
    """Check the additions and removals against the shapes (the nodes they touch, with the change
    made); apply them whole with their record in the history, or refuse with the report."""
    try:
        term(URIRef(changeset.graph))
    except InvalidIRIError as exc:
        raise InvalidParameterError("graph", str(exc)) from exc
    additions = parse_part("additions", changeset.additions, changeset.format)
    removals = parse_part("removals", changeset.removals, changeset.format)
    if not len(additions) and not len(removals):
        raise InvalidParameterError("additions", "the changeset adds and removes nothing")
    change = Change(graph=changeset.graph, additions=additions, removals=removals)
    outcome = curator.submit(
        store, change, author=token, message=changeset.message, if_match=if_match, dry_run=dry_run
    )
    return outcome_response(request, outcome, token)


class RevertIn(BaseModel):
    message: str | None = Field(
        default=None,
        min_length=1,
        description="Why it is reverted: kept in the history (the record says whose revert it is "
        "either way).",
    )


@router.post(
    "/changesets/{id}/revert",
    summary="Revert a changeset",
    status_code=201,
    responses={
        404: {"description": "No such changeset"},
        422: {"description": "The inverse change breaks the shapes (the report), or cannot be made"}
        | SHAPES_REPORT,
    },
)
def revert_changeset(
    id: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    curator: CuratorDep,
    token: Annotated[Token, requires("curator")],
    revert: Annotated[RevertIn | None, Body()] = None,
    if_match: IfMatch = None,
    dry_run: Annotated[bool, Query(description="Validate and report, write nothing.")] = False,
) -> Response:
    """Make the inverse changeset (what it added is removed, what it removed is added back) and send
    it through the same gate, against the graph as it is now; it is kept in the history like any other."""
    found = _one_changeset(store, settings, id)
    if found["status"] != "applied":
        raise Conflict(f"changeset {id} is {found['status']}: only an applied changeset is reverted")
    change = parse_patch(found["patch"], graph=found["graph"]).inverse()
    if any(isinstance(node, BNode) for triple in change.removals for node in triple):
        raise InvalidParameterError(
            "id", "this changeset added blank nodes, which a patch cannot name to remove"
        )
    reason = revert.message if revert is not None else None
    message = f"Revert of {id}: {reason}" if reason else f"Revert of {id}"
    outcome = curator.submit(store, change, author=token, message=message, if_match=if_match, dry_run=dry_run)
    return outcome_response(request, outcome, token)


class RejectionIn(BaseModel):
    reason: str = Field(
        min_length=1, description="Why it is rejected: kept in the history, shown to its author."
    )


@router.post(
    "/changesets/{id}/approve",
    summary="Approve a submitted changeset (reviewer)",
    responses={
        403: {"description": "Not a reviewer, or the changeset is the reviewer's own"},
        404: {"description": "No such changeset"},
        409: {"description": "The changeset is not waiting for review"},
        412: {"description": "What it changes has changed since it was submitted"},
        422: {"description": "It breaks the shapes against the graph as it is now (the report)"}
        | SHAPES_REPORT,
    },
)
def approve_changeset(
    id: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    curator: CuratorDep,
    token: Annotated[Token, requires("reviewer")],
) -> Response:
    """Apply a submitted changeset: the versions it was written against must still be current, and it
    goes through the gate again, against the graph as it is now."""
    submitted = History(store, settings.base_iri).request_of(record_of(_one_changeset(store, settings, id)))
    # The records of one request are applied together, or none is.
    pairs = [(parse_patch(record.patch, graph=record.graph), record) for record in submitted]
    outcome = curator.approve(store, pairs, reviewer=token)
    if not outcome.conforms:
        return outcome_response(request, outcome, token)
    return answer(request, _one_changeset(store, settings, id), linked=False)


@router.post(
    "/changesets/{id}/reject",
    summary="Reject a submitted changeset, with a reason (reviewer)",
    responses={
        403: {"description": "Not a reviewer, or the changeset is the reviewer's own"},
        404: {"description": "No such changeset"},
        409: {"description": "The changeset is not waiting for review"},
    },
)
def reject_changeset(
    id: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    curator: CuratorDep,
    token: Annotated[Token, requires("reviewer")],
    rejection: Annotated[RejectionIn, Body()],
) -> Response:
    """Refuse a submitted changeset: nothing is applied; the reason stays in the history."""
    submitted = History(store, settings.base_iri).request_of(record_of(_one_changeset(store, settings, id)))
    curator.reject(store, submitted=submitted, reviewer=token, reason=rejection.reason)
    return answer(request, _one_changeset(store, settings, id), linked=False)


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
    status: Annotated[
        Literal["submitted", "applied", "rejected"] | None,
        Query(description="Only changesets in this state (`submitted`: those waiting for review)."),
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    """The history of changes: who, when, why, which graph, its state and review, and the patch."""
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
    if status:
        given["state"] = pyoxigraph.NamedNode(str(STATUSES[status]))
    found = History(store, settings.base_iri).find(**given)
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
    found = History(store, settings.base_iri).one(id)
    if found is None:
        raise NotFoundError(f"no changeset has the id {id!r}")
    return found
