"""Each indicator at its boundaries: exactly at the threshold, one unit below, dates at 31 December."""

import pytest

from targets.engine import community_rows, compute_region, street_rows
from tests.factories import make_hierarchy, make_stat

from .builders import day, facility, social_orgs, volunteers, worker

pytestmark = pytest.mark.django_db

YEAR = 2015


def verdict(community, code, year=YEAR):
    (row,) = community_rows(scope_code=community.code, year=year)
    return row.indicators[code]


@pytest.fixture
def community():
    (c,) = make_hierarchy(communities=1)
    return c


@pytest.fixture
def street(community):
    return community.street


# 街道社区服务中心 不低于800平方米 -------------------------------------------------------------


def centre_verdict(street, year=YEAR):
    (row,) = street_rows(scope_code=street.code, year=year)
    return row.indicators["street_centre"]


def test_centre_of_exactly_800_m2_complies(street):
    facility(kind="centre", street=street, area="800.00")
    v = centre_verdict(street)
    assert v.compliant and v.value == 800 and v.gap == 0


def test_centre_one_hundredth_below_800_m2_does_not(street):
    facility(kind="centre", street=street, area="799.99")
    v = centre_verdict(street)
    assert not v.compliant
    assert str(v.gap) == "0.01"


def test_centre_value_is_the_largest_in_service_centre_not_the_sum(street):
    facility(kind="centre", street=street, area="500")
    facility(kind="centre", street=street, area="400")
    v = centre_verdict(street)
    assert v.value == 500 and not v.compliant


def test_street_without_centre_has_value_zero_and_full_gap(street):
    v = centre_verdict(street)
    assert v.value == 0 and not v.compliant and v.gap == 800


def test_centre_opened_on_31_december_counts_that_year(street):
    facility(kind="centre", street=street, area="900", opened_on=day(2015, 12, 31))
    assert centre_verdict(street, 2015).compliant
    assert not centre_verdict(street, 2014).compliant


def test_centre_opened_on_1_january_next_year_does_not_count(street):
    facility(kind="centre", street=street, area="900", opened_on=day(2016, 1, 1))
    assert not centre_verdict(street, 2015).compliant
    assert centre_verdict(street, 2016).compliant


def test_centre_closed_on_31_december_is_out_of_service_that_year(street):
    facility(
        kind="centre", street=street, area="900", opened_on=day(2011), closed_on=day(2015, 12, 31)
    )
    assert centre_verdict(street, 2014).compliant
    assert not centre_verdict(street, 2015).compliant


def test_centre_closed_on_1_january_next_year_still_counts(street):
    facility(
        kind="centre", street=street, area="900", opened_on=day(2011), closed_on=day(2016, 1, 1)
    )
    assert centre_verdict(street, 2015).compliant


def test_planned_centre_without_opening_date_does_not_count(street):
    facility(kind="centre", street=street, area="900", planned=True)
    assert not centre_verdict(street, 2015).compliant


def test_town_is_not_held_to_the_centre_target():
    (c,) = make_hierarchy(street="620102101", kind="town")
    facility(kind="centre", street=c.street, area="900")
    (row,) = street_rows(scope_code=c.street.code, year=YEAR)
    v = row.indicators["street_centre"]
    assert v.applicable is False and v.compliant is False and v.gap is None
    result = compute_region(scope_code="620102", year=YEAR)
    assert result.indicator("street_centre").applicable == 0


# 社区服务站 不少于300平方米 --------------------------------------------------------------------


def test_station_of_exactly_300_m2_complies(community):
    facility(community=community, area="300.00")
    assert verdict(community, "community_station").compliant


def test_station_one_hundredth_below_300_m2_does_not(community):
    facility(community=community, area="299.99")
    v = verdict(community, "community_station")
    assert not v.compliant and str(v.gap) == "0.01"


def test_specialized_facility_is_not_a_station(community):
    facility(kind="specialized", community=community, area="1000")
    v = verdict(community, "community_station")
    assert v.value == 0 and not v.compliant


