"""The demo requests: tens of thousands across Gansu in seconds, mostly closed on time."""

import time

import pytest

from casework.demo import build_casework_demo
from casework.measures import compute_measures, year_period
from casework.models import Case, CaseEvent
from communities.models import Community

pytestmark = pytest.mark.django_db


def test_demo_requests_across_gansu(divisions):
    codes = list(Community.objects.order_by("code").values_list("code", flat=True))
    started = time.perf_counter()
    counts = build_casework_demo(codes=codes, seed=2015, scale=1.0)
    elapsed = time.perf_counter() - started
    assert counts["民情诉求"] == Case.objects.count() >= 20000
    assert counts["诉求环节"] == CaseEvent.objects.count()
    # About 11 s alone on this 2-core machine; the bound leaves room for a busy machine.
    assert elapsed < 90, elapsed
    print(f"demo: {counts} in {elapsed:.1f} s")
    m = compute_measures("62", year_period(2015)).total
    assert m.received > 10000
    assert 0.85 < float(m.on_time_rate) < 0.95
    assert float(m.satisfaction_rate) > 0.9
    assert m.overdue_open > 0 and m.reopened > 0
    # Numbers are unique per community and day (the database's unique index would refuse).
    first = Case.objects.order_by("number").first()
    assert first.number.startswith(first.community_id)


def test_demo_is_the_same_for_the_same_seed(divisions):
    codes = list(Community.objects.order_by("code").values_list("code", flat=True))[:40]
    build_casework_demo(codes=codes, seed=7, scale=1.0)
    first = list(Case.objects.order_by("number").values_list("number", "category_id", "status"))
    Case.objects.all().delete()
    build_casework_demo(codes=codes, seed=7, scale=1.0)
    assert first == list(
        Case.objects.order_by("number").values_list("number", "category_id", "status")
    )
