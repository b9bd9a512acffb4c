"""Where each organization stands on a recommendation as of a date, in the JIU's sense.

A recommendation is open for an organization when its latest status as of the date says accepted or
under consideration and not yet implemented; not accepted and not relevant close it. Without any
status as of the date the sources are silent, and it is neither open nor closed.
"""

from __future__ import annotations

from collections import Counter

from service.catalog.records import Catalog, Recommendation, Status

OPEN_ACCEPTANCE = frozenset({"accepted", "under_consideration"})


def latest_status(recommendation: Recommendation, organization: str, *, as_of: str | None) -> Status | None:
    """The organization's latest status on `recommendation` dated on or before `as_of` (None: any date)."""
    for status in recommendation.statuses_by_organization.get(organization, ()):
        if as_of is None or (status.as_of is not None and status.as_of <= as_of):
            return status
    return None


def latest_statuses(recommendation: Recommendation, *, as_of: str | None) -> dict[str, Status]:
    """Each organization's latest status on `recommendation` dated on or before `as_of`."""
    latest = {}
    for organization in recommendation.statuses_by_organization:
        status = latest_status(recommendation, organization, as_of=as_of)
        if status is not None:
            latest[organization] = status
    return latest


def is_open(status: Status) -> bool:
    """Accepted or under consideration, and not implemented."""
    return status.acceptance in OPEN_ACCEPTANCE and status.implementation != "implemented"


def status_summary(catalog: Catalog, organization: str, *, as_of: str | None) -> dict[str, object]:
    """Counts of the organization's latest statuses by acceptance and implementation, and of open ones."""
    body = catalog.bodies.get(organization)
    acceptance: Counter[str] = Counter()
    implementation: Counter[str] = Counter()
    open_count = assessed = 0
    for iri in body.recommendations if body else ():
        status = latest_status(catalog.recommendations[iri], organization, as_of=as_of)
        if status is None:
            continue
        assessed += 1
        acceptance[status.acceptance or "none"] += 1
        implementation[status.implementation or "none"] += 1
        open_count += is_open(status)
    return {
        "asOf": as_of,
        "assessed": assessed,
        "open": open_count,
        "acceptance": dict(sorted(acceptance.items())),
        "implementation": dict(sorted(implementation.items())),
    }
