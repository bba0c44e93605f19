"""The plan's rule (四(三)): this year's 专项经费 is not below last year's."""

from decimal import Decimal

import pytest

from communities.scopes import resolve_scope
from funding.rollups import FALLING, FLAT, MISSING, RISING, summarise, trend

from .helpers import line, world

D = Decimal


@pytest.mark.parametrize(
    ("this_year", "last_year", "expected"),
    [
        (D("100.01"), D("100.00"), RISING),
        (D("100.00"), D("100.00"), FLAT),  # equal is flat, not falling
        (D("0.00"), D("0.00"), FLAT),
        (D("99.99"), D("100.00"), FALLING),
        (None, D("100.00"), MISSING),  # no line this year
        (D("100.00"), None, MISSING),  # no line last year
        (None, None, MISSING),
    ],
)
def test_trend_boundaries(this_year, last_year, expected):
    assert trend(this_year, last_year) == expected


pytestmark_db = pytest.mark.django_db


@pytest.mark.django_db
def test_rule_counts_only_own_approved_fiscal_budgeted():
    world()
    line("620102", 2012, budgeted="100")
    line("620102", 2013, budgeted="60", cost_type="running")
    line("620102", 2013, budgeted="40", cost_type="worker_pay")  # 100 in all: flat
    line("620102", 2013, source="social", budgeted="500")  # not fiscal: ignored
    line("620102", 2013, budgeted="900", cost_type="informatisation", status="submitted")
    line("620102001", 2013, budgeted="900")  # a street's line: not the county's own
    summary = summarise(resolve_scope("620102"), 2013)
    assert summary.special_fund.this_year == D("100.00")
    assert summary.special_fund.last_year == D("100.00")
    assert summary.special_fund.trend == FLAT


@pytest.mark.django_db
def test_rule_per_child_lists_falling_and_missing():
    world()
    line("620102", 2012, budgeted="100")
    line("620102", 2013, budgeted="90")
    line("620103", 2013, budgeted="50")  # no 2012 line: missing
    summary = summarise(resolve_scope("6201"), 2013)
    trends = {c.code: c.special_fund.trend for c in summary.children}
    assert trends == {"620102": FALLING, "620103": MISSING}
    assert summary.special_fund.trend == MISSING  # 兰州 itself budgeted nothing
