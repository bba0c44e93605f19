"""Filters over the teams' records."""

import datetime

from django.db.models import Q

from core.querysets import LifespanQuerySet
from core.scoping import ScopedQuerySet


def runs_in_q(year: int, prefix: str = "") -> Q:
    """Projects running at some time in ``year`` (started by its end, not ended before its start)."""
    return Q(**{f"{prefix}starts_on__lte": datetime.date(year, 12, 31)}) & (
        Q(**{f"{prefix}ends_on__isnull": True})
        | Q(**{f"{prefix}ends_on__gte": datetime.date(year, 1, 1)})
    )


class CommitteeQuerySet(LifespanQuerySet):
    pass


class TrainingPlanQuerySet(ScopedQuerySet):
    def applying_to(self, code: str, year: int):
        """The plan of ``code`` or of the nearest region above it for ``year`` (or None)."""
        prefixes = [code[:n] for n in (9, 6, 4, 2) if len(code) >= n]
        plans = {p.region_code: p for p in self.filter(year=year, region_code__in=prefixes)}
        return next((plans[p] for p in prefixes if p in plans), None)


class EntrustedProjectQuerySet(ScopedQuerySet):
    def running_in(self, year: int):
        return self.filter(runs_in_q(year))
