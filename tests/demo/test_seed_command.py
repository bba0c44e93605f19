"""seed_demo as a command: determinism, --if-empty, the demo accounts and their flag."""

import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from certificates.models import Certificate
from communities.models import Community, CommunityStat, SocialOrganization
from demo.accounts import DEMO_PASSWORD
from demo.build import DemoBuilder, DemoOptions
from facilities.models import Facility, FacilityFunding
from tests.factories import make_stat
from volunteers.models import ServiceRecord, Volunteer, VolunteerOrganization
from workforce.models import Training, Worker

STREET = "620102016"
ACCOUNTS = {
    "demo_admin": ("admin", "62"),
    "demo_security": ("security", "62"),
    "demo_auditor": ("auditor", "62"),
    "demo_prefecture": ("official", "6201"),
    "demo_street": ("official", STREET),
    "demo_staff": ("staff", "620102016001"),
}


def snapshot() -> dict[str, list]:
    """Everything the demo wrote, by natural fields (no ids, no timestamps)."""
    return {
        "stats": list(
            CommunityStat.objects.order_by("community_id", "year").values_list(
                "community_id",
                "year",
                "households",
                "residents",
                "party_members",
                "party_members_volunteering",
                "residents_volunteering",
                "status",
                "submitted_at",
            )
        ),
        "facilities": list(
            Facility.objects.order_by("code", "name", "opened_on").values_list(
                "code",
                "kind",
                "name",
                "floor_area",
                "opened_on",
                "closed_on",
                "construction_mode",
                "services",
            )
        ),
        "funding": sorted(
            FacilityFunding.objects.values_list(
                "facility__name", "facility__opened_on", "source", "year", "amount_wan_yuan"
            )
        ),
        "orgs": list(
            VolunteerOrganization.objects.order_by("community_id", "name").values_list(
                "community_id", "name", "registered_on", "dissolved_on"
            )
        ),
        "volunteers": list(
            Volunteer.objects.order_by("id_number").values_list(
                "community_id",
                "organization__name",
                "name",
                "gender",
                "id_number",
                "phone",
                "is_party_member",
                "registered_on",
                "left_on",
                "service_categories",
            )
        ),
        "records": sorted(
            ServiceRecord.objects.values_list(
                "volunteer__id_number", "served_on", "hours", "category", "activity"
            )
        ),
        "social": list(
            SocialOrganization.objects.order_by("community_id", "name").values_list(
                "community_id", "name", "category", "registered_on", "dissolved_on"
            )
        ),
        "workers": list(
            Worker.objects.order_by("community_id", "name").values_list(
                "community_id",
                "name",
                "role",
                "education",
                "social_work_qualification",
                "hired_on",
                "left_on",
            )
        ),
        "trainings": sorted(
            Training.objects.values_list("worker__name", "title", "started_on", "hours")
        ),
        "digital": list(
            Community.objects.under(STREET).values_list("code", "digital_3d_completed_on")
        ),
    }


def wipe() -> None:
    for model in (
        Certificate,
        ServiceRecord,
        Volunteer,
        VolunteerOrganization,
        FacilityFunding,
        Facility,
        Training,
        Worker,
        SocialOrganization,
        CommunityStat,
    ):
        model.objects.all().delete()
    Community.objects.update(digital_3d_completed_on=None)


def seed_street(seed: int) -> dict[str, list]:
    builder = DemoBuilder(DemoOptions(seed=seed, scale=0.05))
    places = [p for p in builder.places() if p.street_code == STREET]
    builder.run(places)
    return snapshot()


def test_the_same_seed_gives_the_same_data(divisions):
    first = seed_street(7)
    assert first["volunteers"] and first["workers"] and first["facilities"]
    wipe()
    assert seed_street(7) == first
    wipe()
    other = seed_street(8)
    assert other["volunteers"] != first["volunteers"]
    assert other["stats"] != first["stats"]


def test_years_option_sets_the_statistics_years(divisions):
    builder = DemoBuilder(DemoOptions(seed=1, scale=0.01, first_year=2012, last_year=2016))
    builder.run([p for p in builder.places() if p.street_code == STREET])
    years = set(CommunityStat.objects.values_list("year", flat=True))
    assert years == {2012, 2013, 2014, 2015, 2016}
    assert set(CommunityStat.objects.filter(year=2016).values_list("status", flat=True)) >= {
        "draft"
    }


def test_refuses_without_the_hierarchy(db):
    with pytest.raises(CommandError, match="load_divisions"):
        call_command("seed_demo", scale=0.01, verbosity=0)


def test_refuses_to_write_over_existing_data(divisions):
    make_stat(Community.objects.get(code="620102016001"), 2015)
    with pytest.raises(CommandError, match="--if-empty"):
        call_command("seed_demo", scale=0.01, verbosity=0)
    assert CommunityStat.objects.count() == 1


def test_if_empty_does_nothing_when_data_exists(divisions, settings):
    settings.DEBUG = False
    make_stat(Community.objects.get(code="620102016001"), 2015)
    out = io.StringIO()
    call_command("seed_demo", scale=0.01, if_empty=True, stdout=out)
    assert "跳过" in out.getvalue()
    assert CommunityStat.objects.count() == 1
    assert not Volunteer.objects.exists() and not Facility.objects.exists()


