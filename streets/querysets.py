"""Filters over divisions and streets."""

from core.scoping import ScopedQuerySet


class DivisionQuerySet(ScopedQuerySet):
    def prefectures(self):
        return self.filter(level="prefecture")

    def counties(self):
        return self.filter(level="county")


class StreetQuerySet(ScopedQuerySet):
    def subdistricts(self):
        """Keep the streets of kind 街道办事处, the ones held to the service-centre target."""
        return self.filter(kind="subdistrict")
