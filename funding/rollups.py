"""专项经费 rolled up over a region, computed in the database.

A region's *own* lines are those its government budgets (``region_code`` equal to the
region's code); the lines of the regions below it are shown apart (*below*). Facility
funding lines (``facilities.FacilityFunding``) count as money spent under ``facilities`` in the
facility's street (its region) and year, from the matching source, so nothing is typed twice;
each is counted once, in the one street the facility lies in.

Only approved budget lines count. One summary takes a fixed handful of queries whatever the
size of the region: the budget lines grouped by child region, cost type and source; the
facility funding grouped by child region and source; the fiscal lines of this year and last
year for the region and its children (the rule of the plan); the households and residents
(from the communities' yearly statistics); the children's names.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import Substr

from communities.models import CommunityStat
from communities.scopes import Scope, child_level
from core.scoping import CODE_LENGTHS, prefix_q
from facilities.models import FacilityFunding
from streets.models import Division, Street

from .models import BudgetLine, CostType, FundSource

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
WAN = Decimal(10000)
AMOUNTS = ("budgeted", "allocated", "spent")

RISING, FLAT, FALLING, MISSING = "rising", "flat", "falling", "missing"
TREND_LABELS = {RISING: "逐年增长", FLAT: "与上年持平", FALLING: "低于上年", MISSING: "缺少预算"}

# A facility's funding source, as a budget's source of money.
FACILITY_SOURCE = {
    "central": FundSource.FISCAL,
    "provincial": FundSource.FISCAL,
    "local": FundSource.FISCAL,
    "lottery": FundSource.FISCAL,
    "social": FundSource.SOCIAL,
}


def trend(this_year: Decimal | None, last_year: Decimal | None) -> str:
    """The plan's rule (四(三)): this year's 专项经费 is not below last year's.

    ``None`` is a year without any approved fiscal line: ``missing``. Equal is ``flat``.
    """
    if this_year is None or last_year is None:
        return MISSING
    if this_year > last_year:
        return RISING
    if this_year == last_year:
        return FLAT
    return FALLING


@dataclass
class Totals:
    """Budgeted, allocated and spent money, in total and per cost type and source (万元)."""

    budgeted: Decimal = ZERO
    allocated: Decimal = ZERO
    spent: Decimal = ZERO
    by_cost_type: dict = field(default_factory=dict)
    by_source: dict = field(default_factory=dict)

    def __post_init__(self):
        if not self.by_cost_type:
            self.by_cost_type = {c: dict.fromkeys(AMOUNTS, ZERO) for c in CostType.values}
        if not self.by_source:
            self.by_source = {s: dict.fromkeys(AMOUNTS, ZERO) for s in FundSource.values}

    def add(self, cost_type: str, source: str, budgeted=ZERO, allocated=ZERO, spent=ZERO):
        for name, amount in zip(AMOUNTS, (budgeted, allocated, spent), strict=True):
            amount = amount or ZERO
            setattr(self, name, getattr(self, name) + amount)
            self.by_cost_type[cost_type][name] += amount
            self.by_source[source][name] += amount

    def merge(self, other: "Totals"):
        for cost_type, amounts in other.by_cost_type.items():
            for name in AMOUNTS:
                self.by_cost_type[cost_type][name] += amounts[name]
        for source, amounts in other.by_source.items():
            for name in AMOUNTS:
                self.by_source[source][name] += amounts[name]
        for name in AMOUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class SpecialFund:
    """The fiscal lines budgeted by a region itself this year and last, and the rule's verdict."""

    this_year: Decimal | None
    last_year: Decimal | None

    @property
    def trend(self) -> str:
        return trend(self.this_year, self.last_year)


@dataclass
class FundingSummary:
    code: str
    name: str
    level: str
    year: int
    own: Totals
    below: Totals
    special_fund: SpecialFund
    households: int = 0
    residents: int = 0
    children: list["FundingSummary"] = field(default_factory=list)

    @property
    def total(self) -> Totals:
        total = Totals()
        total.merge(self.own)
        total.merge(self.below)
        return total

    @property
    def per_100_households(self) -> Decimal | None:
        """Money spent (own and below) per hundred households, 万元."""
        if not self.households:
            return None
        return self.total.spent * HUNDRED / Decimal(self.households)

    @property
    def per_capita_yuan(self) -> Decimal | None:
        """Money spent (own and below) per resident, 元."""
        if not self.residents:
            return None
        return self.total.spent * WAN / Decimal(self.residents)


def part_length(scope: Scope) -> int:
    """The code length lines are grouped by: the children's, or the street's own at the bottom."""
    level = child_level(scope.level)
    if scope.level == "street" or level is None:
        return len(scope.code)
    return CODE_LENGTHS[level]


def child_scopes(scope: Scope) -> list[Scope]:
    """The regions one level down that keep budgets (none below a street): one query."""
    level = child_level(scope.level)
    if level in ("prefecture", "county"):
        rows = Division.objects.under(scope.code).filter(level=level).order_by("code")
    elif level == "street":
        rows = Street.objects.under(scope.code).order_by("code")
    else:
        return []
    return [Scope(code, name, level) for code, name in rows.values_list("code", "name")]


