"""Filters over volunteer organisations, volunteers and their service records."""

from core.querysets import LifespanQuerySet
from core.scoping import ScopedQuerySet


class VolunteerOrganizationQuerySet(LifespanQuerySet):
    pass


class VolunteerQuerySet(LifespanQuerySet):
    def registered_at(self, year: int):
        """Keep volunteers registered by 31 December of ``year`` who had not left by then."""
        return self.active_at(year)


class ServiceRecordQuerySet(ScopedQuerySet):
    pass
