"""Filters over community workers."""

from core.querysets import LifespanQuerySet
from core.scoping import ScopedQuerySet

COUNTED_ROLES = ("secretary", "director", "deputy_director", "member", "full_time")
COLLEGE_OR_HIGHER = ("college", "bachelor", "postgraduate")
BACHELOR_OR_HIGHER = ("bachelor", "postgraduate")


class WorkerQuerySet(LifespanQuerySet):
    def employed_at(self, year: int):
        """Keep workers hired by 31 December of ``year`` who had not left by then."""
        return self.active_at(year)

    def counted(self):
        """Keep the roles that count as 社区工作人员 (INDICATORS.md, who is counted)."""
        return self.filter(role__in=COUNTED_ROLES)


class TrainingQuerySet(ScopedQuerySet):
    pass
