"""Filters and annotations over communities, their statistics and social organisations."""

from core.querysets import LifespanQuerySet
from core.scoping import ScopedQuerySet


class CommunityQuerySet(ScopedQuerySet):
    pass


class CommunityStatQuerySet(ScopedQuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)

    def awaiting_approval(self):
        return self.filter(status="submitted")


class SocialOrganizationQuerySet(LifespanQuerySet):
    pass
