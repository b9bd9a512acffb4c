"""Pydantic models of the JSON API's answers that every router shares: the error bodies.

They describe what `app.py`'s error handlers and the changeset router write; the OpenAPI document
is built from them, so what it promises is what is sent.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ErrorPublic(BaseModel):
    """Any 4xx or 5xx answer: a code for programs and a sentence naming what was wrong."""

    model_config = ConfigDict(extra="allow")

    error: str = Field(description="What kind of problem: query_syntax, invalid_iri, not_found, …")
    detail: str = Field(description="What was wrong, in a sentence: the parameter, limit or value.")


class ProblemPublic(BaseModel):
    """One parameter a request got wrong."""

    model_config = ConfigDict(populate_by_name=True)

    parameter: str | None = Field(description="The parameter's name (or the body field's).")
    in_: str | None = Field(alias="in", description="Where it was: query, path, header, body.")
    message: str | None = Field(description="What is wrong with it.")
    allowed: Any = Field(default=None, description="The values it may take, when they are few.")


class InvalidParameterPublic(ErrorPublic):
    """422: a parameter or body field has a wrong value; `problems` lists each when several are."""

    model_config = ConfigDict(extra="allow")

    parameter: str | None = Field(description="The (first) parameter that is wrong.")
    allowed: list[str] | None = Field(default=None, description="The values it may take.")
    problems: list[ProblemPublic] | None = Field(default=None, description="Each parameter that is wrong.")


class ShapeResultPublic(BaseModel):
    """One SHACL result of a refused change."""

    focusNode: str
    path: str | None
    value: str | None
    shape: str
    constraint: str
    severity: str
    message: str | None


class ShapesReportPublic(ErrorPublic):
    """422: the change breaks the shapes; nothing was written. `results` says where and why."""

    model_config = ConfigDict(extra="allow")

    conforms: bool = Field(description="Always false here.")
    focusNodes: int = Field(description="How many nodes the change touches (and were checked).")
    results: list[ShapeResultPublic]