def test_station_closed_in_the_year_does_not_count(community):
    facility(community=community, area="400", closed_on=day(2015, 6, 30))
    assert not verdict(community, "community_station").compliant
    assert verdict(community, "community_station", 2014).compliant


def test_station_opened_next_year_does_not_count(community):
    facility(community=community, area="400", opened_on=day(2016, 1, 1))
    assert not verdict(community, "community_station").compliant


def test_station_under_construction_does_not_count(community):
    facility(community=community, area="400", planned=True)
    assert not verdict(community, "community_station").compliant


def test_station_target_does_not_need_statistics(community):
    facility(community=community, area="300")
    assert verdict(community, "community_station").compliant


# 每百户居民拥有的社区服务设施面积不低于20平方米 -------------------------------------------------


def test_area_of_exactly_20_m2_per_100_households_complies(community):
    make_stat(community, households=1000, residents=2800)
    facility(community=community, area="150")
    facility(kind="specialized", community=community, area="50")  # 200 ㎡ × 100 ÷ 1000 = 20
    v = verdict(community, "area_per_100_households")
    assert v.value == 20 and v.compliant and v.gap == 0


def test_area_one_hundredth_m2_short_does_not(community):
    make_stat(community, households=1000, residents=2800)
    facility(community=community, area="199.99")
    v = verdict(community, "area_per_100_households")
    assert not v.compliant and str(v.gap) == "0.01"


def test_area_per_households_counts_stations_and_specialized_in_service_only(community):
    make_stat(community, households=2000, residents=5600)
    facility(community=community, area="250")
    facility(kind="specialized", community=community, area="150")
    facility(kind="specialized", community=community, area="500", planned=True)
    facility(kind="specialized", community=community, area="500", closed_on=day(2015, 12, 31))
    facility(
        kind="centre", street=community.street, area="5000"
    )  # the street's, not the community's
    v = verdict(community, "area_per_100_households")
    assert v.value == 20  # (250 + 150) × 100 ÷ 2000


def test_area_per_households_is_null_without_households(community):
    make_stat(
        community,
        households=0,
        residents=0,
        party_members=0,
        party_members_volunteering=0,
        residents_volunteering=0,
    )
    facility(community=community, area="300")
    v = verdict(community, "area_per_100_households")
    assert v.value is None and not v.compliant


# 80%以上的社区党员参与社区志愿活动 ---------------------------------------------------------------


def test_party_participation_of_exactly_80_percent_complies(community):
    make_stat(community, party_members=100, party_members_volunteering=80)
    v = verdict(community, "party_member_participation")
    assert v.compliant and str(v.value) == "0.8"


def test_party_participation_one_member_below_80_percent_does_not(community):
    make_stat(community, party_members=100, party_members_volunteering=79)
    v = verdict(community, "party_member_participation")
    assert not v.compliant and v.gap == 1


def test_party_participation_is_exact_for_awkward_denominators(community):
    # 4 of 5 is exactly 80 %; 0.8 is not exact in binary floating point
    make_stat(community, party_members=5, party_members_volunteering=4)
    assert verdict(community, "party_member_participation").compliant


def test_party_participation_gap_rounds_people_up(community):
    # 80 % of 7 members is 5.6 people: 6 are needed, 4 volunteer, 2 are missing
    make_stat(community, party_members=7, party_members_volunteering=4)
    assert verdict(community, "party_member_participation").gap == 2


def test_no_party_members_is_null_and_not_compliant(community):
    make_stat(community, party_members=0, party_members_volunteering=0)
    v = verdict(community, "party_member_participation")
    assert v.value is None and not v.compliant


# 30%以上的社区居民参与社区志愿活动 ---------------------------------------------------------------


def test_resident_participation_of_exactly_30_percent_complies(community):
    make_stat(community, residents=1000, residents_volunteering=300)
    assert verdict(community, "resident_participation").compliant


def test_resident_participation_one_below_30_percent_does_not(community):
    make_stat(community, residents=1000, residents_volunteering=299)
    v = verdict(community, "resident_participation")
    assert not v.compliant and v.gap == 1


