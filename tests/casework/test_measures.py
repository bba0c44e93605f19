"""Measures against hand counts, with pinned query counts."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.measures import compute_measures, monthly_trend, parse_period, year_period
from casework.models import Case, CaseCategory, CaseStatus, HandlingUnit
from tests.factories import make_hierarchy

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2015, 12, 31)


COUNTER = itertools.count(1)
MARCH_2, MARCH_9 = D(2015, 3, 2), D(2015, 3, 9)


def make(
    community,
    unit,
    *,
    category="help",
    channel="window",
    accepted=MARCH_2,
    due=MARCH_9,
    status="closed",
    resolved=None,
    satisfaction=None,
    reopen=0,
    sent_back=0,
    days=None,
):
    seq = next(COUNTER)
    return Case.objects.create(
        number=f"{community.code}{accepted:%Y%m%d}{seq % 1000:03d}",
        community=community,
        category=CaseCategory.objects.get(pk=category),
        channel=channel,
        description="x",
        resident_name="张三",
        accepted_on=accepted,
        due_on=due,
        status=status,
        handling_unit=unit,
        resolved_on=resolved,
        resolve_working_days=days,
        satisfaction=satisfaction,
        reopen_count=reopen,
        sent_back_count=sent_back,
    )


@pytest.fixture
def data(db):
    a, b = make_hierarchy(communities=2)
    (c,) = make_hierarchy(street="620102017")
    unit = HandlingUnit.objects.create(code="620102016", name="街道")
    other_unit = HandlingUnit.objects.create(code="620102017", name="另一街道")
    # a: 4 requests. 2 closed on time (satisfied, basically), 1 resolved late, 1 open overdue.
    make(a, unit, resolved=D(2015, 3, 5), satisfaction="satisfied", days=3)
    make(
        a,
        unit,
        category="complaint",
        resolved=D(2015, 3, 9),
        satisfaction="basically_satisfied",
        days=5,
        reopen=1,
    )
    make(a, unit, status="resolved", resolved=D(2015, 3, 12), days=8, channel="phone")
    make(a, unit, status="in_progress", sent_back=1, channel="phone")
    # b: 1 closed, dissatisfied earlier then satisfied? one rated dissatisfied → reopened and open, not overdue.
    make(b, unit, status="in_progress", due=D(2016, 1, 5), reopen=1, accepted=D(2015, 12, 28))
    # c (another street): 1 closed on time, dissatisfied is impossible once closed; rated satisfied.
    make(
        c,
        other_unit,
        resolved=D(2015, 6, 2),
        satisfaction="satisfied",
        days=1,
        accepted=D(2015, 6, 1),
        due=D(2015, 6, 8),
    )
    # Outside the period.
    make(
        a,
        unit,
        accepted=D(2014, 5, 5),
        due=D(2014, 5, 12),
        resolved=D(2014, 5, 6),
        satisfaction="satisfied",
        days=1,
    )
    return a, b, c


def test_county_measures_against_hand_counts(data):
    with CaptureQueriesContext(connection) as ctx:
        m = compute_measures("620102", year_period(2015), today=TODAY)
    assert len(ctx.captured_queries) == 10
    t = m.total
    assert (t.received, t.resolved, t.closed, t.open, t.overdue_open) == (6, 4, 3, 2, 1)
    assert t.on_time_rate == Decimal("0.7500")  # 3 of 4 resolved by due_on
    assert t.satisfaction_rate == Decimal("1.0000")  # 3 of 3 rated
    assert t.reopen_rate == Decimal("0.3333")  # 2 of 6
    assert t.sent_back_rate == Decimal("0.1667")  # 1 of 6
    assert t.median_working_days == Decimal("4.0")  # 1, 3, 5, 8
    children = {f.code: f for f in m.children}
    assert children["620102016"].received == 5 and children["620102017"].received == 1
    cats = {f.code: f.received for f in m.by_category}
    assert cats == {"consultation": 0, "help": 5, "suggestion": 0, "complaint": 1, "report": 0}
    channels = {f.code: f.received for f in m.by_channel}
    assert channels["phone"] == 2 and channels["window"] == 4
    units = {f.name: f.received for f in m.by_unit}
    assert units == {"街道": 5, "另一街道": 1}


def test_street_children_are_communities(data):
    a, b, c = data
    m = compute_measures("620102016", year_period(2015), today=TODAY, units=False)
    children = {f.code: (f.received, f.open) for f in m.children}
    assert children == {a.code: (4, 1), b.code: (1, 1)}


def test_query_count_does_not_grow_with_rows(data):
    a, b, c = data
    for _ in range(30):
        make(a, None, status="registered", accepted=D(2015, 7, 1), due=D(2015, 7, 8))
    with CaptureQueriesContext(connection) as ctx:
        m = compute_measures("620102", year_period(2015), today=TODAY)
    assert len(ctx.captured_queries) == 10
    assert m.total.received == 36


def test_periods_and_trend(data):
    assert parse_period(month="2015-03").start == D(2015, 3, 1)
    assert parse_period(quarter="2015-Q2").end == D(2015, 6, 30)
    assert parse_period(year="1999") is None
    q1 = compute_measures("620102", parse_period(quarter="2015-Q1"), today=TODAY)
    assert q1.total.received == 4
    trend = monthly_trend("620102", 2015)
    assert [r["received"] for r in trend][:6] == [0, 0, 4, 0, 0, 1]
    assert trend[11]["received"] == 1


def test_empty_scope_has_no_rates(db):
    make_hierarchy()
    m = compute_measures("620102", year_period(2015))
    assert (
        m.total.received == 0
        and m.total.on_time_rate is None
        and m.total.median_working_days is None
    )
    assert CaseStatus.CLOSED == "closed"
