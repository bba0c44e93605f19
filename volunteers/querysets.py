"""Filters over volunteer organisations, volunteers and their service records."""

import datetime
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.query import QuerySet

from core.querysets import LifespanQuerySet
from core.scoping import ScopedQuerySet

CONFIRMED = "confirmed"  # RecordStatus.CONFIRMED; the models import this module
HOURS = DecimalField(max_digits=9, decimal_places=1)
ZERO = Value(Decimal("0"), output_field=HOURS)

# 一星至五星 by cumulative confirmed hours: the common practice, kept as plan data
# (StarThreshold rows, seeded by a migration; these are the defaults).
DEFAULT_STAR_THRESHOLDS = (
    (1, "一星", Decimal("100")),
    (2, "二星", Decimal("300")),
    (3, "三星", Decimal("600")),
    (4, "四星", Decimal("1000")),
    (5, "五星", Decimal("1500")),
)


def star_level_of(hours: Decimal, thresholds: list[tuple[int, Decimal]]) -> int:
    """Return the star level (0–5) that ``hours`` of confirmed service reach."""
    level = 0
    for star, minimum in sorted(thresholds, key=lambda t: t[1]):
        if hours >= minimum:
            level = max(level, star)
    return level


def confirmed_hours_subquery(**filters):
    """Return a subquery of one volunteer's confirmed hours (optionally within ``filters``)."""
    from .models import ServiceRecord

    rows = (
        ServiceRecord.objects.filter(volunteer=OuterRef("pk"), status=CONFIRMED, **filters)
        .order_by()
        .values("volunteer")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=HOURS), ZERO)


class VolunteerOrganizationQuerySet(LifespanQuerySet):
    def with_activity(self, year: int):
        """Add ``volunteer_count`` (registered at ``year``) and ``hours_this_year`` (confirmed hours in ``year``)."""
        from .models import ServiceRecord, Volunteer

        volunteers = (
            Volunteer.objects.active_at(year)
            .filter(organization=OuterRef("pk"))
            .order_by()
            .values("organization")
            .annotate(n=Count("pk"))
            .values("n")
        )
        hours = (
            ServiceRecord.objects.filter(
                organization=OuterRef("pk"),
                status=CONFIRMED,
                served_on__gte=datetime.date(year, 1, 1),
                served_on__lte=datetime.date(year, 12, 31),
            )
            .order_by()
            .values("organization")
            .annotate(total=Sum("hours"))
            .values("total")
        )
        return self.annotate(
            volunteer_count=Coalesce(Subquery(volunteers, output_field=IntegerField()), 0),
            hours_this_year=Coalesce(Subquery(hours, output_field=HOURS), ZERO),
        )


class VolunteerQuerySet(LifespanQuerySet):
    def registered_at(self, year: int):
        """Keep volunteers registered by 31 December of ``year`` who had not left by then."""
        return self.active_at(year)

    def with_confirmed_hours(self):
        """Add ``confirmed_hours``: the sum of the volunteer's confirmed service records."""
        return self.annotate(confirmed_hours=confirmed_hours_subquery())

    def with_hours_in(self, year: int):
        """Add ``hours_this_year``: confirmed hours served in ``year``."""
        return self.annotate(
            hours_this_year=confirmed_hours_subquery(
                served_on__gte=datetime.date(year, 1, 1), served_on__lte=datetime.date(year, 12, 31)
            )
        )

    def with_star_level(self):
        """Add ``confirmed_hours`` and ``star_level`` (0–5) by the thresholds in force.

        The level is read from the thresholds' table inside the same query (the highest level
        whose minimum the hours reach), so a list costs no extra query.
        """
        from .models import StarThreshold

        qs = self if "confirmed_hours" in self.query.annotations else self.with_confirmed_hours()
        level = (
            StarThreshold.objects.filter(min_hours__lte=OuterRef("confirmed_hours"))
            .order_by("-min_hours")
            .values("level")[:1]
        )
        return qs.annotate(
            star_level=Coalesce(Subquery(level, output_field=IntegerField()), Value(0))
        )

    def with_star(self, level: int, pairs: list[tuple[int, Decimal]] | None = None):
        """Keep the volunteers whose confirmed hours reach exactly star ``level``.

        A GROUP BY … HAVING over the records, not a sum per volunteer: over a province's
        million volunteers only those with records are read.
        """
        from .models import ServiceRecord, StarThreshold

        pairs = sorted(
            StarThreshold.objects.pairs() if pairs is None else pairs, key=lambda t: t[1]
        )
        bounds = [minimum for _, minimum in pairs]
        levels = [star for star, _ in pairs]
        totals = (
            ServiceRecord.objects.filter(status=CONFIRMED)
            .order_by()
            .values("volunteer")
            .annotate(total=Sum("hours"))
        )
        if level == 0:
            if not bounds:
                return self
            return self.exclude(pk__in=totals.filter(total__gte=bounds[0]).values("volunteer"))
        if level not in levels:
            return self.none()
        i = levels.index(level)
        reached = totals.filter(total__gte=bounds[i])
        if i + 1 < len(bounds):
            reached = reached.filter(total__lt=bounds[i + 1])
        return self.filter(pk__in=reached.values("volunteer"))

    def active_since(self, day: datetime.date):
        """Keep volunteers with a confirmed service on or after ``day``."""
        from .models import ServiceRecord

        return self.filter(
            pk__in=ServiceRecord.objects.filter(status=CONFIRMED, served_on__gte=day).values(
                "volunteer"
            )
        )

    def active_in_last_year(self, today: datetime.date | None = None):
        """Keep volunteers who served (confirmed) in the twelve months up to ``today``."""
        today = today or datetime.date.today()
        try:
            start = today.replace(year=today.year - 1)
        except ValueError:  # 29 February
            start = today.replace(year=today.year - 1, day=28)
        return self.active_since(start + datetime.timedelta(days=1))