# 注册社区志愿者达到本地区居民总数10%以上 ----------------------------------------------------------


def test_volunteers_of_exactly_10_percent_comply(community):
    make_stat(
        community,
        residents=300,
        households=100,
        party_members=10,
        party_members_volunteering=8,
        residents_volunteering=90,
    )
    volunteers(community, 30)
    v = verdict(community, "registered_volunteers")
    assert v.compliant and str(v.value) == "0.1"


def test_volunteers_one_below_10_percent_do_not(community):
    make_stat(
        community,
        residents=300,
        households=100,
        party_members=10,
        party_members_volunteering=8,
        residents_volunteering=90,
    )
    volunteers(community, 29)
    v = verdict(community, "registered_volunteers")
    assert not v.compliant and v.gap == 1


def test_volunteers_gap_is_residents_over_ten_rounded_up(community):
    make_stat(
        community,
        residents=301,
        households=100,
        party_members=10,
        party_members_volunteering=8,
        residents_volunteering=90,
    )
    volunteers(community, 30)  # ⌈301 ÷ 10⌉ = 31
    v = verdict(community, "registered_volunteers")
    assert not v.compliant and v.gap == 1


def test_volunteer_registered_on_31_december_counts_that_year(community):
    make_stat(
        community,
        residents=10,
        households=5,
        party_members=1,
        party_members_volunteering=1,
        residents_volunteering=3,
    )
    volunteers(community, 1, registered_on=day(2015, 12, 31))
    assert verdict(community, "registered_volunteers").compliant


def test_volunteer_registered_on_1_january_next_year_does_not(community):
    make_stat(
        community,
        residents=10,
        households=5,
        party_members=1,
        party_members_volunteering=1,
        residents_volunteering=3,
    )
    volunteers(community, 1, registered_on=day(2016, 1, 1))
    assert not verdict(community, "registered_volunteers").compliant


def test_volunteer_who_left_by_31_december_does_not_count(community):
    make_stat(
        community,
        residents=10,
        households=5,
        party_members=1,
        party_members_volunteering=1,
        residents_volunteering=3,
    )
    volunteers(community, 1, registered_on=day(2012), left_on=day(2015, 12, 31))
    assert not verdict(community, "registered_volunteers").compliant
    assert verdict(community, "registered_volunteers", 2014).value is None  # no 2014 statistics


def test_volunteer_leaving_on_1_january_next_year_still_counts(community):
    make_stat(
        community,
        residents=10,
        households=5,
        party_members=1,
        party_members_volunteering=1,
        residents_volunteering=3,
    )
    volunteers(community, 1, registered_on=day(2012), left_on=day(2016, 1, 1))
    assert verdict(community, "registered_volunteers").compliant


# 每个社区拥有5个以上社区社会组织 ---------------------------------------------------------------


def test_five_social_organizations_comply(community):
    social_orgs(community, 5)
    assert verdict(community, "social_organizations").compliant


def test_four_social_organizations_do_not(community):
    social_orgs(community, 4)
    v = verdict(community, "social_organizations")
    assert not v.compliant and v.value == 4 and v.gap == 1


def test_dissolved_social_organization_does_not_count(community):
    social_orgs(community, 4)
    social_orgs(community, 1, dissolved_on=day(2015, 12, 31))
    assert not verdict(community, "social_organizations").compliant
    assert verdict(community, "social_organizations", 2014).compliant


def test_social_organization_dissolved_1_january_next_year_counts(community):
    social_orgs(community, 4)
    social_orgs(community, 1, dissolved_on=day(2016, 1, 1))
    assert verdict(community, "social_organizations").compliant


def test_social_organization_registered_next_year_does_not_count(community):
    social_orgs(community, 4)
    social_orgs(community, 1, registered_on=day(2016, 1, 1))
    assert not verdict(community, "social_organizations").compliant


# 至少有1名社区工作者获得社会工作者职业资格 ---------------------------------------------------------


def test_one_certified_worker_complies(community):
    worker(community, qualification="assistant")
    assert verdict(community, "certified_social_worker").compliant


