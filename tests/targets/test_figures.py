"""The figures table against the raw rows, after every write of every channel.

A plain reference, written from INDICATORS.md over the rows as the ORM reads them, computes
each community's and street's figures for every year; random sequences of creates, edits,
closes, deletes, imports and approvals through the one write path must leave the table equal
to it after each step.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communities.models import Community, CommunityStat, SocialOrganization
from communities.services import stat_approve, stat_return, stat_submit
from core.figures import figures_deferred, figures_refresh
from core.services import record_delete, record_save, records_bulk_save
from facilities.models import Facility
from streets.models import Street
from targets.figures import differences, figure_years, recompute
from targets.models import CommunityFigures, StreetFigures
from tests.factories import make_hierarchy, make_user
from volunteers.models import ServiceRecord, Volunteer, VolunteerOrganization
from workforce.models import Worker

from .builders import id_number

pytestmark = pytest.mark.django_db

COUNTED = {"secretary", "director", "deputy_director", "member", "full_time"}
COLLEGE = {"college", "bachelor", "postgraduate"}
BACHELOR = {"bachelor", "postgraduate"}


def alive(start, end, year):
    last = datetime.date(year, 12, 31)
    return start is not None and start <= last and (end is None or end > last)


def reference() -> tuple[dict, dict]:
    """Each community's and street's figures per year, counted in Python from the rows."""
    years = figure_years()
    facilities = list(Facility.objects.all())
    volunteers = list(Volunteer.objects.all())
    workers = list(Worker.objects.all())
    social = list(SocialOrganization.objects.all())
    vorgs = list(VolunteerOrganization.objects.all())
    stats = {(s.community_id, s.year): s for s in CommunityStat.objects.all()}
    home = {v.pk: v.community_id for v in volunteers}
    served = [
        (home[r.volunteer_id], r.served_on.year, r.volunteer_id, r.hours)
        for r in ServiceRecord.objects.filter(status="confirmed")
    ]
    communities = {}
    for c in Community.objects.all():
        for y in years:
            s = stats.get((c.code, y))
            stations = [
                f.floor_area
                for f in facilities
                if f.code == c.code and f.kind == "station" and alive(f.opened_on, f.closed_on, y)
            ]
            specialized = [
                f.floor_area
                for f in facilities
                if f.code == c.code
                and f.kind == "specialized"
                and alive(f.opened_on, f.closed_on, y)
            ]
            mine = [v for v in volunteers if v.community_id == c.code]
            registered = [v for v in mine if alive(v.registered_on, v.left_on, y)]
            staff = [
                w
                for w in workers
                if w.community_id == c.code
                and w.role in COUNTED
                and alive(w.hired_on, w.left_on, y)
            ]
            communities[(c.code, y)] = {
                "street_code": c.street_id,
                "has_stats": s is not None,
                "stat_status": s.status if s else "",
                "households": s.households if s else None,
                "residents": s.residents if s else None,
                "party_members": s.party_members if s else None,
                "party_members_volunteering": s.party_members_volunteering if s else None,
                "residents_volunteering": s.residents_volunteering if s else None,
                "station_max_area": max(stations) if stations else None,
                "station_area": sum(stations, Decimal(0)),
                "specialized_area": sum(specialized, Decimal(0)),
                "registered_volunteers": len(registered),
                "party_member_volunteers": sum(v.is_party_member for v in registered),
                "social_organizations": sum(
                    o.community_id == c.code and alive(o.registered_on, o.dissolved_on, y)
                    for o in social
                ),
                "volunteer_organizations": sum(
                    o.community_id == c.code and alive(o.registered_on, o.dissolved_on, y)
                    for o in vorgs
                ),
                "counted_workers": len(staff),
                "certified_workers": sum(w.social_work_qualification != "none" for w in staff),
                "bachelor_workers": sum(w.education in BACHELOR for w in staff),
                "college_workers": sum(w.education in COLLEGE for w in staff),
                "digital_3d": c.digital_3d_completed_on is not None
                and c.digital_3d_completed_on <= datetime.date(y, 12, 31),
                "service_hours": sum(
                    (h for code, year, _, h in served if code == c.code and year == y),
                    Decimal("0.0"),
                ),
                "serving_volunteers": len(
                    {v for code, year, v, _ in served if code == c.code and year == y}
                ),
            }
    streets = {}
    for street in Street.objects.all():
        for y in years:
            centres = [
                f.floor_area
                for f in facilities
                if f.code == street.code
                and f.kind == "centre"
                and alive(f.opened_on, f.closed_on, y)
            ]
            streets[(street.code, y)] = {
                "centres": len(centres),
                "centre_max_area": max(centres) if centres else None,
                "centre_area": sum(centres, Decimal(0)),
            }
    return communities, streets


def stored() -> tuple[dict, dict]:
    names = [f.name for f in CommunityFigures._meta.concrete_fields if f.name not in ("id",)]
    communities = {}
    for row in CommunityFigures.objects.values("community_id", *names[1:]):
        key = (row.pop("community_id"), row.pop("year"))
        communities[key] = row
    streets = {}
    for row in StreetFigures.objects.values(
        "street_id", "year", "centres", "centre_max_area", "centre_area"
    ):
        streets[(row.pop("street_id"), row.pop("year"))] = row
    return communities, streets


def assert_current():
    want, have = reference(), stored()
    assert have[0] == want[0]
    assert have[1] == want[1]
    assert differences() == []


def stat_row(community, year: int, households: int = 100) -> CommunityStat:
    """A year's statistics of ``community``, its other figures in proportion to ``households``."""
    return CommunityStat(
        community=community,
        year=year,
        households=households,
        residents=households * 3,
        party_members=households // 10,
        party_members_volunteering=households // 10 - 2,
        residents_volunteering=households * 9 // 10,
    )


