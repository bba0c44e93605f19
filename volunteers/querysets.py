"""Filters over volunteer organisations and volunteers."""

from communities.querysets import active_at_q
from core.scoping import ScopedQuerySet


class VolunteerOrganizationQuerySet(ScopedQuerySet):
    def active_at(self, year: int):
        """Keep organisations registered by 31 December of ``year`` and not dissolved then."""
        return self.filter(active_at_q(year))


class VolunteerQuerySet(ScopedQuerySet):
    def registered_at(self, year: int):
        """Keep volunteers registered by 31 December of ``year`` who had not left by then."""
        return self.filter(active_at_q(year, end="left_on"))
