"""The compliance report's query count is flat in the data; plan names cannot break it."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from rest_framework.test import APIClient

from targets.models import Plan
from targets.plans import current_plan
from targets.report import build_compliance_workbook
from tests.factories import make_user

from .test_query_count import populate

pytestmark = pytest.mark.django_db

PLAN_URL = "/api/v1/plans/12th-five-year/"


def report_bytes(scope: str = "62") -> bytes:
    buf = io.BytesIO()
    build_compliance_workbook(scope_code=scope, year=2015, plan=current_plan(), out=buf)
    return buf.getvalue()


def report_queries(scope: str) -> int:
    plan = current_plan()
    with CaptureQueriesContext(connection) as ctx:
        build_compliance_workbook(scope_code=scope, year=2015, plan=plan, out=io.BytesIO())
    return len(ctx.captured_queries)


# The engine's region (6 for a province), its community rows (3) and street rows (3), and
# the report's own names of the divisions, streets and communities it lists, and the
# length of the longest community name (the 社区 sheet's column width). Then the sheets
# other apps register: one query for the funding app's 资金 sheet (whether the scope has any
# budget line), 服务标准 (5: catalogue, facilities, checks, child units, stations) and
# 社区队伍 (8: child units and team facts, training 4, projects 2), 填报情况 (4: period,
# child units, two grouped counts) and 民情流水线 (7: the casework measures without the units).
SECTION_QUERIES = 1 + 5 + 8 + 4 + 7
REPORT_PINNED = {
    "62": 15 + SECTION_QUERIES,
    "6201": 15 + SECTION_QUERIES,
    "620102": 14 + SECTION_QUERIES,
}


def test_report_query_count_is_pinned_and_flat_with_ten_times_the_data():
    populate(range(1, 2))
    small = {scope: report_queries(scope) for scope in REPORT_PINNED}
    assert small == REPORT_PINNED
    populate(range(2, 11), scale=10)
    assert {scope: report_queries(scope) for scope in REPORT_PINNED} == small
    rows = load_workbook(io.BytesIO(report_bytes()), read_only=True)
    assert len(rows.sheetnames) >= 2


@pytest.fixture
def admin_client():
    client = APIClient()
    client.force_authenticate(make_user("plan_admin", role="admin", scope_code="62"))
    return client


@pytest.mark.parametrize("field", ["name", "title", "document_number"])
def test_control_characters_in_a_plan_are_refused_and_change_nothing(admin_client, field):
    before = Plan.objects.get(code="12th-five-year")
    response = admin_client.patch(PLAN_URL, {field: "十二\u0001五"}, format="json")
    assert response.status_code == 400
    assert "控制字符" in str(response.json())
    after = Plan.objects.get(code="12th-five-year")
    assert getattr(after, field) == getattr(before, field)


def test_control_characters_in_a_plan_baseline_are_refused(admin_client):
    response = admin_client.patch(
        PLAN_URL, {"baseline": {"volunteer_organizations": "12\u000b3"}}, format="json"
    )
    assert response.status_code == 400


def test_tabs_and_line_breaks_in_a_plan_title_are_accepted(admin_client):
    response = admin_client.patch(PLAN_URL, {"title": "甘肃省\n“十二五”规划"}, format="json")
    assert response.status_code == 200


def test_report_drops_control_characters_already_stored_in_a_plan_name():
    populate(range(1, 2))
    Plan.objects.filter(code="12th-five-year").update(name="十二\u0001五", title="规划\u001f标题")
    book = load_workbook(io.BytesIO(report_bytes()))
    texts = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str)
    ]
    assert not any("\u0001" in t or "\u001f" in t for t in texts)
    assert any("十二五" in t for t in texts)


# Answers follow every write: nothing is cached ----------------------------------------------


@pytest.fixture
def cached():
    """A populated province whose answers are read twice around writes (no cache between)."""
    populate(range(1, 2))


def registered(result) -> int:
    return next(b.count for b in result.baseline if b.code == "registered_volunteer_count")


def region(**kwargs):
    from targets.engine import compute_region

    return compute_region(scope_code=kwargs.pop("scope", "62"), year=2015, **kwargs)


def first_community():
    from communities.models import Community

    return Community.objects.order_by("code").first()


def test_a_repeated_call_reads_the_figures_again(cached, django_assert_num_queries):
    """No cache: the second answer costs the figures' queries again, and equals the first."""
    plan = current_plan()
    first = region(plan=plan)
    with django_assert_num_queries(6):
        again = region(plan=plan)
    assert again == first