@pytest.fixture
def world(db):
    communities = make_hierarchy(communities=2) + make_hierarchy(
        street="620102017", communities=1, kind="town"
    )
    admin = make_user("figures-admin", role="admin", scope_code="62")
    recompute(None)
    return communities, admin


def test_the_table_holds_every_community_and_street_for_every_plan_year(world):
    assert figure_years() == list(range(2010, 2016))
    assert CommunityFigures.objects.count() == 3 * 6
    assert StreetFigures.objects.count() == 2 * 6
    assert_current()


def test_a_saved_station_is_counted_in_the_same_transaction(world):
    communities, admin = world
    with transaction.atomic():
        record_save(
            instance=Facility(
                name="服务站",
                kind="station",
                community=communities[0],
                floor_area=Decimal("320.50"),
                opened_on=datetime.date(2013, 12, 31),
            ),
            user=admin,
        )
        row = CommunityFigures.objects.get(community=communities[0], year=2013)
        assert row.station_max_area == Decimal("320.50")
        assert (
            CommunityFigures.objects.get(community=communities[0], year=2012).station_max_area
            is None
        )
    assert_current()


def test_one_write_recomputes_only_its_own_community(world, django_assert_num_queries):
    communities, admin = world
    stat = stat_row(communities[1], 2015)
    other = CommunityFigures.objects.get(community=communities[0], year=2015)
    record_save(instance=stat, user=None)
    assert CommunityFigures.objects.get(community=communities[1], year=2015).households == 100
    assert CommunityFigures.objects.get(pk=other.pk) == other  # the other row was not rewritten


def test_a_statistics_write_recounts_its_rows_in_place_and_keeps_the_volunteer_counts(world):
    communities, admin = world
    before = {f.year: f for f in CommunityFigures.objects.filter(community=communities[0])}
    # A count that only a volunteer's write changes: a statistics write leaves it alone.
    CommunityFigures.objects.filter(community=communities[0], year=2013).update(
        registered_volunteers=7
    )
    record_save(instance=stat_row(communities[0], 2013, households=120), user=admin)
    after = {f.year: f for f in CommunityFigures.objects.filter(community=communities[0])}
    assert {y: f.pk for y, f in after.items()} == {y: f.pk for y, f in before.items()}
    assert (after[2013].has_stats, after[2013].households) == (True, 120)
    assert after[2013].registered_volunteers == 7
    assert differences() == [
        f"targets_communityfigures {communities[0].code} 2013 registered_volunteers：应为 0，实为 7"
    ]


def test_a_community_made_outside_the_write_path_gets_its_rows_on_its_first_write(world):
    communities, admin = world
    late = Community.objects.create(code="620102016009", name="新社区", street=communities[0].street)
    assert not CommunityFigures.objects.filter(community=late).exists()
    record_save(instance=stat_row(late, 2015, households=50), user=admin)
    assert CommunityFigures.objects.filter(community=late).count() == len(figure_years())
    assert_current()


