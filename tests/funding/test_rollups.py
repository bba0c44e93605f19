"""Roll-ups against hand sums, with pinned query counts; facility funding counted once."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.scopes import resolve_scope
from facilities.models import FacilityFunding
from funding.rollups import summarise, yearly_series
from tests.factories import make_facility, make_stat

from .helpers import line, world

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def money():
    a, b, c = world()
    make_stat(a, 2013, households=1000, residents=3000)
    make_stat(b, 2013, households=500, residents=1500)
    make_stat(c, 2013, households=500, residents=1500)
    line("62", 2013, budgeted="1000", allocated="800", spent="600")
    line("6201", 2013, budgeted="300", allocated="300", spent="200")
    line("620102", 2013, "worker_pay", budgeted="120", allocated="100", spent="90")
    line("620102", 2013, "running", "social", budgeted="30", allocated="30", spent="30")
    line("620102001", 2013, "informatisation", budgeted="10", allocated="10", spent="5")
    line("620103", 2013, "facilities", "transfer", budgeted="40", allocated="20", spent="10")
    line("620201", 2013, budgeted="999")  # another prefecture: never in 兰州
    line("620102", 2012, budgeted="7")  # another year
    line("620102", 2013, "informatisation", budgeted="55", status="submitted")  # not approved
    station = make_facility(community=a)
    centre = make_facility(kind="centre", street=a.street, area="1000")
    FacilityFunding.objects.create(
        facility=station, source="central", year=2013, amount_wan_yuan=D("25.50")
    )
    FacilityFunding.objects.create(
        facility=centre, source="social", year=2013, amount_wan_yuan=D("4.50")
    )
    FacilityFunding.objects.create(
        facility=station, source="local", year=2012, amount_wan_yuan=D("99")
    )
    return a, b, c


def test_prefecture_own_below_and_children(money):
    s = summarise(resolve_scope("6201"), 2013)
    assert (s.own.budgeted, s.own.allocated, s.own.spent) == (D("300"), D("300"), D("200"))
    # below: 620102 (120+30), its street (10), 620103 (40); spent adds the 30 of facilities
    assert s.below.budgeted == D("200")
    assert s.below.allocated == D("160")
    assert s.below.spent == D("90") + D("30") + D("5") + D("10") + D("30")
    assert s.below.by_cost_type["facilities"] == {
        "budgeted": D("40"),
        "allocated": D("20"),
        "spent": D("40"),
    }
    assert s.below.by_source["fiscal"]["spent"] == D("90") + D("5") + D("25.50")
    assert s.below.by_source["social"]["spent"] == D("30") + D("4.50")
    children = {c.code: c for c in s.children}
    assert children["620102"].own.budgeted == D("160")
    assert children["620102"].own.spent == D("90") + D("30") + D("5") + D("30")
    assert children["620103"].own.budgeted == D("40")
    assert s.households == 2000 and s.residents == 6000
    total_spent = D("200") + s.below.spent
    assert s.per_100_households == total_spent * 100 / 2000
    assert s.per_capita_yuan == total_spent * 10000 / 6000


def test_facility_funding_counted_once_at_every_level(money):
    facility_money = D("30.00")
    street = summarise(resolve_scope("620102001"), 2013)
    assert street.own.by_cost_type["facilities"]["spent"] == facility_money
    assert street.below.spent == 0
    county = summarise(resolve_scope("620102"), 2013)
    assert county.own.by_cost_type["facilities"]["spent"] == 0
    assert county.below.by_cost_type["facilities"]["spent"] == facility_money
    province = summarise(resolve_scope("62"), 2013)
    assert province.below.by_cost_type["facilities"]["spent"] == facility_money + D("10")
    # The province's total equals the hand sum of every approved 2013 line and facility line.
    assert (
        province.total.spent
        == D("600") + D("200") + D("90") + D("30") + D("5") + D("10") + D("999") + facility_money
    )


def test_query_counts_are_pinned(money):
    # lines, facility funding, the rule's fiscal lines, households, and the children's names
    # (a street has no budget-keeping children: one fewer)
    for code, expected in (("62", 5), ("6201", 5), ("620102", 5), ("620102001", 4)):
        scope = resolve_scope(code)
        with CaptureQueriesContext(connection) as ctx:
            summarise(scope, 2013)
        assert len(ctx.captured_queries) == expected, code
        with CaptureQueriesContext(connection) as ctx:
            yearly_series(scope, list(range(2011, 2016)))
        assert len(ctx.captured_queries) == 3, code


def test_yearly_series(money):
    series = yearly_series(resolve_scope("620102"), [2012, 2013])
    assert series[2012]["own_budgeted"] == D("7")
    assert series[2012]["spent"] == D("7") + D("99")
    assert series[2013]["own_budgeted"] == D("150")
    assert series[2013]["below_budgeted"] == D("10")
    assert series[2013]["special_fund"] == D("120")


def test_funding_sheet_in_the_compliance_workbook(money):
    import io

    from openpyxl import load_workbook

    from targets.plans import current_plan
    from targets.report import build_compliance_workbook

    out = io.BytesIO()
    build_compliance_workbook(scope_code="6201", year=2013, plan=current_plan(), out=out)
    wb = load_workbook(io.BytesIO(out.getvalue()), read_only=True)
    assert "资金" in wb.sheetnames and wb.sheetnames[-1] == "指标说明"
    rows = [r for r in wb["资金"].iter_rows(values_only=True)]
    own = next(r for r in rows if r[0] == "6201")
    assert own[2:5] == (300, 300, 200)
    county = next(r for r in rows if r[0] == "620102")
    assert county[2] == 160 and county[5:8] == (120, 7, "逐年增长")