def _fiscal(codes: list[str], years: list[int]) -> dict:
    """{(code, year): fiscal budgeted} of the regions' own approved lines (one query)."""
    rows = (
        BudgetLine.objects.approved()
        .filter(region_code__in=codes, year__in=years, source=FundSource.FISCAL)
        .order_by()
        .values_list("region_code", "year")
        .annotate(total=Sum("budgeted_wan_yuan"))
    )
    return {(code, year): total for code, year, total in rows}


def summarise(scope: Scope, year: int) -> FundingSummary:
    """Roll up the region's money for ``year``: own, below, per child, the rule, per household."""
    length = part_length(scope)
    children = child_scopes(scope)
    parts: dict[str, Totals] = defaultdict(Totals)

    lines = (
        BudgetLine.objects.approved()
        .filter(prefix_q("region_code", scope.code), year=year)
        .annotate(part=Substr("region_code", 1, length))
        .order_by()
        .values_list("part", "cost_type", "source")
        .annotate(
            budgeted=Sum("budgeted_wan_yuan"),
            allocated=Sum("allocated_wan_yuan"),
            spent=Sum("spent_wan_yuan"),
        )
    )
    for part, cost_type, source, budgeted, allocated, spent in lines:
        parts[part].add(cost_type, source, budgeted, allocated, spent)

    # A facility's money belongs to its street; grouped by child (or by the street itself).
    fundings = (
        FacilityFunding.objects.filter(prefix_q("facility__code", scope.code), year=year)
        .annotate(part=Substr("facility__code", 1, length))
        .order_by()
        .values_list("part", "source")
        .annotate(spent=Sum("amount_wan_yuan"))
    )
    for part, source, spent in fundings:
        parts[part].add(
            CostType.FACILITIES, FACILITY_SOURCE.get(source, FundSource.FISCAL), spent=spent
        )

    fiscal = _fiscal([scope.code, *(c.code for c in children)], [year - 1, year])

    people = (
        CommunityStat.objects.under(scope.code)
        .filter(year=year)
        .annotate(part=Substr("community_id", 1, length))
        .order_by()
        .values_list("part")
        .annotate(households=Sum("households"), residents=Sum("residents"))
    )
    households = {part: (h or 0, r or 0) for part, h, r in people}

    own = parts.pop(scope.code, Totals())
    below = Totals()
    summaries = []
    for child in children:
        child_totals = parts.pop(child.code, Totals())
        below.merge(child_totals)
        h, r = households.get(child.code, (0, 0))
        summaries.append(
            FundingSummary(
                code=child.code,
                name=child.name,
                level=child.level,
                year=year,
                own=child_totals,
                below=Totals(),
                special_fund=SpecialFund(
                    fiscal.get((child.code, year)), fiscal.get((child.code, year - 1))
                ),
                households=h,
                residents=r,
            )
        )
    for leftover in parts.values():  # lines of a region no longer listed: still below
        below.merge(leftover)
    return FundingSummary(
        code=scope.code,
        name=scope.name,
        level=scope.level,
        year=year,
        own=own,
        below=below,
        special_fund=SpecialFund(
            fiscal.get((scope.code, year)), fiscal.get((scope.code, year - 1))
        ),
        households=sum(h for h, _ in households.values()),
        residents=sum(r for _, r in households.values()),
        children=summaries,
    )


def yearly_series(scope: Scope, years: list[int]) -> dict:
    """Per year: own and below budgeted, spent (facility funding included) and the own
    fiscal 专项经费, for the chart over the years (three queries)."""
    if not years:
        return {}
    series = {y: {"own_budgeted": ZERO, "below_budgeted": ZERO, "spent": ZERO} for y in years}
    lines = (
        BudgetLine.objects.approved()
        .filter(prefix_q("region_code", scope.code), year__in=years)
        .order_by()
        .values_list("year")
        .annotate(
            own=Sum("budgeted_wan_yuan", filter=Q(region_code=scope.code)),
            below=Sum("budgeted_wan_yuan", filter=~Q(region_code=scope.code)),
            spent=Sum("spent_wan_yuan"),
        )
    )
    for year, own, below, spent in lines:
        series[year]["own_budgeted"] = own or ZERO
        series[year]["below_budgeted"] = below or ZERO
        series[year]["spent"] = spent or ZERO
    fundings = (
        FacilityFunding.objects.filter(prefix_q("facility__code", scope.code), year__in=years)
        .order_by()
        .values_list("year")
        .annotate(spent=Sum("amount_wan_yuan"))
    )
    for year, spent in fundings:
        series[year]["spent"] += spent or ZERO
    fiscal = _fiscal([scope.code], years)
    for year in years:
        series[year]["special_fund"] = fiscal.get((scope.code, year))
    return series