def test_check_figures_reports_a_difference_and_fixes_it(world, capsys):
    communities, _ = world
    call_command("check_figures")
    CommunityFigures.objects.filter(community=communities[0], year=2014).update(
        registered_volunteers=7
    )
    with pytest.raises(CommandError) as raised:
        call_command("check_figures")
    assert raised.value.returncode == 1
    out = capsys.readouterr().out
    assert f"{communities[0].code} 2014 registered_volunteers：应为 0，实为 7" in out
    with pytest.raises(CommandError):
        call_command("check_figures", "--fix")
    call_command("check_figures")
    assert "一致" in capsys.readouterr().out


def test_a_new_plan_year_adds_the_rows_of_that_year(world):
    from targets.models import Plan

    plan = Plan.objects.get(is_current=True)
    later = Plan(
        code="14th",
        name="十四五",
        start_year=2021,
        target_year=2025,
        thresholds=dict(plan.thresholds),
    )
    record_save(instance=later, user=None)
    assert figure_years()[-1] == 2025
    assert CommunityFigures.objects.filter(year=2025).count() == 3
    assert_current()
    record_delete(instance=later, user=None)
    assert not CommunityFigures.objects.filter(year=2025).exists()


def test_an_admin_bulk_delete_recomputes_once_at_the_end(world, django_assert_max_num_queries):
    communities, admin = world
    for n in range(3):
        Volunteer.objects.create(
            community=communities[0],
            name=f"志愿者{n}",
            gender="male",
            id_number=id_number(),
            registered_on=datetime.date(2011, 1, 1),
        )
    recompute(None)
    with figures_deferred():
        for volunteer in Volunteer.objects.all():
            record_delete(instance=volunteer, user=admin)
        # Inside the block nothing is recomputed yet.
        assert (
            CommunityFigures.objects.get(community=communities[0], year=2015).registered_volunteers
            == 3
        )
    assert (
        CommunityFigures.objects.get(community=communities[0], year=2015).registered_volunteers == 0
    )
    assert_current()


# ---------------------------------------------------------------------------------------------
# Random sequences of writes.

dates = st.builds(
    lambda y, md: datetime.date(y, *md),
    st.integers(2009, 2016),
    st.sampled_from([(1, 1), (6, 30), (12, 31)]),
)
maybe_date = st.one_of(st.none(), dates)
areas = st.sampled_from(["0.01", "150.00", "299.99", "300.00", "800.00", "1200.50"])
which = st.integers(0, 2)  # a community of the world
pick = st.integers(0, 1000)  # a row among those that exist

operations = st.one_of(
    st.tuples(
        st.just("facility"),
        which,
        st.sampled_from(["station", "specialized", "centre"]),
        areas,
        dates,
        maybe_date,
    ),
    st.tuples(st.just("volunteer"), which, dates, maybe_date, st.booleans()),
    st.tuples(
        st.just("worker"),
        which,
        st.sampled_from(["secretary", "full_time", "group_leader"]),
        st.sampled_from(["high_school", "college", "bachelor", "postgraduate"]),
        st.sampled_from(["none", "assistant"]),
        dates,
        maybe_date,
    ),
    st.tuples(st.just("org"), which, st.booleans(), dates, maybe_date),
    st.tuples(st.just("stat"), which, st.integers(2010, 2016), st.integers(0, 500)),
    st.tuples(st.just("edit"), pick, areas, dates, which),
    st.tuples(st.just("close"), pick, dates),
    st.tuples(st.just("delete"), pick),
    st.tuples(st.just("import"), which, st.integers(0, 3), dates, pick),
    st.tuples(st.just("approve"), pick, st.sampled_from(["submit", "approve", "return"])),
    st.tuples(st.just("digital"), which, maybe_date),
    st.tuples(
        st.just("service"), pick, dates, st.sampled_from(["1.5", "8", "24"]), st.booleans()
    ),
    st.tuples(st.just("flip"), pick, st.sampled_from(["status", "hours", "party", "phone"])),
)

MODELS = (Facility, Volunteer, Worker, SocialOrganization, VolunteerOrganization, CommunityStat)


