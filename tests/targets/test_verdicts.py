"""The stored verdicts: judged with the figures in the write's transaction, summed on a read.

Every answer the engine gives from them must equal judging every community on the read with
the registry's functions (``engine._compute_judged``); where they do not cover the question
(thresholds changed behind the write path, a threshold finer than millionths) the engine
judges on the read, and still gives the right answer.
"""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.models import CommunityStat
from communities.scopes import resolve_scope
from core.figures import figures_refresh
from core.services import record_save
from targets import engine
from targets.models import CommunityVerdicts, Plan
from targets.plans import current_plan, plan_key
from targets.services import plan_save
from tests.factories import make_hierarchy, make_stat

from .builders import day, facility, social_orgs, volunteers, worker

pytestmark = pytest.mark.django_db

YEARS = list(range(2010, 2016))
SCOPES = ["62", "6201", "620102", "620102016", "620102016001", "620201001"]


@pytest.fixture
def world():
    """Two prefectures, three streets, six communities with different figures."""
    communities = (
        make_hierarchy(communities=3)
        + make_hierarchy(street="620102017", communities=1, kind="town")
        + make_hierarchy(prefecture="6202", county="620201", street="620201001", communities=2)
    )
    facility(kind="centre", street=communities[0].street, area="820")
    for i, community in enumerate(communities):
        if i != 2:
            make_stat(community, households=400 + 90 * i, residents=1200 + 310 * i)
        facility(community=community, area=str(240 + 30 * i), opened_on=day(2011 + i % 3, 3, 1))
        facility(kind="specialized", community=community, area="75.5")
        volunteers(community, 40 + 37 * i)
        volunteers(community, 3, left_on=day(2014))
        social_orgs(community, i)
        worker(community, education="bachelor" if i % 2 else "college", qualification="assistant")
        worker(community, education="high_school")
    figures_refresh(None)
    return communities


def answers(compute):
    plan = current_plan()
    result = {}
    for code in SCOPES:
        scope = resolve_scope(code)
        result[code] = compute(scope, [2015], plan, engine._thresholds(plan), with_children=True)
        result[code, "alone"] = compute(
            scope, [2014], plan, engine._thresholds(plan), with_children=False
        )
    scope = resolve_scope("62")
    result["years"] = compute(scope, YEARS, plan, engine._thresholds(plan), with_children=False)
    return result


def judged():
    return answers(engine._compute_judged)


def test_the_stored_roll_up_equals_judging_every_community(world):
    stored = answers(engine._compute_stored)
    assert all(value is not None for value in stored.values())
    assert stored == judged()
    province = stored["62"][2015]
    assert province.community_count == 6
    assert province.indicator("social_organizations").gap == 5 * 6 - sum(range(6))


def test_a_write_judges_its_own_community_again_and_no_other(world):
    a, b = world[0], world[1]
    other = CommunityVerdicts.objects.filter(community=b, year=2015).values().get()
    stat = CommunityStat.objects.get(community=a, year=2015)
    stat.party_members_volunteering = stat.party_members  # 100 %
    record_save(instance=stat, user=None)
    mine = CommunityVerdicts.objects.get(community=a, year=2015)
    assert mine.party_member_participation_ok == 1 and mine.party_member_participation_gap == 0
    assert CommunityVerdicts.objects.filter(pk=other["id"]).values().get() == other
    assert answers(engine._compute_stored) == judged()


def test_saving_the_current_plans_thresholds_judges_every_community_again(world):
    plan = current_plan()
    before = engine.compute_region(scope_code="62", year=2015)
    plan.thresholds = {**plan.thresholds, "community_station": "250"}
    plan_save(plan=plan, user=None)
    key = plan_key(current_plan())
    assert set(CommunityVerdicts.objects.values_list("plan_key", flat=True)) == {key}
    after = engine.compute_region(scope_code="62", year=2015)
    assert after.indicator("community_station").compliant > (
        before.indicator("community_station").compliant
    )
    assert answers(engine._compute_stored) == judged()


def read_tables(func) -> set[str]:
    with CaptureQueriesContext(connection) as ctx:
        func()
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    return {t for t in connection.introspection.table_names() if f'"{t}"' in sql}


def test_thresholds_changed_behind_the_write_path_are_judged_on_the_read(world):
    Plan.objects.filter(is_current=True).update(
        thresholds={**current_plan().thresholds, "social_organizations": "2"}
    )
    assert engine._compute_stored(
        resolve_scope("62"), [2015], current_plan(), {}, with_children=True
    ) is None
    region = engine.compute_region(scope_code="62", year=2015)
    assert region.indicator("social_organizations").compliant == 4  # 2, 3, 4 and 5 organisations
    assert "targets_communityfigures" in read_tables(
        lambda: engine.compute_region(scope_code="62", year=2015)
    )
    figures_refresh({"verdicts"})  # what saving the plan through the write path does
    assert "targets_communityfigures" not in read_tables(
        lambda: engine.compute_region(scope_code="62", year=2015)
    )
    assert engine.compute_region(scope_code="62", year=2015) == region


def test_a_threshold_finer_than_millionths_is_judged_on_the_read(world):
    plan = current_plan()
    plan.thresholds = {**plan.thresholds, "area_per_100_households": "200.1234567"}
    plan_save(plan=plan, user=None)
    assert CommunityVerdicts.objects.filter(plan_key="").exists()
    region = engine.compute_region(scope_code="62", year=2015)
    assert region.indicator("area_per_100_households").threshold == Decimal("200.1234567")
    assert answers(engine._compute_judged)["62"][2015] == region


def test_a_community_without_verdicts_is_judged_on_the_read(world):
    CommunityVerdicts.objects.filter(community=world[0]).delete()
    assert engine._compute_stored(
        resolve_scope("62"), [2015], current_plan(), {}, with_children=True
    ) is None
    assert engine.compute_region(scope_code="62", year=2015) == judged()["62"][2015]


def test_check_figures_reports_a_changed_verdict_and_fixes_it(world, capsys):
    call_command("check_figures")
    CommunityVerdicts.objects.filter(community=world[0], year=2015).update(
        social_organizations_gap=7
    )
    with pytest.raises(CommandError) as raised:
        call_command("check_figures")
    assert raised.value.returncode == 1
    out = capsys.readouterr().out
    assert (
        f"targets_communityverdicts {world[0].code} 2015 social_organizations_gap："
        f"应为 5000000，实为 7"
    ) in out
    with pytest.raises(CommandError):
        call_command("check_figures", "--fix")
    call_command("check_figures")
    assert "一致" in capsys.readouterr().out
