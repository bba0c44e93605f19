"""The pipeline's measures for a scope and a period, counted in the database.

One aggregate query for the totals, one per breakdown (category, channel, child of the scope,
handling unit) and one for the median: the same figures on the dashboard, in the API and in
the compliance workbook. Rates stay ``Decimal`` (4 places) until written.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q
from django.db.models.functions import Substr

from communities.scopes import child_level, child_units
from core.scoping import CODE_LENGTHS, LEVEL_BY_LENGTH

from . import calendar
from .models import Case, CaseCategory, Channel, HandlingUnit
from .querysets import DONE, OPEN

FOUR = Decimal("0.0001")
PERIOD_PATTERNS = {
    "month": re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"),
    "quarter": re.compile(r"^(\d{4})-Q([1-4])$"),
}


@dataclass(frozen=True)
class Period:
    label: str  # "2015", "2015-Q3", "2015-09"
    start: datetime.date
    end: datetime.date  # inclusive


def year_period(year: int) -> Period:
    return Period(str(year), datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def month_period(year: int, month: int) -> Period:
    start = datetime.date(year, month, 1)
    nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return Period(f"{year}-{month:02d}", start, nxt - datetime.timedelta(days=1))


def quarter_period(year: int, quarter: int) -> Period:
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = month_period(year, 3 * quarter).end
    return Period(f"{year}-Q{quarter}", start, end)


def parse_period(*, year=None, month=None, quarter=None) -> Period | None:
    """Read a period from ``month=YYYY-MM``, ``quarter=YYYY-Qn`` or ``year``; None if malformed."""
    if month:
        m = PERIOD_PATTERNS["month"].match(str(month))
        return month_period(int(m[1]), int(m[2])) if m else None
    if quarter:
        m = PERIOD_PATTERNS["quarter"].match(str(quarter).upper())
        return quarter_period(int(m[1]), int(m[2])) if m else None
    if year not in (None, ""):
        text = str(year)
        if text.isdigit() and 2000 <= int(text) <= 2100:
            return year_period(int(text))
        return None
    return None


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(FOUR, rounding=ROUND_HALF_UP)


def aggregates(today: datetime.date) -> dict:
    """The counts of one group, as conditional aggregates (one pass over the rows)."""
    return {
        "received": Count("id"),
        "resolved": Count("id", filter=Q(status__in=DONE)),
        "closed": Count("id", filter=Q(status="closed")),
        "open": Count("id", filter=Q(status__in=OPEN)),
        "overdue_open": Count("id", filter=Q(status__in=OPEN, due_on__lt=today)),
        "on_time": Count("id", filter=Q(status__in=DONE, resolved_on__lte=F("due_on"))),
        "rated": Count("id", filter=Q(status="closed")),
        "satisfied": Count(
            "id", filter=Q(status="closed", satisfaction__in=("satisfied", "basically_satisfied"))
        ),
        "reopened": Count("id", filter=Q(reopen_count__gt=0)),
        "sent_back": Count("id", filter=Q(sent_back_count__gt=0)),
    }


@dataclass
class Figures:
    code: str
    name: str
    received: int = 0
    resolved: int = 0
    closed: int = 0
    open: int = 0
    overdue_open: int = 0
    on_time: int = 0
    rated: int = 0
    satisfied: int = 0
    reopened: int = 0
    sent_back: int = 0
    median_working_days: Decimal | None = None

    @classmethod
    def of(cls, code, name, row: dict | None):
        figures = cls(code=code, name=name)
        for key, value in (row or {}).items():
            if hasattr(figures, key) and key not in ("code", "name"):
                setattr(figures, key, value or 0)
        return figures

    @property
    def on_time_rate(self):
        return _rate(self.on_time, self.resolved)

    @property
    def satisfaction_rate(self):
        return _rate(self.satisfied, self.rated)

    @property
    def reopen_rate(self):
        return _rate(self.reopened, self.received)

    @property
    def sent_back_rate(self):
        return _rate(self.sent_back, self.received)


@dataclass
class Measures:
    scope_code: str
    period: Period
    total: Figures
    by_category: list[Figures] = field(default_factory=list)
    by_channel: list[Figures] = field(default_factory=list)
    children: list[Figures] = field(default_factory=list)
    by_unit: list[Figures] = field(default_factory=list)


def cases_in(scope_code: str, period: Period):
    return Case.objects.under(scope_code).filter(
        accepted_on__gte=period.start, accepted_on__lte=period.end
    )


def median_working_days(rows) -> Decimal | None:
    """The median of ``resolve_working_days`` over ``rows`` (two short queries at most)."""
    values = rows.filter(status__in=DONE, resolve_working_days__isnull=False)
    n = values.count()
    if not n:
        return None
    ordered = values.order_by("resolve_working_days").values_list("resolve_working_days", flat=True)
    middle = list(ordered[(n - 1) // 2 : n // 2 + 1])
    return (Decimal(sum(middle)) / len(middle)).quantize(Decimal("0.1"))


def compute_measures(
    scope_code: str, period: Period, *, today: datetime.date | None = None, units: bool = True
) -> Measures:
    """Every figure of the pipeline for ``scope_code`` and ``period`` (ten queries, whatever the number of rows)."""
    today = today or calendar.today()
    rows = cases_in(scope_code, period)
    agg = aggregates(today)
    total = Figures.of(scope_code, "", rows.aggregate(**agg))
    total.median_working_days = median_working_days(rows)

    categories = list(CaseCategory.objects.values_list("code", "name"))
    by_cat = {r["category_id"]: r for r in rows.values("category_id").annotate(**agg).order_by()}
    by_category = [Figures.of(code, name, by_cat.get(code)) for code, name in categories]

    by_ch = {r["channel"]: r for r in rows.values("channel").annotate(**agg).order_by()}
    by_channel = [Figures.of(code, str(label), by_ch.get(code)) for code, label in Channel.choices]

    children = []
    level = LEVEL_BY_LENGTH.get(len(scope_code))
    below = child_level(level) if level else None
    if below:
        length = CODE_LENGTHS[below]
        grouped = {
            r["child"]: r
            for r in rows.annotate(child=Substr("community_id", 1, length))
            .values("child")
            .annotate(**agg)
            .order_by()
        }
        children = [
            Figures.of(code, name, grouped.get(code)) for code, name in child_units(scope_code)
        ]

    by_unit = []
    if units:
        grouped = {
            r["handling_unit"]: r
            for r in rows.filter(handling_unit__isnull=False)
            .values("handling_unit")
            .annotate(**agg)
            .order_by()
        }
        names = dict(HandlingUnit.objects.filter(pk__in=list(grouped)).values_list("pk", "name"))
        by_unit = sorted(
            (Figures.of(pk, names.get(pk, ""), row) for pk, row in grouped.items()),
            key=lambda f: (-f.received, str(f.code)),
        )
    return Measures(scope_code, period, total, by_category, by_channel, children, by_unit)


def monthly_trend(scope_code: str, year: int) -> list[dict]:
    """Received, resolved and overdue per month of ``year`` (one query)."""
    from django.db.models.functions import ExtractMonth

    today = calendar.today()
    rows = (
        cases_in(scope_code, year_period(year))
        .annotate(m=ExtractMonth("accepted_on"))
        .values("m")
        .annotate(
            received=Count("id"),
            resolved=Count("id", filter=Q(status__in=DONE)),
            overdue=Count(
                "id",
                filter=Q(resolved_on__isnull=True, due_on__lt=today)
                | Q(resolved_on__gt=F("due_on")),
            ),
        )
        .order_by("m")
    )
    by_month = {r["m"]: r for r in rows}
    return [
        {
            "month": f"{year}-{m:02d}",
            "received": by_month.get(m, {}).get("received", 0),
            "resolved": by_month.get(m, {}).get("resolved", 0),
            "overdue": by_month.get(m, {}).get("overdue", 0),
        }
        for m in range(1, 13)
    ]


def rate_text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.4f}"


def figures_payload(f: Figures) -> dict:
    return {
        "code": f.code,
        "name": f.name,
        "received": f.received,
        "resolved": f.resolved,
        "closed": f.closed,
        "open": f.open,
        "overdue_open": f.overdue_open,
        "on_time_rate": rate_text(f.on_time_rate),
        "satisfaction_rate": rate_text(f.satisfaction_rate),
        "reopen_rate": rate_text(f.reopen_rate),
        "sent_back_rate": rate_text(f.sent_back_rate),
    }


def measures_payload(m: Measures, scope_name: str = "") -> dict:
    """The API's body of ``casework/measures/`` (API.md)."""
    t = m.total
    body = {"scope": m.scope_code, "scope_name": scope_name, "period": m.period.label}
    body.update({k: v for k, v in figures_payload(t).items() if k not in ("code", "name")})
    body["median_working_days"] = (
        None if t.median_working_days is None else f"{t.median_working_days:.1f}"
    )
    body["by_category"] = [figures_payload(f) for f in m.by_category]
    body["by_channel"] = [figures_payload(f) for f in m.by_channel]
    body["children"] = [figures_payload(f) for f in m.children]
    body["by_unit"] = [{**figures_payload(f), "code": f.code} for f in m.by_unit]
    return body
