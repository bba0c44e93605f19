"""Filters and annotations over communities, their statistics and social organisations."""

from django.db import models

from core.querysets import LifespanQuerySet
from core.scoping import ScopedQuerySet


class CommunityQuerySet(ScopedQuerySet):
    pass


class CommunityStatQuerySet(ScopedQuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)

    def awaiting_approval(self, level: str | None = None):
        """Submitted rows; with ``level``, those waiting for that level (or for any official,
        when they need one approval only: no reporting period for their year)."""
        rows = self.filter(status="submitted")
        if level is None:
            return rows
        waiting = models.Q(approval_levels=[])
        for index in range(4):  # street, county, prefecture, province
            waiting |= models.Q(approved_levels=index, **{f"approval_levels__{index}": level})
        return rows.filter(waiting)


class SocialOrganizationQuerySet(LifespanQuerySet):
    pass