def test_every_kind_of_write_with_its_figures_upkeep_changes_the_answer(cached):
    """Writes around the one write path (a bulk insert, an update, a delete, raw SQL as
    bench/national.py writes), with the figures upkeep each bulk path does: the answer
    follows them."""
    from django.db import connection

    from core.figures import figures_refresh
    from volunteers.models import Volunteer

    from .builders import volunteers

    community = first_community()
    before = registered(region())
    made = volunteers(community, 3)  # bulk_create, as imports do (the builder keeps the figures)
    assert registered(region()) == before + 3
    Volunteer.objects.filter(pk=made[0].pk).update(left_on=datetime.date(2015, 6, 1))
    figures_refresh({community.code})
    assert registered(region()) == before + 2
    made[1].delete()
    figures_refresh({community.code})
    assert registered(region()) == before + 1
    with connection.cursor() as cursor:  # raw SQL, as seed_demo's COPY and bench/national.py do
        cursor.execute("DELETE FROM volunteers_volunteer WHERE id = %s", [made[2].pk])
    figures_refresh({community.code})
    assert registered(region()) == before


def test_statistics_and_facilities_written_through_the_services_change_the_answer(cached):
    from communities.models import CommunityStat
    from core.services import record_save

    stat = CommunityStat.objects.get(community=first_community(), year=2015)
    before = region()
    stat.residents_volunteering = 0
    record_save(
        instance=stat,
        user=make_user("writer", role="admin", scope_code="62"),
        expected_version=stat.version,
    )
    after = region()
    rates = lambda r: {i.code: i.compliant for i in r.indicators}  # noqa: E731
    assert rates(after)["resident_participation"] == rates(before)["resident_participation"] - 1


def test_a_changed_plan_is_never_answered_from_another_plans_cache(cached):
    plan = current_plan()
    lenient = region(plan=plan)
    plan.thresholds = {**(plan.thresholds or {}), "community_station": "1"}
    strict_station = next(i for i in region(plan=plan).indicators if i.code == "community_station")
    old_station = next(i for i in lenient.indicators if i.code == "community_station")
    assert strict_station.compliant > old_station.compliant


def test_a_rolled_back_write_leaves_no_stale_answer(cached):
    from django.db import transaction

    from .builders import volunteers

    before = registered(region())
    with pytest.raises(RuntimeError), transaction.atomic():
        volunteers(first_community(), 4)
        assert registered(region()) == before + 4
        raise RuntimeError
    assert registered(region()) == before


def test_progress_years_follow_writes(cached, django_assert_num_queries):
    from targets.engine import compute_years

    from .builders import volunteers

    plan = current_plan()
    years = list(range(2010, 2016))
    first = compute_years(scope_code="62", years=years, plan=plan)
    with django_assert_num_queries(5):
        assert compute_years(scope_code="62", years=years, plan=plan) == first
    volunteers(first_community(), 2, registered_on=datetime.date(2011, 3, 1))
    again = compute_years(scope_code="62", years=years, plan=plan)
    assert registered(again[2010]) == registered(first[2010])
    assert registered(again[2011]) == registered(first[2011]) + 2


def test_unknown_scopes_are_refused_even_with_the_cache_on(cached):
    from communities.scopes import UnknownScope

    with pytest.raises(UnknownScope):
        region(scope="6299")
    with pytest.raises(UnknownScope):
        region(scope="6299")


# A nation: gathered one child division at a time ---------------------------------------------


def test_a_large_scope_gathered_child_by_child_gives_the_same_answer(monkeypatch):
    from targets import engine
    from targets.engine import compute_region, compute_years

    populate(range(1, 4))
    plan = current_plan()
    years = list(range(2010, 2016))

    def answers():
        return {
            "province": compute_region(scope_code="62", year=2015, plan=plan),
            "prefecture": compute_region(scope_code="6201", year=2015, plan=plan),
            "alone": compute_region(scope_code="62", year=2015, plan=plan, with_children=False),
            "years": compute_years(scope_code="62", years=years, plan=plan),
        }

    stored = answers()  # rolled up from the stored verdicts
    monkeypatch.setattr(engine, "_compute_stored", lambda *args, **kwargs: None)
    with CaptureQueriesContext(connection) as whole_queries:
        whole = answers()  # every community judged here
    assert whole == stored
    monkeypatch.setattr(engine, "PART_COMMUNITIES", 2)
    with CaptureQueriesContext(connection) as part_queries:
        assert answers() == whole
    # The parts cost the engine's handful of queries once per child division.
    assert len(part_queries.captured_queries) > len(whole_queries.captured_queries)


def test_the_engine_reads_the_figures_for_the_plans_years():
    """For the plan's years the engine reads the stored verdicts and the streets' figures,
    never a record table; a year the figures do not hold is counted from the record tables."""
    from targets.engine import compute_region

    populate(range(1, 2))
    figures = {"targets_communityverdicts", "targets_streetfigures"}
    records = {"volunteers_volunteer", "facilities_facility", "workforce_worker"}
    for year, reads_figures in ((2015, True), (2016, False)):
        with CaptureQueriesContext(connection) as ctx:
            compute_region(scope_code="62", year=year, plan=current_plan())
        sql = " ".join(q["sql"] for q in ctx.captured_queries)
        read = {t for t in connection.introspection.table_names() if f'"{t}"' in sql}
        if reads_figures:
            assert figures <= read and not read & records
        else:
            assert records <= read and not read & figures
