"""seed_demo at a small scale: the 2010 baseline and the 2015 targets land where the plan says.

One small load (``--scale 0.01``: every community, 1 % of the volunteers) is shared by the
module and rolled back at its end. Shares are computed straight from querysets, not through
the compliance engine, so that the demo data and the engine are checked independently.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Sum

from communities.models import Community, CommunityStat, SocialOrganization
from core.validators import validate_id_number
from facilities.models import Facility, FacilityFunding
from streets.models import Street
from streets.services import divisions_load
from volunteers.models import ServiceRecord, Volunteer, VolunteerOrganization
from workforce.models import Training, Worker
from workforce.querysets import COUNTED_ROLES

SCALE = 0.01
LANZHOU, GANNAN = "6201", "6230"

pytestmark = pytest.mark.xdist_group("demo")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the hierarchy and a 1 % demo once for the module; roll it all back afterwards."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            divisions_load()
            call_command("seed_demo", scale=SCALE, seed=2015, verbosity=0)
            yield
            transaction.set_rollback(True)


def centre_share(year: int, scope: str = "62") -> float:
    centres = Facility.objects.centres().in_service_at(year).filter(street=OuterRef("code"))
    streets = Street.objects.under(scope).subdistricts()
    return streets.filter(Exists(centres)).count() / streets.count()


def largest_station(year: int, scope: str = "62") -> dict[str, Decimal]:
    rows = (
        Facility.objects.under(scope)
        .stations()
        .in_service_at(year)
        .values("community_id")
        .annotate(largest=Max("floor_area"))
    )
    return {r["community_id"]: r["largest"] for r in rows}


def station_share(year: int, scope: str = "62", *, at_least=None, below=None) -> float:
    largest = largest_station(year, scope)
    kept = [
        a
        for a in largest.values()
        if (at_least is None or a >= at_least) and (below is None or a < below)
    ]
    return len(kept) / Community.objects.under(scope).count()


def volunteer_share(year: int, scope: str = "62") -> float:
    """Registered volunteers ÷ residents, scaled back to the full load."""
    volunteers = Volunteer.objects.under(scope).registered_at(year).count()
    residents = (
        CommunityStat.objects.under(scope).filter(year=year).aggregate(n=Sum("residents"))["n"]
    )
    return volunteers / SCALE / residents


def stat_share(year: int, scope: str, field: str, of: str, threshold: Decimal) -> float:
    stats = CommunityStat.objects.under(scope).filter(year=year)
    ok = sum(
        1 for part, whole in stats.values_list(field, of) if whole and part >= threshold * whole
    )
    return ok / stats.count()


def test_every_community_has_statistics_for_each_year(demo, db):
    assert CommunityStat.objects.count() == Community.objects.count() * 6
    assert set(CommunityStat.objects.values_list("year", flat=True).distinct()) == set(
        range(2010, 2016)
    )


def test_baseline_2010_matches_the_plans_figures(demo, db):
    # 甘政办发〔2012〕192号 一: 60%的街道设有社区服务中心, 89.5%的社区设有社区服务站,
    # 699 of 1,186 communities with rooms below 300 ㎡, 7000多个志愿者组织, 13.84万名志愿者.
    assert 0.52 <= centre_share(2010) <= 0.70
    assert 0.86 <= station_share(2010) <= 0.93
    assert 0.50 <= station_share(2010, below=300) <= 0.68
    assert 7000 <= VolunteerOrganization.objects.active_at(2010).count() <= 8000
    assert 120_000 <= Volunteer.objects.registered_at(2010).count() / SCALE <= 160_000


def test_targets_2015_are_largely_but_not_fully_met(demo, db):
    checks = {
        "centres of 800 ㎡": centre_share_800(2015),
        "stations of 300 ㎡": station_share(2015, at_least=300),
        "party members volunteering": stat_share(
            2015, "62", "party_members_volunteering", "party_members", Decimal("0.8")
        ),
        "residents volunteering": stat_share(
            2015, "62", "residents_volunteering", "residents", Decimal("0.3")
        ),
    }
    for what, share in checks.items():
        assert 0.60 <= share <= 0.92, (what, share)
    assert 0.09 <= volunteer_share(2015) <= 0.13
    assert 900_000 <= Volunteer.objects.registered_at(2015).count() / SCALE <= 1_150_000
    assert (
        VolunteerOrganization.objects.active_at(2015).count()
        > VolunteerOrganization.objects.active_at(2010).count()
    )
    digital = (
        Community.objects.filter(digital_3d_completed_on__year__lte=2015).count()
        / Community.objects.count()
    )
    assert 0.6 <= digital <= 0.92


def centre_share_800(year: int, scope: str = "62") -> float:
    centres = (
        Facility.objects.centres()
        .in_service_at(year)
        .filter(street=OuterRef("code"), floor_area__gte=800)
    )
    streets = Street.objects.under(scope).subdistricts()
    return streets.filter(Exists(centres)).count() / streets.count()


def test_lanzhou_is_ahead_of_gannan_in_2015(demo, db):
    assert (
        station_share(2015, LANZHOU, at_least=300) > station_share(2015, GANNAN, at_least=300) + 0.3
    )
    assert volunteer_share(2015, LANZHOU) > volunteer_share(2015, GANNAN) + 0.02
    for field, of, threshold in (
        ("party_members_volunteering", "party_members", Decimal("0.8")),
        ("residents_volunteering", "residents", Decimal("0.3")),
    ):
        assert (
            stat_share(2015, LANZHOU, field, of, threshold)
            > stat_share(2015, GANNAN, field, of, threshold) + 0.3
        )


def test_statistics_are_plausible_and_grow(demo, db):
    stats = list(
        CommunityStat.objects.values_list(
            "households",
            "residents",
            "party_members",
            "party_members_volunteering",
            "residents_volunteering",
        )
    )
    for households, residents, party, party_vol, res_vol in stats:
        assert 1000 <= residents <= 20000
        assert 2.5 <= residents / households <= 3.1
        assert 0.02 <= party / residents <= 0.065
        assert party_vol <= party and res_vol <= residents
    totals = [
        CommunityStat.objects.filter(year=y).aggregate(n=Sum("residents_volunteering"))["n"]
        for y in range(2010, 2016)
    ]
    assert totals == sorted(totals) and totals[-1] > 2 * totals[0]


def test_statuses_leave_work_for_the_approval_pages(demo, db):
    assert not CommunityStat.objects.filter(year__lt=2015).exclude(status="approved").exists()
    last = CommunityStat.objects.filter(year=2015)
    counts = {
        s: last.filter(status=s).count() for s in ("approved", "submitted", "draft", "returned")
    }
    assert counts["approved"] > 0.7 * last.count()
    assert all(counts[s] > 0 for s in ("submitted", "draft", "returned"))
    assert not last.filter(status="returned", return_reason="").exists()
    street = dict(
        last.filter(community__street_id="620102016").values_list("community_id", "status")
    )
    assert street["620102016001"] == "draft"
    assert list(street.values()).count("submitted") >= 2


def test_volunteer_id_numbers_are_valid_and_of_their_county(demo, db):
    rows = list(Volunteer.objects.values_list("id_number", "community_id", "gender"))
    assert len({r[0] for r in rows}) == len(rows)
    for id_number, community, gender in rows:
        validate_id_number(id_number)
        assert id_number[:6] == community[:6]
        assert (int(id_number[16]) % 2 == 1) == (gender == "male")


def test_demo_rows_pass_the_model_rules(demo, db):
    """The bulk load skips full_clean(); a sample of every table must still pass it."""
    for model in (
        CommunityStat,
        Facility,
        FacilityFunding,
        VolunteerOrganization,
        Volunteer,
        ServiceRecord,
        SocialOrganization,
        Worker,
        Training,
    ):
        sample = list(model.objects.order_by("?")[:40])
        assert sample, model
        for obj in sample:
            obj.full_clean()


def test_facilities_carry_their_owner_code_dates_and_services(demo, db):
    assert not Facility.objects.filter(kind="centre", street__isnull=True).exists()
    assert not Facility.objects.exclude(kind="centre").filter(community__isnull=True).exists()
    for kind, code, street, community in Facility.objects.values_list(
        "kind", "code", "street_id", "community_id"
    ):
        assert code == (street if kind == "centre" else community)
    assert Facility.objects.filter(closed_on__isnull=False).exists()
    assert (
        Facility.objects.filter(kind="specialized").values("specialized_type").distinct().count()
        >= 6
    )
    assert FacilityFunding.objects.values("facility").distinct().count() == Facility.objects.count()
    centres = Facility.objects.filter(kind="centre").select_related("street")
    assert centres.filter(street__kind="subdistrict").count() > 0.8 * centres.count()


def test_workers_include_uncounted_leaders_and_turnover(demo, db):
    assert Worker.objects.filter(role="group_leader").exists()
    counted = Worker.objects.filter(role__in=COUNTED_ROLES)
    assert counted.values("community").distinct().count() == Community.objects.count()
    assert Worker.objects.filter(left_on__isnull=False).exists()
    assert Worker.objects.exclude(social_work_qualification="none").exists()
    assert SocialOrganization.objects.active_at(2015).count() > 4 * Community.objects.count()


def test_dates_hang_together(demo, db):
    assert not Volunteer.objects.filter(left_on__lt=F("registered_on")).exists()
    assert not Volunteer.objects.filter(organization__registered_on__gt=F("registered_on")).exists()
    assert (
        not Volunteer.objects.exclude(organization=None)
        .exclude(organization__community=F("community"))
        .exists()
    )
    assert not ServiceRecord.objects.filter(served_on__lt=F("volunteer__registered_on")).exists()
    assert not ServiceRecord.objects.filter(served_on__gt=F("volunteer__left_on")).exists()
    assert not Training.objects.filter(started_on__lt=F("worker__hired_on")).exists()
    assert not Worker.objects.filter(left_on__lt=F("hired_on")).exists()
    assert not Facility.objects.filter(closed_on__lt=F("opened_on")).exists()
    assert Volunteer.objects.filter(left_on__isnull=False).exists()


def test_volunteers_are_adults_when_they_register(demo, db):
    for id_number, registered in Volunteer.objects.values_list("id_number", "registered_on"):
        born = datetime.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
        assert 17 <= (registered - born).days / 365.25 <= 75
