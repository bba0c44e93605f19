"""Demo 专项经费 for 2011–2015 and 兰州's interim targets, written with the rest of the demo.

Every region that keeps a budget (the province, prefectures, counties and streets that hold
demo communities) draws from its own ``random.Random`` (the run's seed and its code): most
raise their fiscal budget every year, some keep it flat for a year, a few cut it once. A few
thousand rows in bulk: well under a second at any scale. The demo street's last year is left
submitted, for its county's officials to approve.
"""

import random
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from core.scoping import CODE_LENGTHS
from targets.models import Plan

from .models import BudgetLine, CostType, FundSource, YearlyTarget

FIRST_YEAR, LAST_YEAR = 2011, 2015
TWO = Decimal("0.01")
# The fiscal budget a level starts from in 2011 (万元), and how it splits over the costs.
BASE = {2: 3000, 4: 400, 6: 90, 9: 12}
SHARES = {
    CostType.FACILITIES: Decimal("0.40"),
    CostType.WORKER_PAY: Decimal("0.30"),
    CostType.RUNNING: Decimal("0.20"),
    CostType.INFORMATISATION: Decimal("0.10"),
}
# 兰州's interim targets for community service stations (the plan's 2013 example: 70 %).
LANZHOU_TARGETS = {2012: Decimal("0.60"), 2013: Decimal("0.70"), 2014: Decimal("0.85")}


def _money(value) -> Decimal:
    return Decimal(value).quantize(TWO, rounding=ROUND_HALF_UP)


def _split(total: Decimal) -> dict:
    parts = {c: _money(total * share) for c, share in SHARES.items()}
    parts[CostType.INFORMATISATION] = total - sum(
        v for c, v in parts.items() if c != CostType.INFORMATISATION
    )
    return parts


def regions_of(street_codes) -> list[str]:
    codes = set()
    for street in street_codes:
        for level in ("province", "prefecture", "county", "street"):
            codes.add(street[: CODE_LENGTHS[level]])
    return sorted(codes)


def fiscal_path(rng: random.Random, base: Decimal, years: list[int]) -> dict[int, Decimal]:
    """Yearly fiscal totals: rising mostly; about one region in six flat once, one in ten falling."""
    kind = rng.random()
    flat_year = rng.choice(years[1:]) if kind < 0.17 and len(years) > 1 else None
    falling_year = rng.choice(years[1:]) if 0.17 <= kind < 0.27 and len(years) > 1 else None
    totals, total = {}, _money(base * Decimal(str(rng.uniform(0.7, 1.3))))
    for index, year in enumerate(years):
        if index:
            if year == flat_year:
                pass
            elif year == falling_year:
                total = _money(total * Decimal(str(rng.uniform(0.8, 0.95))))
            else:
                total = _money(total * Decimal(str(rng.uniform(1.04, 1.18))))
        totals[year] = total
    return totals


def demo_funding(
    *, street_codes, seed: int, first_year: int, last_year: int, demo_street: str | None = None
) -> dict[str, int]:
    """Write the demo budget lines and yearly targets; return the rows written per table."""
    years = list(range(max(FIRST_YEAR, first_year), min(LAST_YEAR, last_year) + 1))
    now = timezone.now()
    rows = []
    for code in regions_of(street_codes):
        rng = random.Random(f"{seed}-funding-{code}")
        base = Decimal(BASE[len(code)])
        for year, total in fiscal_path(rng, base, years).items():
            status = "submitted" if code == demo_street and year == years[-1] else "approved"
            lines = [(c, FundSource.FISCAL, amount) for c, amount in _split(total).items()]
            if rng.random() < 0.5:
                lines.append(
                    (CostType.RUNNING, FundSource.SERVICE_INCOME, _money(total * Decimal("0.05")))
                )
            if rng.random() < 0.4:
                lines.append(
                    (CostType.FACILITIES, FundSource.SOCIAL, _money(total * Decimal("0.08")))
                )
            if len(code) == CODE_LENGTHS["street"] and rng.random() < 0.3:
                lines.append(
                    (CostType.WORKER_PAY, FundSource.TRANSFER, _money(total * Decimal("0.1")))
                )
            for cost_type, source, budgeted in lines:
                allocated = _money(budgeted * Decimal(str(rng.uniform(0.9, 1.0))))
                spent = _money(allocated * Decimal(str(rng.uniform(0.8, 1.0))))
                rows.append(
                    BudgetLine(
                        region_code=code,
                        year=year,
                        cost_type=cost_type,
                        source=source,
                        budgeted_wan_yuan=budgeted,
                        allocated_wan_yuan=allocated,
                        spent_wan_yuan=spent,
                        status=status,
                        submitted_at=now,
                        reviewed_at=now if status == "approved" else None,
                        created_at=now,
                        updated_at=now,
                    )
                )
    BudgetLine.objects.bulk_create(rows, batch_size=2000)
    targets = []
    plan = Plan.objects.filter(code="12th-five-year").first()
    if plan is not None and any(c.startswith("6201") for c in street_codes):
        targets = [
            YearlyTarget(
                plan=plan,
                indicator="community_station",
                region_code="6201",
                year=y,
                rate=rate,
                created_at=now,
                updated_at=now,
            )
            for y, rate in LANZHOU_TARGETS.items()
        ]
        YearlyTarget.objects.bulk_create(targets)
    return {"专项经费预算": len(rows), "年度目标": len(targets)}
