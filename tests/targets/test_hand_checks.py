"""Hand checks on the demo data: a few communities counted one record at a time.

A 1 % demo load (every community, 1 % of the volunteers) is shared by the module and rolled
back at its end. For a few communities each figure is counted here the slow, obvious way —
walking the records in Python with the models' own one-row rules — and compared with the
engine's rows, the API's JSON and the command's output.
"""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from rest_framework.test import APIClient

from communities.models import Community, CommunityStat, SocialOrganization
from facilities.models import Facility
from streets.services import divisions_load
from targets.engine import community_rows, compute_region, street_rows
from targets.payload import community_row_payload, region_payload
from targets.plans import current_plan
from tests.factories import make_user
from volunteers.models import Volunteer
from workforce.models import Worker

pytestmark = pytest.mark.xdist_group("demo")

YEAR = 2015
# The first communities of 团结新村街道 (兰州), one of 甘南 (behind on the targets) and one of
# a town, whose communities are held to every community target too.
SAMPLE_STREETS = ["620102016", "623001001"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the hierarchy and a 1 % demo once for the module; roll it all back afterwards."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            divisions_load()
            call_command("seed_demo", scale=0.01, seed=2015, verbosity=0)
            yield
            transaction.set_rollback(True)


@pytest.fixture
def sample(demo, db):
    codes = []
    for street in SAMPLE_STREETS:
        codes += list(
            Community.objects.under(street).order_by("code").values_list("code", flat=True)[:2]
        )
    town = Community.objects.filter(street__kind="town").order_by("code").first()
    codes.append(town.code)
    return codes


def active(start, end, day) -> bool:
    return start is not None and start <= day and (end is None or end > day)


def by_hand(code: str, year: int = YEAR) -> dict:
    """Count one community's figures record by record (INDICATORS.md, read literally)."""
    day = datetime.date(year, 12, 31)
    community = Community.objects.get(code=code)
    facilities = [
        f for f in Facility.objects.filter(community=community) if f.is_in_service_at(year)
    ]
    stations = [f.floor_area for f in facilities if f.kind == "station"]
    area = sum(
        (f.floor_area for f in facilities if f.kind in ("station", "specialized")), Decimal(0)
    )
    stat = CommunityStat.objects.filter(community=community, year=year).first()
    volunteers = sum(
        1
        for v in Volunteer.objects.filter(community=community)
        if active(v.registered_on, v.left_on, day)
    )
    orgs = sum(
        1
        for o in SocialOrganization.objects.filter(community=community)
        if active(o.registered_on, o.dissolved_on, day)
    )
    staff = [
        w
        for w in Worker.objects.filter(community=community)
        if w.role in ("secretary", "director", "deputy_director", "member", "full_time")
        and active(w.hired_on, w.left_on, day)
    ]
    college = sum(1 for w in staff if w.education in ("college", "bachelor", "postgraduate"))
    figures = {
        "community_station": (max(stations, default=Decimal(0)), max(stations, default=0) >= 300),
        "social_organizations": (orgs, orgs >= 5),
        "certified_social_worker": (
            sum(1 for w in staff if w.social_work_qualification != "none"),
            any(w.social_work_qualification != "none" for w in staff),
        ),
        "bachelor_degree_worker": (
            sum(1 for w in staff if w.education in ("bachelor", "postgraduate")),
            any(w.education in ("bachelor", "postgraduate") for w in staff),
        ),
        "college_educated_share": (
            Decimal(college) / len(staff) if staff else None,
            bool(staff) and college * 2 >= len(staff),
        ),
        "digital_3d_community": (
            1
            if community.digital_3d_completed_on and community.digital_3d_completed_on <= day
            else 0,
            bool(community.digital_3d_completed_on and community.digital_3d_completed_on <= day),
        ),
    }
    if stat is None:
        for code_ in (
            "area_per_100_households",
            "party_member_participation",
            "resident_participation",
            "registered_volunteers",
        ):
            figures[code_] = (None, False)
    else:
        figures["area_per_100_households"] = (
            area * 100 / stat.households if stat.households else None,
            bool(stat.households) and area * 100 >= 20 * stat.households,
        )
        figures["party_member_participation"] = (
            Decimal(stat.party_members_volunteering) / stat.party_members
            if stat.party_members
            else None,
            bool(stat.party_members)
            and stat.party_members_volunteering * 10 >= stat.party_members * 8,
        )
        figures["resident_participation"] = (
            Decimal(stat.residents_volunteering) / stat.residents if stat.residents else None,
            bool(stat.residents) and stat.residents_volunteering * 10 >= stat.residents * 3,
        )
        figures["registered_volunteers"] = (
            Decimal(volunteers) / stat.residents if stat.residents else None,
            bool(stat.residents) and volunteers * 10 >= stat.residents,
        )
    return figures


def test_sample_communities_match_a_count_by_hand(sample):
    rows = {}
    for street in {code[:9] for code in sample}:
        rows.update({r.code: r for r in community_rows(scope_code=street, year=YEAR)})
    compliant_seen = set()
    for code in sample:
        expected = by_hand(code)
        row = rows[code]
        for indicator, (value, ok) in expected.items():
            got = row.indicators[indicator]
            assert got.compliant == ok, (code, indicator, got, value)
            if value is None:
                assert got.value is None, (code, indicator)
            else:
                assert got.value == Decimal(value), (code, indicator, got.value, value)
            compliant_seen.add(ok)
        assert row.fully_compliant == all(ok for _, ok in expected.values())
    assert compliant_seen == {True, False}  # the sample exercises both verdicts


def test_sample_streets_roll_up_to_the_ratio_of_the_hand_counts(demo, db):
    for street in SAMPLE_STREETS:
        codes = list(Community.objects.under(street).values_list("code", flat=True))
        residents = volunteers = 0
        compliant = 0
        for code in codes:
            stat = CommunityStat.objects.filter(community_id=code, year=YEAR).first()
            if stat is None or not stat.residents:
                continue
            day = datetime.date(YEAR, 12, 31)
            n = sum(
                1
                for v in Volunteer.objects.filter(community_id=code)
                if active(v.registered_on, v.left_on, day)
            )
            residents += stat.residents
            volunteers += n
            compliant += n * 10 >= stat.residents
        item = compute_region(scope_code=street, year=YEAR).indicator("registered_volunteers")
        assert item.value == (Decimal(volunteers) / residents if residents else None)
        assert item.compliant == compliant
        assert item.applicable == len(codes)


def test_street_centre_rows_match_a_count_by_hand(demo, db):
    for row in street_rows(scope_code="620102", year=YEAR):
        centres = [
            f.floor_area
            for f in Facility.objects.filter(street_id=row.code, kind="centre")
            if f.is_in_service_at(YEAR)
        ]
        largest = max(centres, default=Decimal(0))
        assert row.indicators["street_centre"].value == largest
        assert row.indicators["street_centre"].compliant == (
            row.kind == "subdistrict" and largest >= 800
        )


def test_api_and_command_agree_with_the_engine_for_the_province(demo, db):
    admin = make_user("hand-admin", role="admin", scope_code="62")
    client = APIClient()
    client.force_authenticate(admin)
    plan = current_plan()
    expected = region_payload(compute_region(scope_code="62", year=YEAR), plan)
    assert client.get("/api/v1/compliance/", {"scope": "62", "year": YEAR}).json() == expected
    out = StringIO()
    call_command("compliance", "--scope", "62", "--year", str(YEAR), "--format", "json", stdout=out)
    assert json.loads(out.getvalue()) == expected
    rows = client.get(
        "/api/v1/compliance/communities/", {"scope": "620102016", "page_size": 1000}
    ).json()
    assert rows["results"] == [
        community_row_payload(r) for r in community_rows(scope_code="620102016", year=YEAR)
    ]
    # a full table in Chinese, with every prefecture as a child
    out = StringIO()
    call_command("compliance", "--scope", "62", stdout=out)
    table = out.getvalue()
    assert "甘肃省（62，省）2015年社区服务体系建设达标情况" in table
    assert "兰州市（6201）" in table and "甘南藏族自治州（6230）" in table
    assert len(expected["children"]) == 14
