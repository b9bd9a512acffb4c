"""The errors unkg raises, translated once from each backend at its boundary.

    ServiceError
    ├── InvalidIRIError
    ├── NotFoundError
    ├── InvalidParameterError     (a request parameter's value: which one, and what it may be)
    ├── NotAcceptable
    ├── UnsupportedMediaType
    ├── QuerySyntaxError
    ├── QueryTooComplex           (nested too deep, or too many operators, for the engine)
    ├── QueryEvaluationError      (a well-formed query the engine cannot evaluate)
    ├── ForbiddenOperation        (SERVICE off the allow-list, LOAD)
    ├── RdfSyntaxError            (line, column)
    │   └── TermTooLargeError     (a literal or IRI over the 16 MiB a parser holds of one term)
    ├── PreconditionRequired      (a write to something that exists, without If-Match)
    ├── PreconditionFailed        (If-Match names a version that is no longer current)
    ├── Conflict                  (a changeset not in the state the request needs)
    └── StoreError
        ├── LayoutError           (the store answers, but its default graph could not be laid out)
        ├── StoreUnavailable
        │   └── EngineRestarted   (the engine process died while answering; it is starting again)
        └── StoreTimeout
            └── QueryTimeout      (the query's own time limit, not the backend's)

No HTTP here: `app.py` maps each class to a status.
"""

from __future__ import annotations


class ServiceError(Exception):
    """Base of every error unkg raises on purpose."""

    code = "service_error"


class InvalidIRIError(ServiceError):
    code = "invalid_iri"


class NotFoundError(ServiceError):
    code = "not_found"


class InvalidParameterError(ServiceError):
    """A request parameter whose value is not one the API knows: names it and, when few, what it may be."""

    code = "invalid_parameter"

    def __init__(self, parameter: str, message: str, *, allowed: list[str] | None = None) -> None:
        self.parameter = parameter
        self.allowed = allowed
        detail = f"{parameter}: {message}"
        if allowed:
            detail += "; allowed values: " + ", ".join(allowed)
        super().__init__(detail)


class NotAcceptable(ServiceError):
    """None of the media types the client accepts is offered."""

    code = "not_acceptable"

    def __init__(self, offered: list[str]) -> None:
        self.offered = offered
        super().__init__("acceptable media types are: " + ", ".join(offered))


class UnsupportedMediaType(ServiceError):
    code = "unsupported_media_type"


class QuerySyntaxError(ServiceError):
    """A SPARQL query or update that does not parse."""

    code = "query_syntax"


class QueryTooComplex(ServiceError):
    """A query or update nested deeper, or with more operators, than the engine can safely read."""

    code = "query_too_complex"


class QueryEvaluationError(ServiceError):
    """A well-formed query the engine cannot evaluate (an unknown function, say)."""

    code = "query_evaluation"


class ForbiddenOperation(ServiceError):
    """A well-formed request this endpoint refuses to carry out."""

    code = "forbidden"


class RdfSyntaxError(ServiceError):
    """RDF data that does not parse; `line` and `column` are 1-based when known."""

    code = "rdf_syntax"

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None) -> None:
        self.message = message
        self.line = line
        self.column = column
        super().__init__(f"line {line}, column {column}: {message}" if line else message)


class TermTooLargeError(RdfSyntaxError):
    """A literal (or an IRI) longer than pyoxigraph's parsers hold: written, it would make every answer
    that returns it fail, so it is refused before anything is written."""

    code = "term_too_large"


class PreconditionRequired(ServiceError):
    """A write to resources or a graph that exist, sent without If-Match."""

    code = "precondition_required"

    def __init__(self, message: str, *, details: dict[str, object]) -> None:
        self.details = details
        super().__init__(message)


class PreconditionFailed(ServiceError):
    """If-Match names none of the current versions: something changed since the client read it."""

    code = "precondition_failed"

    def __init__(self, message: str, *, details: dict[str, object]) -> None:
        self.details = details
        super().__init__(message)


class Conflict(ServiceError):
    """The request needs a changeset in another state (approving one already applied, say)."""

    code = "conflict"


class StoreError(ServiceError):
    code = "store_error"


class LayoutError(StoreError):
    """The store's default graph could not be made what the layout says (its copy of the union failed):
    served, it would answer from a default graph that is not whole."""

    code = "layout_failed"


class StoreUnavailable(StoreError):
    code = "store_unavailable"


class EngineRestarted(StoreUnavailable):
    """The engine process stopped while answering (a crash, or another query killed at its deadline)
    and is being started again: the request may be sent again."""

    code = "engine_restarted"


class StoreTimeout(StoreError):
    code = "store_timeout"


class QueryTimeout(StoreTimeout):
    """A query ran past the time it is allowed and was stopped."""

    code = "query_timeout"
