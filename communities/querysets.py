"""Filters and annotations over communities, their statistics and social organisations."""

from django.db.models import Q

from core.dates import year_end
from core.scoping import ScopedQuerySet


def active_at_q(year: int, start: str = "registered_on", end: str = "dissolved_on", prefix: str = "") -> Q:
    """Return a Q for rows started on or before 31 December of ``year`` and not ended by then."""
    day = year_end(year)
    return Q(**{f"{prefix}{start}__lte": day}) & (
        Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gt": day})
    )


class CommunityQuerySet(ScopedQuerySet):
    pass


class CommunityStatQuerySet(ScopedQuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)

    def awaiting_approval(self):
        return self.filter(status="submitted")


class SocialOrganizationQuerySet(ScopedQuerySet):
    def active_at(self, year: int):
        """Keep the organisations registered by 31 December of ``year`` and not dissolved then."""
        return self.filter(active_at_q(year))