class ServiceRecordQuerySet(ScopedQuerySet):
    def confirmed(self):
        """Keep the records that count (confirmed)."""
        return self.filter(status=CONFIRMED)

    def served_in(self, year: int):
        return self.filter(
            served_on__gte=datetime.date(year, 1, 1), served_on__lte=datetime.date(year, 12, 31)
        )

    def hours_total(self) -> Decimal:
        """Return the sum of the hours of these records (0 when none)."""
        return self.aggregate(total=Coalesce(Sum("hours"), ZERO))["total"]

    def hours_by_year(self) -> list[dict]:
        """Return ``[{"year", "hours", "volunteers"}]`` of these records, oldest year first."""
        from django.db.models.functions import ExtractYear

        return list(
            self.annotate(year=ExtractYear("served_on"))
            .order_by("year")
            .values("year")
            .annotate(hours=Sum("hours"), volunteers=Count("volunteer", distinct=True))
        )

    def star_counts(self, pairs: list[tuple[int, Decimal]]) -> dict[int, int]:
        """Return ``{star level: volunteers}`` over these (confirmed) records' volunteers.

        Only volunteers with records are counted: the others are at level 0 by definition, and
        reading a million registered volunteers for them would cost more than the answer is worth.
        """
        whens = [
            When(total__gte=minimum, then=Value(level))
            for level, minimum in sorted(pairs, key=lambda t: -t[1])
        ]
        levels = (
            self.order_by()
            .values("volunteer")
            .annotate(total=Sum("hours"))
            .annotate(level=Case(*whens, default=Value(0), output_field=IntegerField()))
            .values_list("level", flat=True)
        )
        counts: dict[int, int] = {}
        for level in levels.iterator(chunk_size=5000):
            counts[level] = counts.get(level, 0) + 1
        return counts

    def hours_by_category(self) -> dict[str, Decimal]:
        """Return ``{category: hours}`` of these records."""
        rows = self.order_by().values("category").annotate(total=Sum("hours"))
        return {row["category"]: row["total"] for row in rows}


class StarThresholdQuerySet(QuerySet):
    def pairs(self) -> list[tuple[int, Decimal]]:
        """Return ``[(level, min_hours)]``, the defaults when the table is empty."""
        rows = list(self.order_by("level").values_list("level", "min_hours"))
        return rows or [(level, hours) for level, _, hours in DEFAULT_STAR_THRESHOLDS]


class TransferRequestQuerySet(ScopedQuerySet):
    """Transfer requests: seen from the receiving community and from the sending one."""

    def under(self, code: str):
        """Keep the requests whose receiving or sending community lies under ``code``."""
        from core.scoping import prefix_q

        return self.filter(prefix_q("to_community_id", code) | prefix_q("from_community_id", code))

    def pending(self):
        """Keep the requests that wait for a decision."""
        return self.filter(status="requested")
