"""How the dashboards write the API's figures: percentages, units, colours, card contents.

Everything starts from the strings of ``targets.payload`` (never from floats), so a page
prints exactly the API's numbers; a percentage is a 4-place ratio with the point moved.
"""

from decimal import Decimal

from .registry import INDICATOR_BY_CODE, STREET, Indicator

AMBER_POINTS = Decimal("0.10")  # within 10 percentage points of the target: amber
FULL = Decimal(1)  # the plan asks every street or community to comply (所有、每个)


def percent(ratio: str | None) -> str | None:
    """Write a 4-place ratio string as a percentage with two places ("0.7769" → "77.69%")."""
    if ratio is None:
        return None
    return f"{Decimal(ratio) * 100:.2f}%"


def percent_number(ratio: str | None) -> float | None:
    """Return a ratio string as a percentage number for the charts."""
    return None if ratio is None else float(Decimal(ratio) * 100)


def threshold_label(indicator: Indicator, threshold: str) -> str:
    """Write a threshold as the plan says it ("≥ 800 ㎡", "≥ 80%", "已完成")."""
    value = Decimal(threshold)
    if indicator.is_percentage:
        return f"≥ {(value * 100).normalize():f}%"
    if indicator.kind == "flag":
        return "已完成"
    return f"≥ {value.normalize():f} {indicator.unit}".strip()


def value_label(indicator: Indicator, value: str | None) -> str | None:
    """Write a region's or unit's value string with its unit."""
    if value is None:
        return None
    if indicator.is_percentage:
        return percent(value)
    if indicator.kind == "flag":
        return "已完成" if Decimal(value) >= 1 else "未完成"
    return f"{value} {indicator.unit}".strip()


def gap_label(indicator: Indicator, gap: str | None) -> str | None:
    """Write a gap string with its unit ("120 人", "9650.00 平方米")."""
    if gap is None:
        return None
    return f"{gap} {indicator.gap_unit}"


def closeness(rate: str | None, target: Decimal = FULL) -> str:
    """Colour a compliance rate: at the target green, within 10 points amber, else red."""
    if rate is None:
        return "grey"
    rate_value = Decimal(rate)
    if rate_value >= target:
        return "green"
    if rate_value >= target - AMBER_POINTS:
        return "amber"
    return "red"


COLOUR_NAMES = {"green": "已达标", "amber": "接近目标", "red": "差距较大", "grey": "不适用"}


def value_meets(indicator: Indicator, item: dict) -> bool | None:
    """Say whether a region's aggregate value reaches the threshold (None without a value)."""
    if item["value"] is None:
        return None
    return Decimal(item["value"]) >= Decimal(item["threshold"])


def indicator_card(item: dict) -> dict:
    """Turn one indicator of the payload into what a card shows."""
    indicator = INDICATOR_BY_CODE[item["code"]]
    colour = closeness(item["rate"])
    return {
        "code": item["code"],
        "name": item["name"],
        "short_name": indicator.short_name,
        "plan_words": indicator.plan_words,
        "level_name": "街道" if indicator.level == STREET else "社区",
        "threshold": threshold_label(indicator, item["threshold"]),
        "applicable": item["applicable"],
        "compliant": item["compliant"],
        "failing": item["applicable"] - item["compliant"],
        "missing": item["missing"],
        "rate": item["rate"],
        "rate_label": percent(item["rate"]),
        "rate_width": percent_number(item["rate"]) or 0,
        "value_label": value_label(indicator, item["value"]),
        "value_meets": value_meets(indicator, item),
        "gap_label": gap_label(indicator, item["gap"]),
        "gap_is_zero": item["gap"] is not None and Decimal(item["gap"]) == 0,
        "colour": colour,
        "colour_name": COLOUR_NAMES[colour],
    }