def test_no_certified_worker_does_not(community):
    worker(community, qualification="none")
    v = verdict(community, "certified_social_worker")
    assert not v.compliant and v.gap == 1


def test_certified_group_leader_is_not_counted(community):
    worker(community, role="group_leader", qualification="senior")
    worker(community, role="building_leader", qualification="senior", education="bachelor")
    assert not verdict(community, "certified_social_worker").compliant
    assert not verdict(community, "bachelor_degree_worker").compliant


def test_certified_worker_who_left_is_not_counted(community):
    worker(community, qualification="intermediate", left_on=day(2015, 12, 31))
    assert not verdict(community, "certified_social_worker").compliant
    assert verdict(community, "certified_social_worker", 2014).compliant


def test_worker_hired_next_january_is_not_counted(community):
    worker(community, qualification="intermediate", hired_on=day(2016, 1, 1))
    assert not verdict(community, "certified_social_worker").compliant


# 至少有1名达到本科学历 ---------------------------------------------------------------------------


def test_bachelor_worker_complies(community):
    worker(community, education="bachelor")
    assert verdict(community, "bachelor_degree_worker").compliant


def test_postgraduate_counts_as_bachelor(community):
    worker(community, education="postgraduate")
    assert verdict(community, "bachelor_degree_worker").compliant


def test_college_is_not_bachelor(community):
    worker(community, education="college")
    assert not verdict(community, "bachelor_degree_worker").compliant


# 50%以上工作人员具有大专以上学历 ----------------------------------------------------------------


def test_college_share_of_exactly_half_complies(community):
    worker(community, education="college", role="secretary")
    worker(community, education="secondary", role="director")
    v = verdict(community, "college_educated_share")
    assert v.compliant and str(v.value) == "0.5"


def test_college_share_below_half_does_not(community):
    worker(community, education="college")
    worker(community, education="secondary")
    worker(community, education="high_school")
    v = verdict(community, "college_educated_share")
    assert not v.compliant and v.gap == 1  # ⌈3 × 0.5⌉ − 1


def test_college_share_ignores_uncounted_roles(community):
    worker(community, education="college")
    worker(community, education="junior_or_below", role="group_leader")
    worker(community, education="junior_or_below", role="building_leader")
    assert verdict(community, "college_educated_share").value == 1


def test_college_share_without_counted_workers_is_null(community):
    worker(community, education="bachelor", role="group_leader")
    v = verdict(community, "college_educated_share")
    assert v.value is None and not v.compliant


def test_postgraduate_counts_as_college_or_higher(community):
    worker(community, education="postgraduate", role="deputy_director")
    worker(community, education="high_school", role="member")
    assert verdict(community, "college_educated_share").compliant


# 三维数字社区 -----------------------------------------------------------------------------------


def test_3d_community_completed_on_31_december_counts(community):
    community.digital_3d_completed_on = day(2015, 12, 31)
    community.save()
    assert verdict(community, "digital_3d_community").compliant
    assert not verdict(community, "digital_3d_community", 2014).compliant


def test_3d_community_completed_next_january_does_not(community):
    community.digital_3d_completed_on = day(2016, 1, 1)
    community.save()
    v = verdict(community, "digital_3d_community")
    assert not v.compliant and v.value == 0 and v.gap == 1


# Missing statistics -------------------------------------------------------------------------


def test_missing_statistics_make_their_indicators_null_and_not_compliant(community):
    facility(community=community, area="400")
    volunteers(community, 50)
    (row,) = community_rows(scope_code=community.code, year=YEAR)
    assert row.missing_data
    for code in (
        "area_per_100_households",
        "party_member_participation",
        "resident_participation",
        "registered_volunteers",
    ):
        assert row.indicators[code].value is None
        assert row.indicators[code].compliant is False
        assert row.indicators[code].gap is None
    assert row.indicators["community_station"].compliant
    assert not row.fully_compliant


def test_statistics_of_another_year_do_not_count(community):
    make_stat(community, year=2014)
    (row,) = community_rows(scope_code=community.code, year=YEAR)
    assert row.missing_data
