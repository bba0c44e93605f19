"""The demo's money: 2011–2015, most regions rising, some flat, a few falling; deterministic."""

from collections import Counter, defaultdict

import pytest
from django.db.models import Sum

from funding.demo import demo_funding
from funding.models import BudgetLine, YearlyTarget
from funding.rollups import FALLING, FLAT, RISING, trend
from streets.models import Street

pytestmark = pytest.mark.django_db


def fiscal_by_region():
    rows = (
        BudgetLine.objects.filter(source="fiscal")
        .values_list("region_code", "year")
        .annotate(total=Sum("budgeted_wan_yuan"))
    )
    found = defaultdict(dict)
    for code, year, total in rows:
        found[code][year] = total
    return found


def test_demo_funding_shape(divisions):
    streets = set(Street.objects.values_list("code", flat=True))
    counts = demo_funding(
        street_codes=streets, seed=2015, first_year=2010, last_year=2015, demo_street="620102016"
    )
    assert counts["专项经费预算"] == BudgetLine.objects.count() > 1000
    assert counts["年度目标"] == YearlyTarget.objects.count() == 3
    assert set(BudgetLine.objects.values_list("year", flat=True)) == {2011, 2012, 2013, 2014, 2015}
    verdicts = Counter()
    for years in fiscal_by_region().values():
        for year in range(2012, 2016):
            verdicts[trend(years.get(year), years.get(year - 1))] += 1
    total = sum(verdicts.values())
    assert verdicts[RISING] > 0.7 * total
    assert verdicts[FLAT] > 0 and verdicts[FALLING] > 0
    assert verdicts[FALLING] < verdicts[FLAT] + verdicts[RISING]
    assert BudgetLine.objects.filter(
        region_code="620102016", year=2015, status="submitted"
    ).exists()
    first = sorted(
        BudgetLine.objects.values_list(
            "region_code", "year", "cost_type", "source", "budgeted_wan_yuan"
        )
    )
    BudgetLine.objects.all().delete()
    YearlyTarget.objects.all().delete()
    demo_funding(street_codes=streets, seed=2015, first_year=2010, last_year=2015)
    again = sorted(
        BudgetLine.objects.values_list(
            "region_code", "year", "cost_type", "source", "budgeted_wan_yuan"
        )
    )
    assert first == again
