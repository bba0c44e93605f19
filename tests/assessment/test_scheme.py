"""Schemes as data: items are checked, and an item without a data source is refused."""

import pytest
from django.core.exceptions import ValidationError

from assessment.models import Scheme
from reporting.models import ReportingPeriod

from .helpers import ITEMS, make_scheme

pytestmark = pytest.mark.django_db


def messages(error: ValidationError) -> str:
    return " ".join(error.message_dict["items"])


def test_a_scheme_with_its_items_is_saved_in_order():
    scheme = make_scheme()
    assert [i.code for i in scheme.items.all()] == [i["code"] for i in ITEMS]
    assert scheme.items.get(code="stations").is_automatic


def test_an_unknown_indicator_is_refused_as_having_no_source():
    items = [dict(ITEMS[0], params={"indicator": "no_such"}), *ITEMS[1:]]
    with pytest.raises(ValidationError) as error:
        make_scheme(items=items)
    assert "达标考核引擎中没有指标“no_such”，该考核项没有数据来源" in messages(error.value)
    assert not Scheme.objects.exists()


def test_on_time_reporting_without_a_reporting_period_is_refused():
    items = [
        dict(ITEMS[0], points="30"),
        {"code": "on_time", "name": "按时上报", "points": "10", "method": "reporting_on_time"},
        *ITEMS[1:],
    ]
    with pytest.raises(ValidationError) as error:
        make_scheme(items=items)
    assert "2015年度尚未设立填报周期" in messages(error.value)
    ReportingPeriod.objects.create(year=2015)
    assert make_scheme(items=items).items.filter(method="reporting_on_time").exists()


def test_the_counted_points_must_make_up_the_base_score():
    items = [dict(ITEMS[0], points="30"), *ITEMS[1:]]
    with pytest.raises(ValidationError) as error:
        make_scheme(items=items)
    assert "计分考核项分值合计为90分，与基本分100分不一致" in messages(error.value)


def test_a_band_needs_both_lines_and_the_zero_line_below_the_full_one():
    half = [dict(ITEMS[0], params={"indicator": "community_station", "full_at": "0.8"}), *ITEMS[1:]]
    with pytest.raises(ValidationError) as error:
        make_scheme(items=half)
    assert "须同时填写" in messages(error.value)
    upside = [
        dict(
            ITEMS[0],
            params={"indicator": "community_station", "full_at": "0.5", "zero_below": "0.8"},
        ),
        *ITEMS[1:],
    ]
    with pytest.raises(ValidationError) as error:
        make_scheme(items=upside)
    assert "零分线（zero_below）应低于满分线（full_at）" in messages(error.value)


def test_an_unknown_method_and_a_scored_veto_are_refused():
    items = [
        *ITEMS[:-1],
        dict(ITEMS[-1], points="5"),
        {"code": "x", "name": "x", "points": "1", "method": "magic"},
    ]
    with pytest.raises(ValidationError) as error:
        make_scheme(items=items)
    text = messages(error.value)
    assert "一票否决项不计分，分值应为0" in text
    assert "第6项（x）" in text


def test_grades_must_fall_from_excellent_to_fail():
    scheme = Scheme(
        year=2015,
        level="county",
        name="x",
        grades=[
            {"grade": "excellent", "min_score": "80"},
            {"grade": "good", "min_score": "85"},
            {"grade": "pass", "min_score": "60"},
            {"grade": "fail", "min_score": "0"},
        ],
    )
    with pytest.raises(ValidationError) as error:
        scheme.full_clean()
    assert "等次最低分应依次降低" in " ".join(error.value.message_dict["grades"])
