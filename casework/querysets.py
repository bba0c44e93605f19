"""Querysets of the request pipeline: open, overdue, due soon, a unit's queue."""

import datetime

from django.db.models import Case as When_
from django.db.models import F, IntegerField, Q, Value, When

from core.scoping import ScopedQuerySet

from . import calendar

OPEN = ("registered", "dispatched", "in_progress", "returned")
DONE = ("resolved", "closed")


def overdue_q(today: datetime.date) -> Q:
    """Not resolved by the end of ``due_on``: still open after it, or resolved later."""
    return Q(resolved_on__isnull=True, due_on__lt=today) | Q(resolved_on__gt=F("due_on"))


def overdue_open_q(today: datetime.date) -> Q:
    return Q(status__in=OPEN, due_on__lt=today)


class HandlingUnitQuerySet(ScopedQuerySet):
    pass


class CaseQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN)

    def overdue(self, today: datetime.date | None = None):
        return self.filter(overdue_q(today or calendar.today()))

    def overdue_open(self, today: datetime.date | None = None):
        return self.filter(overdue_open_q(today or calendar.today()))

    def due_soon(self, today: datetime.date | None = None, working_days: int = 2):
        """Open, not yet overdue, due within ``working_days`` working days."""
        today = today or calendar.today()
        limit, _ = calendar.add_working_days(today, working_days)
        return self.filter(status__in=OPEN, due_on__gte=today, due_on__lte=limit)

    def overdue_first(self, today: datetime.date | None = None):
        """Overdue open requests first, then by due date."""
        today = today or calendar.today()
        return self.annotate(
            _late=When_(
                When(overdue_open_q(today), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("_late", "due_on", "number")
