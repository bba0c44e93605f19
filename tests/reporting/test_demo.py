"""The demo's 2015 cycle: most rows approved, some by the street only, some waiting, returned, late."""

import pytest
from django.core.management import call_command
from django.db import transaction
from rest_framework.test import APIClient

from communities.models import CommunityStat
from reporting.models import ReportingPeriod
from streets.services import divisions_load
from tests.factories import make_user

pytestmark = pytest.mark.xdist_group("demo")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            divisions_load()
            call_command("seed_demo", scale=0.02, seed=2015, verbosity=0)
            yield
            transaction.set_rollback(True)


def test_the_2015_cycle_is_in_progress(demo, db):
    period = ReportingPeriod.objects.get(year=2015)
    assert period.approval_levels == ["street", "county"]
    rows = CommunityStat.objects.filter(year=2015)
    full = rows.filter(status="approved", approved_levels=2).count()
    street_only = rows.filter(status="submitted", approved_levels=1).count()
    waiting = rows.filter(status="submitted", approved_levels=0).count()
    late = rows.filter(submitted_on_time=False).count()
    assert full > 0.6 * rows.count()
    assert street_only > 0 and waiting > 0 and late > 0
    assert rows.filter(status="returned").exists() and rows.filter(status="draft").exists()
    assert late < 0.15 * rows.count()
    assert not rows.filter(status="approved").exclude(approved_levels=2).exists()


def test_the_demo_rates_add_up(demo, db):
    client = APIClient()
    client.force_authenticate(make_user("rates-admin", role="admin", scope_code="62"))
    body = client.get("/api/v1/reporting/", {"year": 2015}).json()
    assert body["expected"] == sum(c["expected"] for c in body["children"]) > 0
    assert body["approved"] == CommunityStat.objects.filter(year=2015, status="approved").count()
    assert body["expected"] > body["submitted"] > body["approved"] > 0
