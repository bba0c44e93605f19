"""Yearly targets: the share of units a region is to reach in a year, and whether it is on track.

A target is either set (plan data, kept by an app above this one that registers its lookup
with ``register_set_targets``: the funding app's ``YearlyTarget``) or, where none is set for
the region or any region above it, the straight line from the plan's base year (the region's
own rate then) to its target year (every unit compliant, a rate of 1).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from .models import Plan
from .registry import round_ratio
from .results import RegionResult

SET = "set"
STRAIGHT_LINE = "straight_line"
SOURCE_LABELS = {SET: "已制定的年度目标", STRAIGHT_LINE: "未制定年度目标，按基期至目标年度直线推算"}
ONE = Decimal(1)

# Each lookup answers ``lookup(plan, codes, years) -> {(indicator, code, year): rate}`` with
# the rate that applies to each region (its own, else the nearest region above it).
_SET_TARGETS: list[Callable] = []


def register_set_targets(lookup: Callable) -> None:
    """Add a lookup of set yearly targets (called from an app's ready())."""
    if lookup not in _SET_TARGETS:
        _SET_TARGETS.append(lookup)


def set_rates(plan: Plan, codes: Iterable[str], years: Iterable[int]) -> dict:
    """Return the set targets for ``codes`` and ``years``: {(indicator, code, year): rate}."""
    codes, years = sorted(set(codes)), sorted(set(years))
    found: dict = {}
    for lookup in _SET_TARGETS:
        for key, rate in lookup(plan, codes, years).items():
            found[key] = max(rate, found.get(key, rate))
    return found


def base_year(plan: Plan) -> int:
    """The year the straight line starts from: the plan's base year, else its first year."""
    return plan.baseline_year or plan.start_year


def straight_line(plan: Plan, year: int, base_rate: Decimal | None) -> Decimal | None:
    """The rate due in ``year`` on the straight line from the base year to the target year.

    It starts at the region's rate in the base year (0 where nothing applied then) and ends at
    1 in the target year; before the base year there is no target, after the target year it
    stays 1.
    """
    start, end = base_year(plan), plan.target_year
    if year < start:
        return None
    if year >= end or end <= start:
        return ONE
    begin = Decimal(base_rate) if base_rate is not None else Decimal(0)
    return round_ratio(begin + (ONE - begin) * Decimal(year - start) / Decimal(end - start))


@dataclass(frozen=True)
class YearTarget:
    rate: Decimal | None
    source: str | None  # SET, STRAIGHT_LINE, or None when there is no target that year

    def on_track(self, actual: Decimal | None) -> bool | None:
        """Say whether ``actual`` reaches the target (None when either is unknown)."""
        if self.rate is None or actual is None:
            return None
        return actual >= self.rate


NO_TARGET = YearTarget(None, None)


def resolve(plan: Plan, indicator: str, code: str, year: int, set_found: dict, base_rate):
    """The year's target of one indicator for one region: set, else the straight line."""
    rate = set_found.get((indicator, code, year))
    if rate is not None:
        return YearTarget(round_ratio(rate), SET)
    line = straight_line(plan, year, base_rate)
    return NO_TARGET if line is None else YearTarget(line, STRAIGHT_LINE)


def region_targets(result: RegionResult, plan: Plan, base: RegionResult | None) -> dict:
    """Return {region code: {indicator code: YearTarget}} for ``result`` and its children.

    ``base`` is the same scope computed (with its children) for the plan's base year, or None
    when the year is the base year itself or before it.
    """
    regions = [result, *result.children]
    found = set_rates(plan, [r.code for r in regions], [result.year])
    base_by_code = {}
    if base is not None:
        base_by_code = {r.code: r for r in [base, *base.children]}
    answer = {}
    for region in regions:
        base_region = base_by_code.get(region.code)
        targets = {}
        for item in region.indicators:
            if base_region is not None:
                base_rate = base_region.indicator(item.code).rate
            else:
                base_rate = item.rate if result.year == base_year(plan) else None
            targets[item.code] = resolve(
                plan, item.code, region.code, result.year, found, base_rate
            )
        answer[region.code] = targets
    return answer


def targets_for(result: RegionResult, plan: Plan) -> dict:
    """Compute what ``region_targets`` needs (the base year's results, cached) and answer it."""
    from .engine import compute_region

    start = base_year(plan)
    base = None
    if result.year > start and result.year < plan.target_year:
        base = compute_region(
            scope_code=result.code, year=start, plan=plan, with_children=bool(result.children)
        )
    return region_targets(result, plan, base)


def path(plan: Plan, code: str, indicator: str, years: list[int], rates: dict, found: dict):
    """The target path over ``years`` (percentages for a chart), and whether any was set.

    ``rates`` maps year → the region's actual rate (for the base year's starting point).
    """
    start = base_year(plan)
    base_rate = rates.get(start)
    points, any_set = [], False
    for year in years:
        target = resolve(plan, indicator, code, year, found, base_rate)
        any_set = any_set or target.source == SET
        points.append(None if target.rate is None else float(target.rate * 100))
    return points, any_set