def existing(n: int):
    rows = [row for model in MODELS for row in model.objects.order_by("pk")]
    return rows[n % len(rows)] if rows else None


def apply(op, communities, admin):
    kind, *args = op
    if kind == "facility":
        c, facility_kind, area, opened, closed = args
        community = communities[c]
        record_save(
            instance=Facility(
                name=f"设施{Facility.objects.count()}",
                kind=facility_kind,
                community=None if facility_kind == "centre" else community,
                street=community.street if facility_kind == "centre" else None,
                specialized_type="day_care" if facility_kind == "specialized" else "",
                floor_area=Decimal(area),
                opened_on=opened,
                closed_on=closed if closed and closed > opened else None,
            ),
            user=None,
        )
    elif kind == "volunteer":
        c, registered, left, party = args
        record_save(
            instance=Volunteer(
                community=communities[c],
                name="志愿者",
                gender="female",
                id_number=id_number(),
                registered_on=registered,
                left_on=left if left and left >= registered else None,
                is_party_member=party,
            ),
            user=None,
        )
    elif kind == "worker":
        c, role, education, qualification, hired, left = args
        record_save(
            instance=Worker(
                community=communities[c],
                name="工作者",
                gender="male",
                role=role,
                education=education,
                social_work_qualification=qualification,
                recruitment="hiring",
                hired_on=hired,
                left_on=left if left and left >= hired else None,
            ),
            user=None,
        )
    elif kind == "org":
        c, social, registered, dissolved = args
        model = SocialOrganization if social else VolunteerOrganization
        record_save(
            instance=model(
                community=communities[c],
                name=f"组织{model.objects.count()}",
                registered_on=registered,
                dissolved_on=dissolved if dissolved and dissolved >= registered else None,
            ),
            user=None,
        )
    elif kind == "stat":
        c, year, households = args
        stat = CommunityStat.objects.filter(community=communities[c], year=year).first()
        if stat is None:
            stat = CommunityStat(community=communities[c], year=year, residents=0, party_members=0)
            stat.party_members_volunteering = stat.residents_volunteering = 0
        elif stat.status != "draft":
            return
        stat.households = households
        stat.residents = households * 3
        record_save(instance=stat, user=None)
    elif kind == "edit":
        n, area, day, c = args
        row = existing(n)
        if row is None or isinstance(row, CommunityStat):
            return
        if isinstance(row, Facility):
            row.floor_area = Decimal(area)
            if row.kind != "centre":
                row.community = communities[c]  # moves to another community
        elif isinstance(row, Volunteer | Worker | SocialOrganization | VolunteerOrganization):
            start = row.LIFESPAN[0]
            end = getattr(row, row.LIFESPAN[1])
            if end is None or day <= end:
                setattr(row, start, day)
            row.community = communities[c]
        record_save(instance=row, user=None)
    elif kind == "close":
        n, day = args
        row = existing(n)
        if row is None or isinstance(row, CommunityStat):
            return
        start, end = row.LIFESPAN
        if getattr(row, start) is not None and day >= getattr(row, start):
            setattr(row, end, day)
            record_save(instance=row, user=None)
    elif kind == "delete":
        row = existing(args[0])
        if row is not None and not (isinstance(row, CommunityStat) and row.status != "draft"):
            record_delete(instance=row, user=None)
    elif kind == "import":
        c, count, registered, n = args
        created = [
            Volunteer(
                community=communities[c],
                name="导入志愿者",
                gender="male",
                id_number=id_number(),
                registered_on=registered,
            )
            for _ in range(count)
        ]
        updated = list(Volunteer.objects.order_by("pk"))[n % 3 :][:2]
        for volunteer in updated:
            volunteer.community = communities[c]
        records_bulk_save(
            model=Volunteer,
            created=created,
            updated=updated,
            fields=["community"],
            user=None,
            reason="导入",
        )
    elif kind == "approve":
        n, step = args
        stats = list(CommunityStat.objects.order_by("pk"))
        if not stats:
            return
        stat = stats[n % len(stats)]
        if step == "submit" and stat.status in ("draft", "returned"):
            stat_submit(stat=stat, user=admin)
        elif step == "approve" and stat.status == "submitted":
            stat_approve(stat=stat, user=admin)
        elif step == "return" and stat.status in ("submitted", "approved"):
            stat_return(stat=stat, user=admin, reason="数据有误")
    elif kind == "service":
        n, day, hours, confirmed = args
        volunteers = list(Volunteer.objects.order_by("pk"))
        if not volunteers:
            return
        record_save(
            instance=ServiceRecord(
                volunteer=volunteers[n % len(volunteers)],
                activity="社区服务",
                served_on=day,
                hours=Decimal(hours),
                category="elderly",
                status="confirmed" if confirmed else "recorded",
            ),
            user=None,
        )
    elif kind == "flip":
        # One field of a service record or a volunteer: a record's status or hours, the
        # party membership of a volunteer, or a telephone number (which feeds no figure).
        n, what = args
        model = ServiceRecord if what in ("status", "hours") else Volunteer
        rows = list(model.objects.order_by("pk"))
        if not rows:
            return
        row = rows[n % len(rows)]
        if what == "status":
            row.status = "recorded" if row.status == "confirmed" else "confirmed"
        elif what == "hours":
            row.hours = Decimal("2") if row.hours > 2 else Decimal("20")
        elif what == "party":
            row.is_party_member = not row.is_party_member
        else:
            row.phone = f"1390000{n % 10000:04d}"
        record_save(instance=row, user=None)
    elif kind == "digital":
        c, day = args
        community = Community.objects.get(pk=communities[c].pk)
        community.digital_3d_completed_on = day
        record_save(instance=community, user=None)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(operations, min_size=1, max_size=12))
