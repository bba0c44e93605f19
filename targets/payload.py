"""The engine's results as the JSON of API.md (``compliance/`` and its two lists).

Numbers become strings here and only here. The rounding is the registry's (ratios and
rates to four places, ㎡ to two, people and things whole, half-up, for display only:
compliance was decided on the exact values), so the pages and the Excel report, which read
the engine's results through the same registry, print exactly these numbers.
"""

from decimal import Decimal

from .models import Plan
from .registry import INDICATOR_BY_CODE, TWO, Indicator, round_ratio, rounded
from .results import (
    BaselineResult,
    CommunityRow,
    IndicatorResult,
    RegionResult,
    StreetRow,
    UnitValue,
)
from .year_targets import NO_TARGET, YearTarget, targets_for


def fixed(value: Decimal | int | None, places: Decimal) -> str | None:
    """Return ``value`` as a decimal string with the given places (half-up), or None."""
    return _string(rounded(value, places))


def _string(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def ratio_string(value) -> str | None:
    """Write a ratio or rate with four places ("0.1034")."""
    return _string(round_ratio(value))


def area_string(value) -> str | None:
    """Write an area in ㎡ with two places ("812.50")."""
    return fixed(value, TWO)


def threshold_string(value: Decimal) -> str:
    """Write a threshold as the plan states it ("800", "0.80")."""
    return str(value)


def gap_string(indicator: Indicator, gap) -> str | None:
    """Write a gap: ㎡ with two places, people and things as whole numbers."""
    return _string(indicator.round_gap(gap))


def unit_value_string(indicator: Indicator, value) -> str | None:
    """Write one unit's value: ㎡ with two places, counts whole, ratios with four places."""
    return _string(indicator.round_value(value))


def indicator_payload(result: IndicatorResult, target: YearTarget = NO_TARGET) -> dict:
    indicator = INDICATOR_BY_CODE[result.code]
    return {
        "code": result.code,
        "name": result.name,
        "short_name": indicator.short_name,
        "level": indicator.level,
        "unit": indicator.unit,
        "gap_unit": indicator.gap_unit,
        "threshold": threshold_string(result.threshold),
        "applicable": result.applicable,
        "compliant": result.compliant,
        "missing": result.missing,
        "rate": ratio_string(result.rate),
        "value": ratio_string(result.value),
        "gap": gap_string(indicator, result.gap),
        # The year's interim target (set, or the straight line) and whether the rate reaches it.
        "year_target": ratio_string(target.rate),
        "year_target_source": target.source,
        "on_track": target.on_track(result.rate),
    }


def baseline_payload(result: BaselineResult) -> dict:
    return {
        "code": result.code,
        "name": result.name,
        "count": result.count,
        "rate": ratio_string(result.rate),
        "published": result.published,
    }


def _region_body(result: RegionResult, targets: dict | None = None) -> dict:
    own = (targets or {}).get(result.code, {})
    return {
        "code": result.code,
        "name": result.name,
        "level": result.level,
        "indicators": [indicator_payload(i, own.get(i.code, NO_TARGET)) for i in result.indicators],
        "community_count": result.community_count,
        "fully_compliant_communities": {
            "count": result.fully_compliant_count,
            "rate": ratio_string(result.fully_compliant_rate),
        },
    }


def plan_summary(plan: Plan) -> dict:
    return {
        "code": plan.code,
        "name": plan.name,
        "start_year": plan.start_year,
        "target_year": plan.target_year,
    }


def region_payload(result: RegionResult, plan: Plan, targets: dict | None = None) -> dict:
    """Return the JSON body of ``GET /api/v1/compliance/`` (API.md).

    ``targets`` are the year's targets per region and indicator (``targets.year_targets``);
    computed here when not given.
    """
    if targets is None:
        targets = targets_for(result, plan)
    body = _region_body(result, targets)
    return {
        "scope": {"code": result.code, "name": result.name, "level": result.level},
        "year": result.year,
        "plan": plan_summary(plan),
        "indicators": body["indicators"],
        "community_count": body["community_count"],
        "fully_compliant_communities": body["fully_compliant_communities"],
        "baseline": [baseline_payload(b) for b in result.baseline],
        "children": [_region_body(child, targets) for child in result.children],
        "data": result.data,
    }


def unit_value_payload(code: str, unit: UnitValue) -> dict:
    indicator = INDICATOR_BY_CODE[code]
    return {
        "value": unit_value_string(indicator, unit.value),
        "compliant": unit.compliant if unit.applicable else None,
        "applicable": unit.applicable,
        "gap": gap_string(indicator, unit.gap),
    }


def community_row_payload(row: CommunityRow) -> dict:
    """Return one row of ``GET /api/v1/compliance/communities/``."""
    return {
        "code": row.code,
        "name": row.name,
        "street_code": row.street_code,
        "indicators": {
            code: unit_value_payload(code, unit) for code, unit in row.indicators.items()
        },
        "fully_compliant": row.fully_compliant,
        "missing_data": row.missing_data,
    }


def street_row_payload(row: StreetRow) -> dict:
    """Return one row of ``GET /api/v1/compliance/streets/`` (``street_centre`` only)."""
    return {
        "code": row.code,
        "name": row.name,
        "county_code": row.county_code,
        "kind": row.kind,
        "indicators": {
            code: unit_value_payload(code, unit) for code, unit in row.indicators.items()
        },
    }
