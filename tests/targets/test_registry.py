"""The registry's pure functions: one unit's value, verdict and gap from plain numbers."""

from decimal import Decimal

import pytest

from targets.registry import INDICATOR_BY_CODE, INDICATORS, threshold_errors

D = Decimal


@pytest.mark.parametrize(
    "code, numerator, denominator, threshold, value, compliant, gap",
    [
        ("street_centre", D("800.00"), 1, D("800"), D("800.00"), True, D(0)),
        ("street_centre", D("799.99"), 1, D("800"), D("799.99"), False, D("0.01")),
        ("community_station", D(0), 1, D("300"), D(0), False, D(300)),
        ("area_per_100_households", D("200"), 1000, D("20"), D(20), True, D(0)),
        ("area_per_100_households", D("199.99"), 1000, D("20"), D("19.999"), False, D("0.01")),
        ("area_per_100_households", D("50"), 0, D("20"), None, False, D(0)),
        ("area_per_100_households", D("50"), None, D("20"), None, False, D(0)),
        ("party_member_participation", 4, 5, D("0.80"), D("0.8"), True, D(0)),
        ("party_member_participation", 4, 7, D("0.80"), D(4) / D(7), False, D(2)),
        ("party_member_participation", 0, 0, D("0.80"), None, False, D(0)),
        ("resident_participation", 300, 1000, D("0.30"), D("0.3"), True, D(0)),
        ("resident_participation", 299, 1000, D("0.30"), D("0.299"), False, D(1)),
        ("registered_volunteers", 30, 301, D("0.10"), D(30) / D(301), False, D(1)),
        ("registered_volunteers", 31, 301, D("0.10"), D(31) / D(301), True, D(0)),
        ("registered_volunteers", 5, None, D("0.10"), None, False, D(0)),
        ("social_organizations", 5, 1, D("5"), D(5), True, D(0)),
        ("social_organizations", 3, 1, D("5"), D(3), False, D(2)),
        ("certified_social_worker", 0, 1, D("1"), D(0), False, D(1)),
        ("bachelor_degree_worker", 2, 1, D("1"), D(2), True, D(0)),
        ("college_educated_share", 1, 2, D("0.50"), D("0.5"), True, D(0)),
        ("college_educated_share", 1, 3, D("0.50"), D(1) / D(3), False, D(1)),
        ("college_educated_share", 0, 0, D("0.50"), None, False, D(0)),
        ("digital_3d_community", 0, 1, D("1"), D(0), False, D(1)),
    ],
)
def test_one_unit_is_judged_exactly(code, numerator, denominator, threshold, value, compliant, gap):
    indicator = INDICATOR_BY_CODE[code]
    assert indicator.unit_value(numerator, denominator) == value
    assert indicator.complies(numerator, denominator, threshold) is compliant
    assert indicator.gap(numerator, denominator, threshold) == gap
    assert indicator.judge(numerator, denominator, threshold) == (value, compliant, gap)


@pytest.mark.parametrize("indicator", INDICATORS, ids=lambda i: i.code)
def test_judge_agrees_with_the_three_functions_on_a_grid(indicator):
    threshold = indicator.default_threshold
    denominators = [None, 0, 1, 3, 7, 10, 100, 1001] if indicator.denominator else [1]
    numerators = [
        D(0),
        D(1),
        D(2),
        D("2.5"),
        D(3),
        D(5),
        D(7),
        D(20),
        D(80),
        D(299),
        D(300),
        D(801),
    ]
    for den in denominators:
        for num in numerators:
            # people come whole, and never more of them than the denominator
            if indicator.gap_in_people and (den is None or num > den or num != int(num)):
                continue
            expected = (
                indicator.unit_value(num, den),
                indicator.complies(num, den, threshold),
                indicator.gap(num, den, threshold),
            )
            assert indicator.judge(num, den, threshold) == expected, (num, den)


def test_a_missing_numerator_is_null_and_not_compliant():
    for indicator in INDICATORS:
        assert indicator.judge(None, 10, indicator.default_threshold) == (None, False, D(0))


def test_threshold_errors_are_in_chinese():
    assert threshold_errors({"street_centre": "800", "resident_participation": "0.3"}) == []
    assert threshold_errors([1]) == ["达标阈值必须是“指标代码 → 阈值”的对象。"]
    assert threshold_errors({"street_centre": True})
    assert threshold_errors({"street_centre": "NaN"})
    assert threshold_errors({"street_centre": "0"})