def test_no_accounts_without_debug_or_the_flag(divisions, settings):
    settings.DEBUG = False
    make_stat(Community.objects.get(code="620102016001"), 2015)
    out = io.StringIO()
    call_command("seed_demo", if_empty=True, stdout=out)
    assert not User.objects.filter(username__startswith="demo_").exists()
    assert DEMO_PASSWORD not in out.getvalue()


@pytest.mark.parametrize("how", ["flag", "debug"])
def test_accounts_are_created_and_printed(divisions, settings, how):
    settings.DEBUG = how == "debug"
    make_stat(Community.objects.get(code="620102016001"), 2015)
    out = io.StringIO()
    call_command("seed_demo", if_empty=True, with_accounts=how == "flag", stdout=out)
    for username, (role, scope) in ACCOUNTS.items():
        user = User.objects.get(username=username)
        assert (user.role, user.scope_code) == (role, scope)
        assert user.is_staff and user.is_active and user.check_password(DEMO_PASSWORD)
        assert username in out.getvalue()
        # Only demo_admin sees ID numbers and phones in full (both export paths in the demo).
        assert user.can_view_personal_data() == (username == "demo_admin")
    assert DEMO_PASSWORD in out.getvalue()


def test_accounts_are_idempotent_and_repaired(divisions, settings):
    settings.DEBUG = False
    make_stat(Community.objects.get(code="620102016001"), 2015)
    call_command("seed_demo", if_empty=True, with_accounts=True, stdout=io.StringIO())
    before = {
        u.username: (u.pk, u.password) for u in User.objects.filter(username__startswith="demo_")
    }
    out = io.StringIO()
    call_command("seed_demo", if_empty=True, with_accounts=True, stdout=out)
    after = {
        u.username: (u.pk, u.password) for u in User.objects.filter(username__startswith="demo_")
    }
    assert after == before and len(after) == len(ACCOUNTS)
    assert "已创建或更新" not in out.getvalue()
    User.objects.filter(username="demo_staff").update(scope_code="620102016002")
    User.objects.get(username="demo_admin").user_permissions.clear()
    call_command("seed_demo", if_empty=True, with_accounts=True, stdout=io.StringIO())
    assert User.objects.get(username="demo_staff").scope_code == "620102016001"
    assert User.objects.get(username="demo_admin").can_view_personal_data()


def test_bad_options_are_refused_in_chinese(divisions):
    with pytest.raises(CommandError, match="--scale"):
        call_command("seed_demo", scale=0, verbosity=0)
    with pytest.raises(CommandError, match="--years"):
        call_command("seed_demo", years="2015-2010", verbosity=0)
    with pytest.raises(CommandError, match="--years"):
        call_command("seed_demo", years="2010", verbosity=0)


def test_the_load_does_not_query_per_community(divisions):
    """Rows go out in batches: the ORM queries are the same for 6 communities as for a county."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(prefix: str) -> tuple[int, int]:
        builder = DemoBuilder(DemoOptions(seed=3, scale=0.001))
        places = [p for p in builder.places() if p.code.startswith(prefix)]
        with CaptureQueriesContext(connection) as captured:
            builder.run(places)
        wipe()
        return len(places), len(captured)

    few, few_queries = queries_for(STREET)
    many, many_queries = queries_for("620102")
    assert many > 10 * few
    assert many_queries == few_queries


def test_volunteer_indexes_are_rebuilt_after_the_load(db):
    from django.db import connection, transaction

    from demo.writer import indexes_deferred

    def indexes() -> dict[str, tuple]:
        with connection.cursor() as cursor:
            found = connection.introspection.get_constraints(cursor, Volunteer._meta.db_table)
        return {
            name: tuple(c["columns"])
            for name, c in found.items()
            if c["index"] and not c["unique"] and not c["primary_key"]
        }

    before = indexes()
    assert any(cols == ("community_code", "registered_on") for cols in before.values())
    with transaction.atomic(), indexes_deferred(Volunteer):
        assert indexes() == {}
    assert indexes() == before


def test_every_demo_row_starts_its_history(divisions):
    call_command("seed_demo", scale=0.01, verbosity=0)
    for model in (Facility, Volunteer, CommunityStat, Worker):
        assert model.history.count() == model.objects.count() > 0
        assert set(model.history.values_list("history_type", "history_change_reason")) == {
            ("+", "初始数据（演示数据）")
        }


def test_demo_rows_satisfy_the_entry_rules(divisions):
    """The demo's people and places pass the models' rules: gender agrees with the ID number's
    sex digit, no date after today or before 1949-10-01, a specialized facility has its category."""
    from django.core.exceptions import ValidationError

    from core.validators import id_number_sex

    seed_street(7)
    pairs = list(Volunteer.objects.values_list("gender", "id_number"))
    assert pairs and all(gender == id_number_sex(number) for gender, number in pairs)
    assert {gender for gender, _ in pairs} == {"male", "female"}
    refused = []
    for model in (Volunteer, VolunteerOrganization, Facility, Worker, SocialOrganization):
        for row in model.objects.all():
            try:
                row.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as error:
                refused.append((model.__name__, row.pk, error.message_dict))
    for community in Community.objects.under(STREET):
        try:
            community.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            refused.append(("Community", community.pk, error.message_dict))
    assert refused == []
