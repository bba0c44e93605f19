"""Plans as data (the 十二五 plan from its migration) and scopes resolved from codes."""

import pytest

from communities.scopes import Scope, UnknownScope, child_level, resolve_scope, scope_path
from targets.models import Plan
from targets.plans import current_plan, get_plan
from targets.registry import BASELINES, INDICATORS, threshold_of
from tests.factories import make_hierarchy

pytestmark = pytest.mark.django_db


def test_migration_creates_the_twelfth_five_year_plan():
    plan = get_plan("12th-five-year")
    assert (plan.name, plan.start_year, plan.target_year, plan.is_current) == (
        "十二五",
        2011,
        2015,
        True,
    )
    assert plan.document_number == "甘政办发〔2012〕192号"
    assert set(plan.thresholds) == {i.code for i in INDICATORS}
    assert plan.thresholds["street_centre"] == "800"
    assert plan.thresholds["registered_volunteers"] == "0.10"
    assert plan.baseline_year == 2010
    assert plan.baseline == {
        "streets": "125",
        "communities": "1186",
        "streets_with_centre": "60%",
        "streets_without_centre": "51",
        "communities_with_station": "89.5%",
        "communities_without_station": "124",
        "communities_with_small_station": "699",
        "volunteer_organizations": "7000+",
        "registered_volunteer_count": "138400",
    }


def test_current_plan_is_the_marked_one_else_the_latest():
    assert current_plan().code == "12th-five-year"
    Plan.objects.create(code="14th", name="十四五", start_year=2021, target_year=2025)
    assert current_plan().code == "12th-five-year"
    Plan.objects.update(is_current=False)
    assert current_plan().code == "14th"


def test_get_plan_raises_for_an_unknown_code():
    with pytest.raises(Plan.DoesNotExist):
        get_plan("nope")


def test_threshold_falls_back_to_the_registry_default():
    plan = Plan(
        code="x", name="x", start_year=2021, target_year=2025, thresholds={"street_centre": "1000"}
    )
    assert threshold_of(plan, "street_centre") == 1000
    assert threshold_of(plan, "community_station") == 300


def test_registry_lists_eleven_indicators_in_the_order_of_indicators_md():
    assert [i.code for i in INDICATORS] == [
        "street_centre",
        "community_station",
        "area_per_100_households",
        "party_member_participation",
        "resident_participation",
        "registered_volunteers",
        "social_organizations",
        "certified_social_worker",
        "bachelor_degree_worker",
        "college_educated_share",
        "digital_3d_community",
    ]
    assert [i.level for i in INDICATORS].count("street") == 1
    assert all(i.name and i.short_name and i.plan_words and i.gap_unit for i in INDICATORS)
    assert [b.code for b in BASELINES][:1] == ["streets_with_centre"]


def test_resolve_scope_at_every_level():
    (c,) = make_hierarchy()
    assert resolve_scope("62") == Scope("62", "甘肃省", "province")
    assert resolve_scope("6201").level == "prefecture"
    assert resolve_scope("620102").level == "county"
    assert resolve_scope("620102016") == Scope("620102016", "街道620102016", "street")
    assert resolve_scope(c.code).level == "community"
    for bad in ("", "6", "6299", "62010", "abcd", "620102016999", None):
        with pytest.raises(UnknownScope):
            resolve_scope(bad)


def test_a_county_code_is_not_taken_for_a_prefecture():
    make_hierarchy()
    with pytest.raises(UnknownScope):
        resolve_scope("6202")


def test_scope_path_runs_from_the_province_down():
    (c,) = make_hierarchy()
    assert [s.code for s in scope_path(c.code)] == ["62", "6201", "620102", "620102016", c.code]
    assert [s.level for s in scope_path("620102")] == ["province", "prefecture", "county"]
    assert scope_path("62") == [Scope("62", "甘肃省", "province")]


def test_child_level():
    assert child_level("province") == "prefecture"
    assert child_level("street") == "community"
    assert child_level("community") is None
