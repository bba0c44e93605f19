"""The funding roll-ups as the JSON of API.md ("Money and yearly targets"): 万元 as two-place strings."""

from decimal import ROUND_HALF_UP, Decimal

from .rollups import AMOUNTS, FundingSummary, Totals

TWO = Decimal("0.01")


def money(value: Decimal | None) -> str | None:
    return None if value is None else str(Decimal(value).quantize(TWO, rounding=ROUND_HALF_UP))


def _amounts(amounts: dict) -> dict:
    return {name: money(amounts[name]) for name in AMOUNTS}


def totals_payload(totals: Totals) -> dict:
    return {
        "budgeted": money(totals.budgeted),
        "allocated": money(totals.allocated),
        "spent": money(totals.spent),
        "by_cost_type": {k: _amounts(v) for k, v in totals.by_cost_type.items()},
        "by_source": {k: _amounts(v) for k, v in totals.by_source.items()},
    }


def special_fund_payload(summary: FundingSummary) -> dict:
    fund = summary.special_fund
    return {
        "this_year": money(fund.this_year),
        "last_year": money(fund.last_year),
        "trend": fund.trend,
    }


def child_payload(child: FundingSummary) -> dict:
    total = child.total
    return {
        "code": child.code,
        "name": child.name,
        "level": child.level,
        "budgeted": money(total.budgeted),
        "allocated": money(total.allocated),
        "spent": money(total.spent),
        "special_fund": special_fund_payload(child),
        "per_100_households": money(child.per_100_households),
    }


def funding_payload(summary: FundingSummary) -> dict:
    """Return the body of ``GET /api/v1/funding/``."""
    return {
        "scope": {"code": summary.code, "name": summary.name, "level": summary.level},
        "year": summary.year,
        "own": totals_payload(summary.own),
        "below": totals_payload(summary.below),
        "special_fund": special_fund_payload(summary),
        "per_100_households": money(summary.per_100_households),
        "per_capita_yuan": money(summary.per_capita_yuan),
        "children": [child_payload(c) for c in summary.children],
    }