def test_the_table_stays_equal_to_the_raw_rows_after_every_write(world, steps):
    communities, admin = world
    with transaction.atomic():
        for op in steps:
            try:
                apply(op, communities, admin)
            except ValidationError:
                pass  # a refused write changes nothing, the figures included
            assert_current()
        transaction.set_rollback(True)


def test_postgresql_and_sqlite_agree_on_the_years(world):
    # The years are counted inside the statement (2010 to the last plan's target year).
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(DISTINCT year) FROM targets_communityfigures")
        assert cursor.fetchone()[0] == len(figure_years())


def test_confirmed_service_counts_hours_and_each_serving_volunteer_once(world):
    """The dashboard's 志愿服务 line reads the figures: confirmed hours and the volunteers who
    served, each once a year however many records they have; the same as the raw records."""
    from targets.plans import current_plan
    from targets.views import volunteer_service
    from tests.security.worlds import make_person

    communities, admin = world
    people = [
        Volunteer.objects.create(
            community=communities[0], name=f"服务者{n}", registered_on=datetime.date(2012, 1, 1),
            **make_person(700 + n),
        )
        for n in range(2)
    ]
    for volunteer, day, hours, status in (
        (people[0], datetime.date(2014, 3, 1), "2.5", "confirmed"),
        (people[0], datetime.date(2014, 9, 1), "3.0", "confirmed"),
        (people[1], datetime.date(2014, 5, 1), "1.5", "confirmed"),
        (people[1], datetime.date(2015, 5, 1), "4.0", "recorded"),  # not confirmed: not counted
        (people[1], datetime.date(2015, 6, 1), "1.0", "confirmed"),
    ):
        ServiceRecord.objects.create(
            volunteer=volunteer, activity="敬老院服务", served_on=day, hours=Decimal(hours),
            category="elderly", status=status,
        )
    figures_refresh({communities[0].code})
    assert_current()
    row = CommunityFigures.objects.get(community=communities[0], year=2014)
    assert (row.service_hours, row.serving_volunteers) == (Decimal("7.0"), 2)
    service = volunteer_service(admin, "62", 2015, 2, current_plan())
    raw = ServiceRecord.objects.under("62").confirmed().hours_by_year()
    assert service["per_year"] == raw == [
        {"year": 2014, "hours": Decimal("7.0"), "volunteers": 2},
        {"year": 2015, "hours": Decimal("1.0"), "volunteers": 1},
    ]
    assert service["hours"] == Decimal("1.0")


