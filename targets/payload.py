"""The engine's results as the JSON of API.md (``compliance/`` and its two lists).

Numbers are written out here and only here: ratios and rates as 4-place decimal strings,
areas as 2-place ㎡ strings, gaps in whole people / organisations / workers / communities or
2-place ㎡, ``null`` where a value is undefined. Rounding is half-up, for display only:
compliance was decided on the exact values.
"""

from decimal import ROUND_HALF_UP, Decimal

from .models import Plan
from .registry import AREA, COUNT, FLAG, INDICATOR_BY_CODE, Indicator
from .results import (
    BaselineResult,
    CommunityRow,
    IndicatorResult,
    RegionResult,
    StreetRow,
    UnitValue,
)

FOUR = Decimal("0.0001")
TWO = Decimal("0.01")
WHOLE = Decimal("1")


def fixed(value: Decimal | int | None, places: Decimal) -> str | None:
    """Return ``value`` as a decimal string with the given places (half-up), or None."""
    if value is None:
        return None
    return str(Decimal(value).quantize(places, rounding=ROUND_HALF_UP))


def ratio_string(value) -> str | None:
    """Write a ratio or rate with four places ("0.1034")."""
    return fixed(value, FOUR)


def area_string(value) -> str | None:
    """Write an area in ㎡ with two places ("812.50")."""
    return fixed(value, TWO)


def threshold_string(value: Decimal) -> str:
    """Write a threshold as the plan states it ("800", "0.80")."""
    return str(value)


def gap_string(indicator: Indicator, gap) -> str | None:
    """Write a gap: ㎡ with two places, people and things as whole numbers."""
    if gap is None:
        return None
    if indicator.gap_unit == "平方米":
        return fixed(gap, TWO)
    return fixed(gap, WHOLE)


def unit_value_string(indicator: Indicator, value) -> str | None:
    """Write one unit's value: ㎡ with two places, counts whole, ratios with four places."""
    if value is None:
        return None
    if indicator.kind == AREA:
        return fixed(value, TWO)
    if indicator.kind in (COUNT, FLAG):
        return fixed(value, WHOLE)
    return fixed(value, FOUR)


def indicator_payload(result: IndicatorResult) -> dict:
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
    }


def baseline_payload(result: BaselineResult) -> dict:
    return {
        "code": result.code,
        "name": result.name,
        "count": result.count,
        "rate": ratio_string(result.rate),
        "published": result.published,
    }


def _region_body(result: RegionResult) -> dict:
    return {
        "code": result.code,
        "name": result.name,
        "level": result.level,
        "indicators": [indicator_payload(i) for i in result.indicators],
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


def region_payload(result: RegionResult, plan: Plan) -> dict:
    """Return the JSON body of ``GET /api/v1/compliance/`` (API.md)."""
    body = _region_body(result)
    return {
        "scope": {"code": result.code, "name": result.name, "level": result.level},
        "year": result.year,
        "plan": plan_summary(plan),
        "indicators": body["indicators"],
        "community_count": body["community_count"],
        "fully_compliant_communities": body["fully_compliant_communities"],
        "baseline": [baseline_payload(b) for b in result.baseline],
        "children": [_region_body(child) for child in result.children],
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
