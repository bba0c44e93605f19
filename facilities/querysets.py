"""Filters over facilities."""

from django.db.models import Q

from core.dates import year_end
from core.scoping import ScopedQuerySet


def in_service_q(year: int, prefix: str = "") -> Q:
    """Return a Q for facilities in service on 31 December of ``year`` (INDICATORS.md)."""
    day = year_end(year)
    return Q(**{f"{prefix}opened_on__lte": day}) & (
        Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gt": day})
    )


class FacilityQuerySet(ScopedQuerySet):
    def in_service_at(self, year: int):
        """Keep the facilities opened by 31 December of ``year`` and not closed by then."""
        return self.filter(in_service_q(year))

    def centres(self):
        return self.filter(kind="centre")

    def stations(self):
        return self.filter(kind="station")
