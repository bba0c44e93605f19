"""The teams' rules: 两委 complete, the training plan met, projects entrusted within the area."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from teams.measures import project_summary, team_facts, teams_summary, training_summary
from teams.models import Committee, EntrustedProject, TrainingPlan
from teams.rules import is_complete, missing
from tests.factories import make_hierarchy
from volunteers.models import VolunteerOrganization

from .world import committees, full_team, train, worker

pytestmark = pytest.mark.django_db
D = datetime.date


def facts_of(community, year=2015):
    return next(f for f in team_facts(community.street_id, year) if f.code == community.code)


# -- 两委 complete --------------------------------------------------------------------------


def test_a_community_with_every_post_and_committee_is_complete():
    (community,) = make_hierarchy()
    full_team(community)
    committees(community)
    assert missing(facts_of(community)) == []
    assert is_complete(facts_of(community))


def test_a_community_without_a_director_is_incomplete():
    (community,) = make_hierarchy()
    full_team(community, director=False)
    committees(community)
    facts = facts_of(community)
    assert facts.committee_members == 5  # the five are there, but none is 居委会主任
    assert missing(facts) == ["director"]
    assert not is_complete(facts)


def test_a_director_who_left_before_the_year_end_does_not_count():
    (community,) = make_hierarchy()
    people = full_team(community)
    committees(community)
    director = next(p for p in people if p.role == "director")
    director.left_on = D(2015, 6, 30)
    director.save()
    assert missing(facts_of(community, 2015)) == ["director", "members"]
    assert missing(facts_of(community, 2014)) == []


def test_a_missing_or_dissolved_sub_committee_is_listed():
    (community,) = make_hierarchy()
    full_team(community)
    committees(community, kinds=("mediation", "security"))
    Committee.objects.create(
        community=community,
        kind="public_health",
        established_on=D(2012, 1, 1),
        dissolved_on=D(2014, 12, 31),
    )
    assert missing(facts_of(community, 2015)) == ["public_health"]
    assert missing(facts_of(community, 2014)) == ["public_health"]
    assert missing(facts_of(community, 2013)) == []


def test_group_leaders_must_match_the_residents_groups():
    (community,) = make_hierarchy()
    full_team(community)
    committees(community)
    community.resident_groups = 2
    community.save()
    worker(community, "组长一", "group_leader")
    assert missing(facts_of(community)) == ["group_leaders"]
    worker(community, "组长二", "group_leader")
    assert missing(facts_of(community)) == []


def test_a_chair_must_belong_to_the_community():
    first, second = make_hierarchy(communities=2)
    stranger = worker(second, "外社区", "member")
    committee = Committee(
        community=first, kind="mediation", chair=stranger, established_on=D(2012, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        committee.full_clean()
    assert "chair" in error.value.message_dict


def test_teams_roll_up_against_hand_counts_in_two_queries(django_assert_num_queries):
    a, b, c = make_hierarchy(communities=3)
    other_street = make_hierarchy(street="620102017")[0]
    for community in (a, b, other_street):
        full_team(community, prefix=community.code)
        committees(community)
    full_team(c, director=False, prefix=c.code)  # no director, no committees
    with django_assert_num_queries(2):  # the child units, the facts
        street = teams_summary("620102016", 2015)
    assert (street.scope.communities, street.scope.complete) == (3, 2)
    assert street.scope.complete_rate == Decimal("0.6667")
    assert street.missing_posts == [
        {
            "community_code": c.code,
            "name": c.name,
            "missing": ["director", "mediation", "security", "public_health"],
        }
    ]
    with django_assert_num_queries(2):
        county = teams_summary("620102", 2015)
    assert (county.scope.communities, county.scope.complete) == (4, 3)
    assert [(r.code, r.communities, r.complete) for r in county.children] == [
        ("620102016", 3, 2),
        ("620102017", 1, 1),
    ]


# -- the training plan ------------------------------------------------------------------------


def plan(region="620102", year=2015, share="0.3000", hours="3"):
    return TrainingPlan.objects.create(
        region_code=region,
        year=year,
        courses=2,
        hours_per_worker=Decimal(hours),
        share_to_train=Decimal(share),
    )


def ten_workers(community):
    return [worker(community, f"工作者{i}", "full_time") for i in range(10)]


def test_a_training_plan_is_met_at_exactly_its_share():
    (community,) = make_hierarchy()
    people = ten_workers(community)
    plan(share="0.3000", hours="4.8")
    for person in people[:3]:
        train(person, 2015, hours="16")  # 48 hours over 10 workers: exactly 4.8 each
    summary = training_summary("620102016", 2015)
    assert summary.plan.region_code == "620102"  # the county's plan applies to its street
    assert (summary.scope.workers, summary.scope.trained) == (10, 3)
    assert summary.scope.trained_share == Decimal("0.3000")
    assert summary.scope.hours_per_worker == Decimal("4.8")
    assert summary.met is True


def test_a_training_plan_one_worker_short_is_not_met():
    (community,) = make_hierarchy()
    people = ten_workers(community)
    plan(share="0.3000", hours="0")
    for person in people[:2]:
        train(person, 2015)
    train(people[2], 2014)  # last year's training does not count for 2015
    summary = training_summary("620102016", 2015)
    assert summary.scope.trained == 2
    assert summary.met is False


def test_the_nearest_plan_applies_and_group_leaders_are_not_counted():
    (community,) = make_hierarchy()
    plan(region="62", share="0.5000")
    plan(region="6201", share="0.9000")
    worker(community, "组长", "group_leader")
    counted = worker(community, "专职", "full_time")
    train(counted, 2015)
    summary = training_summary("620102016", 2015)
    assert summary.plan.region_code == "6201"
    assert summary.scope.workers == 1
    assert summary.met is True


def test_training_roll_up_in_four_queries(django_assert_num_queries):
    a, b = make_hierarchy(communities=2)
    for i, community in enumerate((a, b)):
        people = [worker(community, f"人{i}{j}", "member") for j in range(4)]
        for person in people[: i + 1]:
            train(person, 2015, hours="10")
    with django_assert_num_queries(4):  # workers, hours, child units, plan
        summary = training_summary("620102016", 2015)
    assert (summary.scope.workers, summary.scope.trained) == (8, 3)
    assert summary.scope.hours == Decimal("30")
    assert [(r.code, r.workers, r.trained, r.hours) for r in summary.children] == [
        (a.code, 4, 1, Decimal("10")),
        (b.code, 4, 2, Decimal("20")),
    ]
    assert summary.plan is None and summary.met is None


# -- entrusted projects -------------------------------------------------------------------------


def org(community, name="志愿服务队"):
    return VolunteerOrganization.objects.create(
        community=community, name=name, registered_on=D(2012, 1, 1)
    )


def project(**fields):
    values = {
        "name": "助老服务项目",
        "service_line": "social_security",
        "starts_on": D(2015, 3, 1),
        "funding_wan_yuan": Decimal("2.50"),
        "target_beneficiaries": 100,
    }
    values.update(fields)
    return EntrustedProject(**values)


def test_a_project_organisation_outside_its_area_is_refused():
    home, neighbour = make_hierarchy(communities=2)
    away = make_hierarchy(street="620102017")[0]
    with pytest.raises(ValidationError) as error:
        project(community=home, organization=org(neighbour)).full_clean()
    assert error.value.message_dict["organization"] == [
        "承接组织“志愿服务队”不是本社区的志愿服务组织。"
    ]
    with pytest.raises(ValidationError) as error:
        project(street=home.street, organization=org(away, "外街道服务队")).full_clean()
    assert "organization" in error.value.message_dict
    # Inside the area: the community's own organisation, and any of the street's for a street project.
    project(community=home, organization=org(home, "本社区服务队")).full_clean()
    project(
        street=home.street, organization=VolunteerOrganization.objects.get(community=neighbour)
    ).full_clean()


def test_a_project_belongs_to_one_community_or_one_street():
    (home,) = make_hierarchy()
    with pytest.raises(ValidationError) as error:
        project(community=home, street=home.street, organization=org(home)).full_clean()
    assert "community" in error.value.message_dict


def test_share_of_organisations_running_a_project_in_two_queries(django_assert_num_queries):
    home, neighbour = make_hierarchy(communities=2)
    running, idle, finished = org(home, "甲"), org(neighbour, "乙"), org(neighbour, "丙")
    org(home, "已解散").__class__.objects.filter(name="已解散").update(dissolved_on=D(2014, 1, 1))
    project(community=home, organization=running).save()
    project(community=home, organization=running, name="第二个").save()
    project(
        community=neighbour, organization=finished, starts_on=D(2013, 1, 1), ends_on=D(2014, 12, 31)
    ).save()
    with django_assert_num_queries(2):
        summary = project_summary("620102016", 2015)
    assert (summary.organizations, summary.running, summary.projects) == (3, 1, 2)
    assert summary.running_share == Decimal("0.3333")
    assert summary.funding_wan_yuan == Decimal("5.00")
    assert idle.entrusted_projects.count() == 0
