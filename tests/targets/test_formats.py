"""The registry writes each figure once: the same number on a screen, in a cell and in the API."""

import re
from decimal import Decimal

import pytest

from targets.payload import gap_string, ratio_string, unit_value_string
from targets.registry import (
    COMMUNITY_INDICATOR_COUNT,
    COMMUNITY_INDICATORS,
    INDICATOR_BY_CODE,
    INDICATORS,
    chinese_numeral,
    percent_label,
    percent_text,
    rate_cell,
)

# Values on the edges of rounding: half-up at the last place, and long fractions.
VALUES = [Decimal("0"), Decimal("0.79995"), Decimal("312.505"), Decimal("1") / 3, Decimal("5")]


def screen_number(label: str) -> Decimal:
    """Read the number back from a label ("84.00%" → 0.8400, "320.00 ㎡" → 320.00)."""
    text = re.match(r"-?[\d.]+", label).group(0)
    return Decimal(text) / 100 if label.endswith("%") else Decimal(text)


@pytest.mark.parametrize("indicator", INDICATORS, ids=lambda i: i.code)
@pytest.mark.parametrize("value", VALUES, ids=str)
def test_a_value_is_the_same_number_on_screen_in_a_cell_and_in_the_api(indicator, value):
    number, fmt = indicator.value_cell(value)
    assert number == Decimal(unit_value_string(indicator, value))
    assert fmt == indicator.value_format
    label = indicator.value_label(value)
    if indicator.is_flag:
        assert label == ("已完成" if number >= 1 else "未完成")
    else:
        assert screen_number(label) == number


@pytest.mark.parametrize("indicator", INDICATORS, ids=lambda i: i.code)
@pytest.mark.parametrize("gap", VALUES, ids=str)
def test_a_gap_is_the_same_number_on_screen_in_a_cell_and_in_the_api(indicator, gap):
    number, fmt = indicator.gap_cell(gap)
    assert number == Decimal(gap_string(indicator, gap))
    assert indicator.gap_label(gap) == f"{gap_string(indicator, gap)} {indicator.gap_unit}"
    assert fmt == ("#,##0.00" if indicator.gap_unit == "平方米" else "#,##0")


@pytest.mark.parametrize("rate", [Decimal("0.77685"), Decimal(2) / 3, Decimal(1), None])
def test_a_rate_is_the_apis_four_places_everywhere(rate):
    number, fmt = rate_cell(rate)
    assert fmt == "0.0%"
    if rate is None:
        assert number is None and percent_label(rate) is None and percent_text(rate) == "—"
        return
    assert number == Decimal(ratio_string(rate))
    assert screen_number(percent_label(rate)) == number


def test_ratios_round_half_up_at_the_fourth_place_on_screen_and_in_cells():
    indicator = INDICATOR_BY_CODE["party_member_participation"]
    assert indicator.value_label(Decimal("0.79995")) == "80.00%"
    assert indicator.value_cell(Decimal("0.79995")) == (Decimal("0.8000"), "0.0%")
    area = INDICATOR_BY_CODE["area_per_100_households"]
    assert area.value_label(Decimal("15.06125")) == "15.0613 ㎡/百户"


def test_each_medium_words_a_threshold_as_the_plan_states_it():
    station = INDICATOR_BY_CODE["community_station"]
    party = INDICATOR_BY_CODE["party_member_participation"]
    assert (station.threshold_label(Decimal("300")), station.threshold_text(Decimal("300"))) == (
        "≥ 300 ㎡",
        "≥300㎡",
    )
    assert (party.threshold_amount(Decimal("0.80")), party.threshold_text(Decimal("0.80"))) == (
        "80%",
        "≥80.0%",
    )
    assert party.threshold_cell(Decimal("0.80")) == (Decimal("0.80"), "0%")


def test_a_units_shortfall_is_worded_from_the_same_gap():
    people = INDICATOR_BY_CODE["registered_volunteers"]
    assert people.shortfall_label(Decimal(277)) == "缺 277 人"
    assert people.shortfall_label(Decimal(0)) == "—"
    assert INDICATOR_BY_CODE["digital_3d_community"].shortfall_label(Decimal(1)) == "尚未完成"


def test_every_indicator_carries_its_method():
    assert all(indicator.method for indicator in INDICATORS)


@pytest.mark.parametrize(
    "number, words", [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五")]
)
def test_counts_are_written_in_chinese_numerals(number, words):
    assert chinese_numeral(number) == words


def test_the_count_of_community_indicators_comes_from_the_registry():
    assert len(COMMUNITY_INDICATORS) == 10 and COMMUNITY_INDICATOR_COUNT == "十"
