"""How the dashboards show the engine's results: percentages, colours, card contents.

Everything starts from the engine's exact numbers (``targets.results``) and is written by the
registry at the API's precision, so a page prints exactly the API's numbers; a percentage is
the 4-place ratio with the point moved.
"""

from decimal import Decimal

from .payload import ratio_string
from .registry import (
    INDICATOR_BY_CODE,
    STREET,
    Indicator,
    percent_label,
    percent_number,
    round_ratio,
)
from .results import IndicatorResult

AMBER_POINTS = Decimal("0.10")  # within 10 percentage points of the target: amber
FULL = Decimal(1)  # the plan asks every street or community to comply (所有、每个)


def percent(ratio) -> str | None:
    """Write a ratio as a percentage with two places ("0.7769" → "77.69%")."""
    return percent_label(ratio)


def threshold_label(indicator: Indicator, threshold) -> str:
    """Write a threshold as the plan says it ("≥ 800 ㎡", "≥ 80%", "已完成")."""
    return indicator.threshold_label(threshold)


def closeness(rate, target: Decimal = FULL) -> str:
    """Colour a compliance rate: at the target green, within 10 points amber, else red.

    The rate is judged as it is printed (four places), so the colour never contradicts the
    percentage beside it.
    """
    if rate is None:
        return "grey"
    rate_value = round_ratio(rate)
    if rate_value >= target:
        return "green"
    if rate_value >= target - AMBER_POINTS:
        return "amber"
    return "red"


COLOUR_NAMES = {"green": "已达标", "amber": "接近目标", "red": "差距较大", "grey": "不适用"}


def value_meets(indicator: Indicator, result: IndicatorResult) -> bool | None:
    """Say whether a region's value, as printed, reaches the threshold (None without one)."""
    if result.value is None:
        return None
    return indicator.round_value(result.value) >= result.threshold


def indicator_card(result: IndicatorResult) -> dict:
    """Turn one indicator of a region's result into what a card shows."""
    indicator = INDICATOR_BY_CODE[result.code]
    # Every unit lacks the data (a year without statistics): nothing to judge, nothing green.
    no_data = result.applicable > 0 and result.missing == result.applicable
    colour = "grey" if no_data else closeness(result.rate)
    gap = None if no_data else indicator.round_gap(result.gap)
    return {
        "code": result.code,
        "name": result.name,
        "short_name": indicator.short_name,
        "plan_words": indicator.plan_words,
        "level_name": "街道" if indicator.level == STREET else "社区",
        "threshold": indicator.threshold_label(result.threshold),
        "applicable": result.applicable,
        "compliant": result.compliant,
        "failing": result.applicable - result.compliant,
        "missing": result.missing,
        # The API's own string of the rate, so that a card can be compared with the API.
        "rate": ratio_string(result.rate),
        "rate_label": percent_label(result.rate),
        "rate_width": percent_number(result.rate) or 0,
        "value_label": indicator.value_label(result.value),
        "value_meets": value_meets(indicator, result),
        "gap_label": indicator.gap_label(result.gap),
        "gap_is_zero": gap is not None and gap == 0,
        "no_data": no_data,
        "colour": colour,
        "colour_name": "缺数据" if no_data else COLOUR_NAMES[colour],
    }
