"""QuerySets every app builds on: rows under a code, rows alive at the end of a year."""

from django.db.models import Q

from .dates import year_end
from .scoping import ScopedQuerySet


def active_at_q(year: int, start: str, end: str, prefix: str = "") -> Q:
    """Return a Q for rows started on or before 31 December of ``year`` and not ended by then."""
    day = year_end(year)
    return Q(**{f"{prefix}{start}__lte": day}) & (
        Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gt": day})
    )


def lifespan_q(model, year: int, prefix: str = "") -> Q:
    """Return ``active_at_q`` over the start and end fields ``model`` declares (``LIFESPAN``)."""
    start, end = model.LIFESPAN
    return active_at_q(year, start, end, prefix)


class LifespanQuerySet(ScopedQuerySet):
    """Rows of a ``core.models.Lifespan`` model."""

    def active_at(self, year: int):
        """Keep the rows that exist on 31 December of ``year`` (started, not yet ended)."""
        return self.filter(lifespan_q(self.model, year))
