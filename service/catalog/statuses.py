"""Where each organization stands on a recommendation as of a date, in the JIU's sense.

A recommendation is open for an organization when its latest status as of the date says accepted or
under consideration and not yet implemented; not accepted and not relevant close it. Without any
status as of the date the sources are silent, and it is neither open nor closed.

StatusIndex answers the status questions of the API with set lookups: the statuses only change on
the dates they are dated, so any `as_of` stands as the latest status date on or before it, and the
standing at each such date is worked out once (on its first question) and kept.
"""

from __future__ import annotations

import bisect
import threading
from collections import defaultdict
from dataclasses import dataclass, field

from service.catalog.records import Catalog, Recommendation, Status

OPEN_ACCEPTANCE = frozenset({"accepted", "under_consideration"})
#: An acceptance and an implementation notation (None where the status states none).
Values = tuple[str | None, str | None]


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


def is_open(acceptance: str | None, implementation: str | None) -> bool:
    """Accepted or under consideration, and not implemented."""
    return acceptance in OPEN_ACCEPTANCE and implementation != "implemented"


@dataclass(frozen=True, slots=True)
class StatusQuestion:
    """What a status filter asks; None leaves that part open. Every part must hold of one status."""

    acceptance: str | None = None
    implementation: str | None = None
    open: bool | None = None

    def asks(self) -> bool:
        return self.acceptance is not None or self.implementation is not None or self.open is not None

    def accepts(self, values: Values) -> bool:
        acceptance, implementation = values
        return (
            (self.acceptance is None or acceptance == self.acceptance)
            and (self.implementation is None or implementation == self.implementation)
            and (self.open is None or is_open(acceptance, implementation) == self.open)
        )


@dataclass(slots=True)
class Standing:
    """Every organization's latest status on every recommendation, as of one date."""

    #: Recommendations by the values of some organization's latest status.
    by_values: dict[Values, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: Recommendations by one organization and the values of its latest status.
    by_organization: dict[str, dict[Values, set[str]]] = field(default_factory=lambda: defaultdict(dict))
    #: Each recommendation's latest statuses (one per organization), latest first.
    latest: dict[str, list[Status]] = field(default_factory=dict)

    def add(self, recommendation: str, status: Status) -> None:
        self.latest.setdefault(recommendation, []).append(status)
        values = (status.acceptance, status.implementation)
        self.by_values[values].add(recommendation)
        self.by_organization[status.organization].setdefault(values, set()).add(recommendation)

    def matching(self, question: StatusQuestion, *, organization: str | None) -> set[str]:
        """The recommendations on which the organization (or else any) stands as the question asks."""
        groups = self.by_values if organization is None else self.by_organization.get(organization, {})
        found: set[str] = set()
        for values, recommendations in groups.items():
            if question.accepts(values):
                found |= recommendations
        return found

    def summary(self, organization: str) -> dict[str, object]:
        """Counts of the organization's latest statuses by acceptance and implementation, and open ones."""
        acceptance: dict[str, int] = defaultdict(int)
        implementation: dict[str, int] = defaultdict(int)
        assessed = open_count = 0
        for (accepted, implemented), recommendations in self.by_organization.get(organization, {}).items():
            count = len(recommendations)
            assessed += count
            acceptance[accepted or "none"] += count
            implementation[implemented or "none"] += count
            open_count += count if is_open(accepted, implemented) else 0
        return {
            "assessed": assessed,
            "open": open_count,
            "acceptance": dict(sorted(acceptance.items())),
            "implementation": dict(sorted(implementation.items())),
        }


def _latest_first(status: Status) -> tuple[str, str]:
    return (status.as_of or "", status.organization)


class StatusIndex:
    """The standing of a catalog as of each status date, each worked out on its first question."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.dates = sorted(
            {status.as_of for r in catalog.recommendations.values() for status in r.statuses if status.as_of}
        )
        self._standings: dict[str | None, Standing] = {}
        self._lock = threading.Lock()

    def standing(self, as_of: str | None) -> Standing:
        """Where things stand on `as_of` (None: every status, whatever its date)."""
        if as_of is None:
            key = None
        else:
            found = bisect.bisect_right(self.dates, as_of)
            if not found:
                return Standing()  # before the first status: the sources say nothing yet
            key = self.dates[found - 1]
        standing = self._standings.get(key)
        if standing is None:
            with self._lock:
                standing = self._standings.get(key)
                if standing is None:
                    standing = self._standings[key] = self._work_out(key)
        return standing

    def _work_out(self, as_of: str | None) -> Standing:
        standing = Standing()
        for recommendation in self.catalog.recommendations.values():
            current = latest_statuses(recommendation, as_of=as_of).values()
            for status in sorted(current, key=_latest_first, reverse=True):
                standing.add(recommendation.iri, status)
        return standing

    def summary(self, organization: str, *, as_of: str | None) -> dict[str, object]:
        """The organization's status counts as of `as_of` (see Standing.summary)."""
        return {"asOf": as_of, **self.standing(as_of).summary(organization)}
