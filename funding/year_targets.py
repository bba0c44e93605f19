"""The set yearly targets, as ``targets.year_targets`` asks for them.

A region's set target is its own row, else the row of the nearest region above it (兰州's
2013 target applies to its counties unless the prefecture set a stricter one for a county).
"""

from decimal import Decimal

from core.scoping import CODE_LENGTHS

from .models import YearlyTarget

LENGTHS = sorted({CODE_LENGTHS[level] for level in ("province", "prefecture", "county", "street")})


def ancestors(code: str) -> list[str]:
    """The code and the codes above it, nearest first (a street's county, prefecture …)."""
    return [code[:n] for n in reversed(LENGTHS) if n <= len(code)]


def set_targets(plan, codes: list[str], years: list[int]) -> dict:
    """Return {(indicator, code, year): rate} for every region of ``codes`` (one query)."""
    wanted = {a for code in codes for a in ancestors(code)}
    if not wanted or not years:
        return {}
    rows = YearlyTarget.objects.filter(
        plan=plan, region_code__in=wanted, year__in=years
    ).values_list("indicator", "region_code", "year", "rate")
    stored = {(ind, code, year): rate for ind, code, year, rate in rows}
    indicators = {key[0] for key in stored}
    found = {}
    for code in codes:
        chain = ancestors(code)
        for indicator in indicators:
            for year in years:
                for above in chain:
                    rate = stored.get((indicator, above, year))
                    if rate is not None:
                        found[(indicator, code, year)] = rate
                        break
    return found


def inherited_rate(target: YearlyTarget) -> Decimal | None:
    """The rate a prefecture's target for a county may not go below: the stored row's own
    rate (set by the province) and the targets of the regions above the county."""
    rows = YearlyTarget.objects.filter(
        plan_id=target.plan_id,
        indicator=target.indicator,
        year=target.year,
        region_code__in=ancestors(target.region_code or ""),
    ).values_list("region_code", "rate")
    rates = [rate for code, rate in rows if code != target.region_code]
    if target.pk:
        rates += [rate for code, rate in rows if code == target.region_code]
    return max(rates) if rates else None