def test_star_levels_are_kept_per_community_and_counted_again_when_the_thresholds_change(world):
    """The dashboard's volunteers by star level come from each community's stored counts, the
    same as counting every confirmed record; new thresholds saved through the write path count
    them again, thresholds changed around it send the dashboard back to the records."""
    from targets.figures import star_counts
    from targets.views import volunteer_service
    from tests.security.worlds import make_person
    from volunteers.models import StarThreshold

    communities, admin = world
    people = [
        Volunteer.objects.create(
            community=communities[n % 3], name=f"星级{n}", registered_on=datetime.date(2012, 1, 1),
            **make_person(800 + n),
        )
        for n in range(4)
    ]
    for volunteer, hours, status in (
        (people[0], "60", "confirmed"),
        (people[0], "60", "confirmed"),  # 120 hours: 一星
        (people[1], "350", "confirmed"),  # 二星
        (people[2], "148", "confirmed"),  # 一星, and just below it at 150
        (people[3], "900", "recorded"),  # not confirmed: not counted
    ):
        ServiceRecord.objects.create(
            volunteer=volunteer, activity="社区服务", served_on=datetime.date(2014, 3, 1),
            hours=Decimal(hours), category="elderly", status=status,
        )
    figures_refresh({c.code for c in communities})
    assert_current()

    def counted(code="62"):
        return ServiceRecord.objects.under(code).confirmed().star_counts(StarThreshold.objects.pairs())

    assert star_counts("62") == counted() == {1: 2, 2: 1}
    assert star_counts(communities[0].code) == counted(communities[0].code) == {1: 1}

    first = StarThreshold.objects.get(level=1)
    first.min_hours = Decimal("150")
    record_save(instance=first, user=admin)
    assert star_counts("62") == counted() == {0: 2, 2: 1}
    assert_current()

    # A confirmed record saved through the write path counts its community's levels again; a
    # write that cannot change them (statistics) leaves the star rows alone.
    from targets.models import CommunityStars

    before = list(CommunityStars.objects.order_by("pk").values_list("pk", flat=True))
    record_save(instance=stat_row(communities[0], 2015), user=None)
    assert list(CommunityStars.objects.order_by("pk").values_list("pk", flat=True)) == before
    record_save(
        instance=ServiceRecord(
            volunteer=people[2], activity="社区服务", served_on=datetime.date(2015, 3, 1),
            hours=Decimal("4"), category="elderly", status="confirmed",
        ),
        user=None,
    )
    assert star_counts("62") == counted() == {0: 1, 1: 1, 2: 1}  # 148 + 4 hours: 一星 at 150
    assert_current()

    StarThreshold.objects.filter(level=2).update(min_hours=Decimal("400"))  # around the write path
    assert star_counts("62") is None
    stars = dict(volunteer_service(admin, "62", 2015, 4, None)["stars"])
    assert stars == {"一星": 2, "二星": 0, "三星": 0, "四星": 0, "五星": 0}  # 350 h and 152 h
    with pytest.raises(CommandError):
        call_command("check_figures")


# ---------------------------------------------------------------------------------------------
# A write recounts only what it can change: each field that feeds the figures, edited alone.


@pytest.fixture
def one_of_each(world):
    communities, admin = world
    home = communities[0]
    from tests.security.worlds import make_person

    volunteer = Volunteer.objects.create(
        community=home, name="志愿者甲", registered_on=datetime.date(2011, 3, 1), **make_person(900)
    )
    other = Volunteer.objects.create(
        community=communities[1], name="志愿者乙", registered_on=datetime.date(2012, 3, 1),
        **make_person(901),
    )
    rows = {
        "volunteer": volunteer,
        "record": ServiceRecord.objects.create(
            volunteer=volunteer, activity="社区服务", served_on=datetime.date(2014, 3, 1),
            hours=Decimal("8"), category="elderly", status="confirmed",
        ),
        "facility": Facility.objects.create(
            name="服务站", kind="station", community=home, floor_area=Decimal("320.00"),
            opened_on=datetime.date(2012, 1, 1),
        ),
        "worker": Worker.objects.create(
            community=home, name="工作者", gender="male", role="full_time", education="college",
            social_work_qualification="none", recruitment="hiring",
            hired_on=datetime.date(2011, 1, 1),
        ),
        "social": SocialOrganization.objects.create(
            community=home, name="社会组织", registered_on=datetime.date(2012, 5, 1)
        ),
        "vorg": VolunteerOrganization.objects.create(
            community=home, name="志愿组织", registered_on=datetime.date(2012, 5, 1)
        ),
        "stat": stat_row(home, 2014),
    }
    rows["stat"].save()
    recompute(None)
    return communities, admin, rows, other


