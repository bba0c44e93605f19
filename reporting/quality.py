"""Data-quality rules (DHIS2's validation rules) for the yearly statistics.

A small registry: each rule has a code, a name, a severity (``error`` refuses the save,
``warning`` asks for confirmation at submission and is listed for the approver) and
thresholds. The defaults are here; a reporting period overrides them per year
(``ReportingPeriod.quality_rules``: ``{code: {"severity": …, "threshold": …}}``). The rules
apply to the years that have a reporting period.

The facts a rule needs (the register's volunteers, last year's row, the facilities' area)
are gathered for many communities at once, a fixed number of queries per scope.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from communities.models import CommunityStat
from facilities.models import Facility
from volunteers.models import Volunteer

ERROR = "error"
WARNING = "warning"
SEVERITY_LABELS = {ERROR: "错误（不能保存）", WARNING: "提醒（上报时确认）"}


@dataclass(frozen=True)
class Facts:
    """What the rules know about one community besides its row."""

    volunteers: int = 0  # the register's volunteers active that year
    previous: tuple[int, int] | None = None  # last year's (residents, households)
    facility_area: Decimal = Decimal(0)  # stations and specialised rooms in service


@dataclass(frozen=True)
class Problem:
    rule: str
    name: str
    severity: str
    field: str
    message: str


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: str
    field: str
    threshold: object
    check: Callable  # (stat, facts, threshold) -> message or None


def _volunteers(stat, facts, threshold):
    if stat.residents_volunteering is None or facts.volunteers <= stat.residents_volunteering:
        return None
    return (
        f"参与志愿活动的居民人数（{stat.residents_volunteering}）少于志愿者名册中该年度在册的"
        f"志愿者人数（{facts.volunteers}）。"
    )


def _household_size(stat, facts, threshold):
    low, high = (Decimal(str(x)) for x in threshold)
    if not stat.residents or stat.households is None:
        return None
    if stat.households * low <= stat.residents <= stat.households * high:
        return None
    size = Decimal(stat.residents) / stat.households if stat.households else None
    shown = f"{size:.2f}" if size is not None else "—"
    return f"户均人口为 {shown} 人，超出 {low}—{high} 人的合理范围，请核实户数和常住居民人数。"


def _year_change(stat, facts, threshold):
    if facts.previous is None:
        return None
    limit = Decimal(str(threshold))
    for label, now, before in (
        ("常住居民人数", stat.residents, facts.previous[0]),
        ("户数", stat.households, facts.previous[1]),
    ):
        if now is None or not before:
            continue
        change = abs(Decimal(now) - before) / before
        if change > limit:
            return f"{label}较上年（{before}）变化 {change * 100:.0f}%，超过 {limit * 100:.0f}%，请核实。"
    return None


def _party_share(stat, facts, threshold):
    limit = Decimal(str(threshold))
    if not stat.residents or stat.party_members is None:
        return None
    if stat.party_members <= limit * stat.residents:
        return None
    return f"党员人数超过常住居民人数的 {limit * 100:.0f}%，请核实。"


def _area_per_household(stat, facts, threshold):
    limit = Decimal(str(threshold))
    if not stat.households or facts.facility_area <= limit * stat.households:
        return None
    per = facts.facility_area / stat.households
    return f"社区服务设施面积为每户 {per:.1f} ㎡，超过 {limit} ㎡，请核实户数或设施面积。"


RULES = (
    Rule(
        "volunteers_register",
        "参与志愿活动居民少于在册志愿者",
        ERROR,
        "residents_volunteering",
        None,
        _volunteers,
    ),
    Rule("household_size", "户均人口不合理", WARNING, "households", ("1.5", "5"), _household_size),
    Rule("year_change", "居民或户数较上年变化过大", WARNING, "residents", "0.5", _year_change),
    Rule("party_share", "党员占居民比例过高", WARNING, "party_members", "0.25", _party_share),
    Rule(
        "area_per_household", "户均设施面积过大", WARNING, "households", "20", _area_per_household
    ),
)
RULE_BY_CODE = {rule.code: rule for rule in RULES}


def rules_for(period) -> list[Rule]:
    """The rules with the period's own severities and thresholds."""
    overrides = (getattr(period, "quality_rules", None) or {}) if period else {}
    result = []
    for rule in RULES:
        own = overrides.get(rule.code) or {}
        result.append(
            Rule(
                rule.code,
                rule.name,
                own.get("severity", rule.severity),
                rule.field,
                own.get("threshold", rule.threshold),
                rule.check,
            )
        )
    return result


def gather(scope_code: str, year: int) -> dict[str, Facts]:
    """The facts of every community under ``scope_code`` for ``year`` (three queries)."""
    volunteers = dict(
        Volunteer.objects.under(scope_code)
        .registered_at(year)
        .order_by()
        .values("community_id")
        .annotate(n=Count("pk"))
        .values_list("community_id", "n")
    )
    previous = {
        c: (r, h)
        for c, r, h in CommunityStat.objects.under(scope_code)
        .filter(year=year - 1)
        .order_by()
        .values_list("community_id", "residents", "households")
    }
    area = dict(
        Facility.objects.under(scope_code)
        .exclude(kind="centre")
        .in_service_at(year)
        .order_by()
        .values("community_id")
        .annotate(total=Sum("floor_area"))
        .values_list("community_id", "total")
    )
    codes = set(volunteers) | set(previous) | set(area)
    return {
        code: Facts(volunteers.get(code, 0), previous.get(code), area.get(code) or Decimal(0))
        for code in codes
    }


def check(stat, period, facts: Facts | None = None) -> list[Problem]:
    """Run every rule on one row (its unsaved values included)."""
    if facts is None:
        facts = gather(stat.community_id, stat.year).get(stat.community_id, Facts())
    problems = []
    for rule in rules_for(period):
        message = rule.check(stat, facts, rule.threshold)
        if message:
            problems.append(Problem(rule.code, rule.name, rule.severity, rule.field, message))
    return problems


def scope_problems(scope_code: str, year: int, period) -> list[tuple]:
    """Every problem of the year's rows under ``scope_code``: (row, community, problem)."""
    facts = gather(scope_code, year)
    rows = (
        CommunityStat.objects.under(scope_code)
        .filter(year=year)
        .select_related("community__street")
        .order_by("community_id")
    )
    found = []
    for stat in rows:
        for problem in check(stat, period, facts.get(stat.community_id, Facts())):
            found.append((stat, stat.community, problem))
    return found


def problems_of(stat) -> list[Problem]:
    """The problems of a row in a year that has a period (what communities.cycle asks)."""
    from .models import ReportingPeriod

    period = ReportingPeriod.objects.filter(year=stat.year).first()
    return check(stat, period) if period is not None else []
