"""Filters over budget lines and yearly targets."""

from core.scoping import ScopedQuerySet


class BudgetLineQuerySet(ScopedQuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)

    def approved(self):
        return self.filter(status="approved")


class YearlyTargetQuerySet(ScopedQuerySet):
    pass
