"""Filters over facilities."""

from core.querysets import LifespanQuerySet
from core.scoping import ScopedQuerySet


class FacilityQuerySet(LifespanQuerySet):
    def in_service_at(self, year: int):
        """Keep the facilities in service on 31 December of ``year`` (INDICATORS.md)."""
        return self.active_at(year)

    def centres(self):
        return self.filter(kind="centre")

    def stations(self):
        return self.filter(kind="station")


class FacilityFundingQuerySet(ScopedQuerySet):
    pass
