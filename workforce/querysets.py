"""Filters over community workers."""

from communities.querysets import active_at_q
from core.scoping import ScopedQuerySet

COUNTED_ROLES = ("secretary", "director", "deputy_director", "member", "full_time")
COLLEGE_OR_HIGHER = ("college", "bachelor", "postgraduate")
BACHELOR_OR_HIGHER = ("bachelor", "postgraduate")


class WorkerQuerySet(ScopedQuerySet):
    def employed_at(self, year: int):
        """Keep workers hired by 31 December of ``year`` who had not left by then."""
        return self.filter(active_at_q(year, start="hired_on", end="left_on"))

    def counted(self):
        """Keep the roles that count as 社区工作人员 (INDICATORS.md, who is counted)."""
        return self.filter(role__in=COUNTED_ROLES)