EDITS = [
    ("volunteer", "registered_on", datetime.date(2013, 6, 30)),
    ("volunteer", "left_on", datetime.date(2013, 6, 30)),
    ("volunteer", "is_party_member", True),
    ("volunteer", "community", 1),
    ("record", "status", "recorded"),
    ("record", "hours", Decimal("20")),
    ("record", "served_on", datetime.date(2012, 8, 1)),
    ("record", "volunteer", "other"),
    ("facility", "kind", "specialized"),
    ("facility", "floor_area", Decimal("150.00")),
    ("facility", "opened_on", datetime.date(2014, 1, 1)),
    ("facility", "closed_on", datetime.date(2013, 12, 31)),
    ("facility", "community", 2),
    ("worker", "role", "group_leader"),
    ("worker", "hired_on", datetime.date(2014, 2, 1)),
    ("worker", "left_on", datetime.date(2013, 2, 1)),
    ("worker", "social_work_qualification", "assistant"),
    ("worker", "education", "bachelor"),
    ("worker", "community", 1),
    ("social", "registered_on", datetime.date(2014, 5, 1)),
    ("social", "dissolved_on", datetime.date(2013, 5, 1)),
    ("social", "community", 1),
    ("vorg", "registered_on", datetime.date(2014, 5, 1)),
    ("vorg", "dissolved_on", datetime.date(2013, 5, 1)),
    ("vorg", "community", 2),
    ("stat", "year", 2013),
    ("stat", "households", 140),
    ("stat", "residents", 420),
    ("stat", "party_members", 12),
    ("stat", "party_members_volunteering", 9),
    ("stat", "residents_volunteering", 120),
    ("stat", "community", 1),
]


@pytest.mark.parametrize(("row", "field", "value"), EDITS, ids=[f"{r}.{f}" for r, f, _ in EDITS])
def test_an_edit_of_one_counted_field_leaves_the_table_current(one_of_each, row, field, value):
    communities, admin, rows, other = one_of_each
    instance = rows[row]
    if field in ("community",):
        value = communities[value]
        if row == "facility" and value.street_id != instance.community.street_id:
            instance.street = None
    elif value == "other":
        value = other
    elif value == "specialized":
        instance.specialized_type = "day_care"
    setattr(instance, field, value)
    before = stored()
    record_save(instance=instance, user=None)  # the system: a confirmed record is the workflow's
    assert stored() != before  # the edit did change a figure or a star level
    assert_current()


def test_an_edit_of_no_counted_field_recounts_nothing(one_of_each, django_assert_num_queries):
    _, admin, rows, _ = one_of_each
    volunteer = rows["volunteer"]
    volunteer.phone = "13900001234"
    with django_assert_num_queries(8):  # the save, its history and audit; no figures
        record_save(instance=volunteer, user=admin)
    pending = rows["record"]
    pending.status = "recorded"
    record_save(instance=pending, user=None)
    with django_assert_num_queries(7):  # a record that counts neither before nor after
        pending.hours = Decimal("3")
        record_save(instance=pending, user=None)
    assert_current()


def test_every_column_the_statements_read_is_a_field_that_feeds_them():
    """A column read by the figures' or the star levels' statements that ``_FEEDS`` does not
    name would go stale when only it is edited."""
    import re

    from targets import figures

    tables = {
        "v": [Volunteer],
        "r": [ServiceRecord],
        "f": [Facility],
        "w": [Worker],
        "s": [CommunityStat],
        "o": [SocialOrganization, VolunteerOrganization],
    }
    sql = " ".join(
        [
            figures.community_select("c.code = %s", [""], [2015])[0],
            figures.street_select("st.code = %s", [""], [2015])[0],
            figures.stars_select("v.community_code = %s", [""], [(1, Decimal("100"))])[0],
        ]
    )
    read = set(re.findall(r"\b([a-z]{1,2})\.([a-z_0-9]+)\b", sql))
    missing = []
    for alias, column in sorted(read):
        for model in tables.get(alias, []):
            by_column = {f.column: f.name for f in model._meta.concrete_fields}
            name = by_column[column]
            if name != model._meta.pk.name and name not in figures._FEEDS[model._meta.label_lower]:
                missing.append(f"{model._meta.label_lower}.{name}")
    assert not missing
    assert {alias for alias, _ in read} >= set(tables)
