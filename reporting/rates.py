"""Reporting rates (DHIS2's reporting rates): actual ÷ expected reports, and on time.

Everything is counted in the database, grouped by the code prefix of the scope's children, so
a scope costs the same few queries whatever the number of communities. Totals are sums of
the children's counts (ratio of sums, as in compliance).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Substr

from accounts.models import User
from communities.models import Community, CommunityStat, StatStatus
from communities.scopes import Scope, child_level, child_units
from core.roles import Role
from core.scoping import CODE_LENGTHS

COUNTS = ("expected", "entered", "submitted", "approved", "on_time")
RATES = (
    ("submitted_rate", "submitted"),
    ("approved_rate", "approved"),
    ("on_time_rate", "on_time"),
)
FOUR = Decimal("0.0001")


def rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(FOUR, rounding=ROUND_HALF_UP)


@dataclass
class Rates:
    code: str
    name: str
    level: str
    expected: int = 0
    entered: int = 0
    submitted: int = 0
    approved: int = 0
    on_time: int = 0
    children: list["Rates"] = field(default_factory=list)

    def rate(self, name: str) -> Decimal | None:
        return rate(getattr(self, dict(RATES)[name]), self.expected)

    @property
    def submitted_rate(self):
        return self.rate("submitted_rate")

    @property
    def approved_rate(self):
        return self.rate("approved_rate")

    @property
    def on_time_rate(self):
        return self.rate("on_time_rate")

    @property
    def not_submitted(self) -> int:
        return self.expected - self.submitted

    def add(self, counts: dict) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + (counts.get(name) or 0))


def unit_counts(scope_code: str, year: int, length: int) -> dict[str, dict]:
    """Return the counts of ``year`` under ``scope_code`` by code prefix of ``length`` (2 queries)."""
    counts: dict[str, dict] = {}
    expected = (
        Community.objects.under(scope_code)
        .annotate(unit=Substr("code", 1, length))
        .order_by()
        .values("unit")
        .annotate(expected=Count("code"))
    )
    for row in expected:
        counts[row["unit"]] = {"expected": row["expected"]}
    reached = Q(status__in=(StatStatus.SUBMITTED, StatStatus.APPROVED))
    stats = (
        CommunityStat.objects.under(scope_code)
        .filter(year=year)
        .annotate(unit=Substr("community_id", 1, length))
        .order_by()
        .values("unit")
        .annotate(
            entered=Count("pk"),
            submitted=Count("pk", filter=reached),
            approved=Count("pk", filter=Q(status=StatStatus.APPROVED)),
            on_time=Count("pk", filter=Q(submitted_on_time=True)),
        )
    )
    for row in stats:
        counts.setdefault(row.pop("unit"), {}).update(row)
    return counts


def reporting_rates(scope: Scope, year: int) -> Rates:
    """Return the rates of ``scope`` in ``year`` with one entry per child (3 queries)."""
    total = Rates(scope.code, scope.name, scope.level)
    level = child_level(scope.level)
    if level is None:
        for counts in unit_counts(scope.code, year, CODE_LENGTHS["community"]).values():
            total.add(counts)
        return total
    counts = unit_counts(scope.code, year, CODE_LENGTHS[level])
    for code, name in child_units(scope.code):
        child = Rates(code, name, level)
        child.add(counts.get(code, {}))
        total.children.append(child)
        total.add(counts.get(code, {}))
    return total


def late_communities(scope_code: str, year: int):
    """Communities under ``scope_code`` not submitted (none, draft, returned) or submitted late.

    Annotated with ``stat_status`` (None: nothing entered) and ``first_submitted_at``; one query.
    """
    stat = CommunityStat.objects.filter(community=OuterRef("pk"), year=year)
    fine = stat.filter(
        status__in=(StatStatus.SUBMITTED, StatStatus.APPROVED), submitted_on_time=True
    )
    unknown_due = stat.filter(
        status__in=(StatStatus.SUBMITTED, StatStatus.APPROVED), submitted_on_time__isnull=True
    )
    return (
        Community.objects.under(scope_code)
        .filter(~Exists(fine), ~Exists(unknown_due))
        .annotate(
            stat_status=Subquery(stat.values("status")[:1]),
            first_submitted_at=Subquery(stat.values("first_submitted_at")[:1]),
        )
        .select_related("street")
        .order_by("code")
    )


def staff_names(codes) -> dict[str, list[str]]:
    """Return the names of the active staff of each community code (one query)."""
    names: dict[str, list[str]] = {}
    users = (
        User.objects.filter(role=Role.STAFF, is_active=True, scope_code__in=list(codes))
        .order_by("scope_code", "username")
        .values_list("scope_code", "first_name", "last_name", "username")
    )
    for code, first, last, username in users:
        names.setdefault(code, []).append(f"{last}{first}".strip() or username)
    return names
