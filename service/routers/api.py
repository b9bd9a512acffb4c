"""/api/context.jsonld: the JSON-LD @context the API's answers link to (see service/answers.py)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from service.answers import JSONLD
from service.rdf import JSONLD_CONTEXT

#: The JSON-LD context of the API's objects: keys whose meaning is the same wherever they appear.
#: Keys it leaves out (labels in a chosen language, ids, counts) are plain JSON and expand to nothing.
API_CONTEXT: dict[str, Any] = {
    "@version": 1.1,
    # Not every prefix of /context.jsonld: "id" is a key of our objects here, not a prefix.
    **{prefix: JSONLD_CONTEXT[prefix] for prefix in ("unkg", "dct", "cito", "foaf")},
    "iri": "@id",
    "items": "@graph",
    "symbol": "unkg:symbol",
    "title": {"@id": "dct:title", "@container": "@language"},
    "text": {"@id": "unkg:text", "@container": "@language"},
    "quotedText": {"@id": "unkg:quotedText", "@container": "@language"},
    "acronym": {"@id": "unkg:acronym", "@container": "@language"},
    "issuer": {"@id": "unkg:issuedBy"},
    "submittedTo": {"@id": "unkg:submittedTo"},
    "requestedBy": {"@id": "unkg:requestedBy"},
    "cites": {"@id": "cito:cites"},
    "citedBy": {"@reverse": "cito:cites"},
    "page": {"@id": "foaf:page", "@type": "@id"},
    "reportIri": {"@id": "unkg:inReport", "@type": "@id"},
    "number": {"@id": "unkg:recommendationNumber"},
}


router = APIRouter(prefix="/api", tags=["api"])


@router.get(
    "/context.jsonld",
    summary="The JSON-LD @context of the API",
    response_class=Response,
    responses={200: {"content": {JSONLD: {"schema": {"type": "object"}}}}},
)
async def read_api_context() -> Response:
    """The JSON-LD @context of the API's answers (served at /api/context.jsonld)."""
    body = json.dumps({"@context": API_CONTEXT}, indent=2).encode()
    return Response(content=body, media_type=JSONLD)
