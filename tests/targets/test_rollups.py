"""Rolling up to a region: ratios of sums, applicability, gaps, children, summary and baseline."""

from decimal import Decimal

import pytest

from core.figures import figures_touched
from targets.engine import community_rows, compute_region, compute_years
from tests.factories import make_hierarchy, make_stat

from .builders import day, facility, social_orgs, volunteer_orgs, volunteers, worker

pytestmark = pytest.mark.django_db

YEAR = 2015


def make_compliant(community):
    """Give ``community`` everything the ten community targets ask for in 2015."""
    make_stat(
        community,
        households=1000,
        residents=1000,
        party_members=10,
        party_members_volunteering=8,
        residents_volunteering=300,
    )
    facility(community=community, area="300")  # 300 ㎡ × 100 ÷ 1000 households = 30
    volunteers(community, 100)
    social_orgs(community, 5)
    worker(community, role="secretary", education="bachelor", qualification="assistant")
    community.digital_3d_completed_on = day(2014, 6, 1)
    community.save()
    figures_touched(community)  # saved around the write path: its figures, as a bulk path does


def test_region_value_is_the_ratio_of_sums_not_the_mean_of_ratios():
    a, b = make_hierarchy(communities=2)
    make_stat(a, residents=1000, households=400, residents_volunteering=500)  # 50 %
    make_stat(
        b,
        residents=100,
        households=40,
        party_members=10,
        party_members_volunteering=8,
        residents_volunteering=10,
    )  # 10 %
    item = compute_region(scope_code="620102016", year=YEAR).indicator("resident_participation")
    assert item.value == Decimal(510) / Decimal(1100)  # 46.4 %, where the mean would be 30 %
    assert (item.applicable, item.compliant, item.missing) == (2, 1, 0)
    assert item.rate == Decimal("0.5")


def test_communities_without_statistics_are_missing_and_left_out_of_the_value():
    a, b, c = make_hierarchy(communities=3)
    make_stat(a, residents=1000, households=400, residents_volunteering=500)
    make_stat(
        b,
        residents=100,
        households=40,
        party_members=10,
        party_members_volunteering=8,
        residents_volunteering=10,
    )
    volunteers(c, 40)  # c has no statistics: its volunteers do not enter the region's ratio
    volunteers(a, 100)
    region = compute_region(scope_code="620102016", year=YEAR)
    participation = region.indicator("resident_participation")
    assert (participation.applicable, participation.missing) == (3, 1)
    assert participation.value == Decimal(510) / Decimal(1100)
    registered = region.indicator("registered_volunteers")
    assert registered.value == Decimal(100) / Decimal(1100)
    assert registered.missing == 1
    assert registered.compliant == 1  # a: 100 of 1000; b: 0 of 100
    assert registered.gap == 10  # b lacks ⌈100 ÷ 10⌉ = 10; c adds nothing


def test_region_area_per_households_counts_every_in_service_facility_over_households_with_statistics():
    a, b = make_hierarchy(communities=2)
    make_stat(a, households=1000, residents=2800)
    facility(community=a, area="150")
    facility(kind="specialized", community=b, area="50")  # b has no statistics
    facility(kind="centre", street=a.street, area="800")
    facility(kind="centre", street=a.street, area="100", planned=True)
    item = compute_region(scope_code="620102016", year=YEAR).indicator("area_per_100_households")
    assert item.value == Decimal(1000) * 100 / 1000  # (150 + 50 + 800) × 100 ÷ 1000
    assert item.missing == 1
    assert item.gap == Decimal(50)  # a: 1000 × 20 ÷ 100 − 150


def test_area_per_households_value_is_null_without_households():
    make_hierarchy(communities=1)
    item = compute_region(scope_code="620102016", year=YEAR).indicator("area_per_100_households")
    assert item.value is None and item.rate == 0


def test_street_centre_is_held_only_to_subdistricts():
    (sub,) = make_hierarchy(street="620102016", kind="subdistrict")
    (town,) = make_hierarchy(street="620102101", kind="town")
    (zone,) = make_hierarchy(street="620102400", kind="other")
    facility(kind="centre", street=sub.street, area="700")
    facility(kind="centre", street=town.street, area="900")
    item = compute_region(scope_code="620102", year=YEAR).indicator("street_centre")
    assert (item.applicable, item.compliant, item.missing) == (1, 0, 0)
    assert item.gap == Decimal(100)
    assert item.value is None
    # the towns' communities are held to every community target all the same
    assert (
        compute_region(scope_code="620102", year=YEAR).indicator("community_station").applicable
        == 3
    )


def test_street_centre_rate_and_gap_over_several_subdistricts():
    (a,) = make_hierarchy(street="620102016")
    (b,) = make_hierarchy(street="620102017")
    (c,) = make_hierarchy(street="620102018")
    facility(kind="centre", street=a.street, area="800")
    facility(kind="centre", street=b.street, area="650.50")
    item = compute_region(scope_code="620102", year=YEAR).indicator("street_centre")
    assert (item.applicable, item.compliant) == (3, 1)
    assert item.rate == Decimal(1) / Decimal(3)
    assert item.gap == Decimal("149.50") + Decimal(800)


def test_count_gaps_add_up_what_each_community_lacks():
    a, b, c = make_hierarchy(communities=3)
    social_orgs(a, 3)
    social_orgs(b, 7)
    item = compute_region(scope_code="620102016", year=YEAR).indicator("social_organizations")
    assert item.gap == 2 + 0 + 5
    assert item.value is None
    item = compute_region(scope_code="620102016", year=YEAR).indicator("digital_3d_community")
    assert item.gap == 3


def test_college_share_region_value_is_workers_over_workers():
    a, b = make_hierarchy(communities=2)
    worker(a, education="college")
    worker(b, education="high_school")
    worker(b, education="high_school")
    worker(b, education="bachelor")
    item = compute_region(scope_code="620102016", year=YEAR).indicator("college_educated_share")
    assert item.value == Decimal(2) / Decimal(4)
    assert item.compliant == 1
    assert item.gap == 1  # b: ⌈3 × 0.5⌉ − 1


def test_fully_compliant_communities_meet_all_ten_targets():
    a, b = make_hierarchy(communities=2)
    make_compliant(a)
    make_compliant(b)
    b.digital_3d_completed_on = None
    b.save()
    figures_touched(b)
    region = compute_region(scope_code="620102016", year=YEAR)
    assert region.fully_compliant_count == 1
    assert region.fully_compliant_rate == Decimal("0.5")
    rows = {r.code: r for r in community_rows(scope_code="620102016", year=YEAR)}
    assert rows[a.code].fully_compliant and not rows[b.code].fully_compliant
    # the street centre is a street's target, not a community's
    assert region.indicator("street_centre").compliant == 0


def test_children_are_the_next_level_down_and_add_up_to_the_region():
    (a,) = make_hierarchy(prefecture="6201", county="620102", street="620102016")
    (b,) = make_hierarchy(prefecture="6201", county="620103", street="620103001")
    (c,) = make_hierarchy(prefecture="6202", county="620201", street="620201001")
    make_compliant(a)
    social_orgs(c, 5)
    province = compute_region(scope_code="62", year=YEAR)
    assert [child.code for child in province.children] == ["6201", "6202"]
    assert [child.level for child in province.children] == ["prefecture", "prefecture"]
    lanzhou = province.children[0]
    assert lanzhou.community_count == 2 and lanzhou.fully_compliant_count == 1
    assert province.children[1].indicator("social_organizations").compliant == 1
    for item in province.indicators:
        assert item.applicable == sum(
            ch.indicator(item.code).applicable for ch in province.children
        )
        assert item.compliant == sum(ch.indicator(item.code).compliant for ch in province.children)
        assert item.gap == sum(ch.indicator(item.code).gap for ch in province.children)

    county = compute_region(scope_code="620102", year=YEAR)
    assert [(ch.code, ch.level) for ch in county.children] == [("620102016", "street")]
    street = compute_region(scope_code="620102016", year=YEAR)
    assert [(ch.code, ch.level) for ch in street.children] == [(a.code, "community")]
    assert street.children[0].fully_compliant_count == 1
    community = compute_region(scope_code=a.code, year=YEAR)
    assert community.level == "community" and community.children == []
    assert community.fully_compliant_count == 1


def test_a_child_without_communities_is_listed_with_nothing_applicable():
    make_hierarchy(prefecture="6201", county="620102")
    make_hierarchy(prefecture="6201", county="620103", street="620103001", communities=0)
    children = compute_region(scope_code="6201", year=YEAR).children
    empty = next(ch for ch in children if ch.code == "620103")
    assert empty.community_count == 0 and empty.fully_compliant_rate is None
    assert all(i.rate is None for i in empty.indicators if i.code != "street_centre")


def test_without_children_the_region_has_none():
    make_hierarchy()
    assert compute_region(scope_code="62", year=YEAR, with_children=False).children == []


def test_baseline_counts_centres_stations_organisations_and_volunteers():
    (a, b, c) = make_hierarchy(communities=3)
    make_hierarchy(street="620102101", kind="town", communities=0)
    make_hierarchy(street="620102017", communities=0)
    facility(kind="centre", street=a.street, area="500")
    facility(community=a, area="250")
    facility(community=a, area="120")
    facility(community=b, area="350")
    facility(community=c, area="400", planned=True)
    volunteer_orgs(a, 2)
    volunteer_orgs(b, 1, dissolved_on=day(2015, 3, 1))
    volunteers(a, 7)
    volunteers(b, 2, left_on=day(2015, 3, 1))
    baseline = {b.code: b for b in compute_region(scope_code="620102", year=YEAR).baseline}
    assert (baseline["streets_with_centre"].count, baseline["streets_with_centre"].rate) == (
        1,
        Decimal("0.5"),
    )
    assert baseline["streets_without_centre"].count == 1
    assert baseline["communities_with_station"].count == 2
    assert baseline["communities_without_station"].count == 1
    assert baseline["communities_with_small_station"].count == 1  # a: largest 250 ㎡
    assert baseline["volunteer_organizations"].count == 2
    assert baseline["registered_volunteer_count"].count == 7
    assert baseline["communities_with_station"].published == "89.5%"
    assert baseline["registered_volunteer_count"].published == "138400"


def test_compute_years_agrees_with_compute_region_for_each_year():
    a, b = make_hierarchy(communities=2)
    for year, extra in ((2013, 0), (2014, 20), (2015, 40)):
        make_stat(a, year=year, residents=1000, households=400, residents_volunteering=250 + extra)
    volunteers(a, 60, registered_on=day(2013, 5, 1))
    volunteers(a, 60, registered_on=day(2015, 5, 1))
    facility(community=b, area="320", opened_on=day(2014, 7, 1))
    by_year = compute_years(scope_code="620102016", years=[2015, 2013, 2014])
    assert list(by_year) == [2013, 2014, 2015]
    for year, result in by_year.items():
        single = compute_region(scope_code="620102016", year=year, with_children=False)
        assert result.indicators == single.indicators
        assert result.fully_compliant_count == single.fully_compliant_count
        assert result.baseline == single.baseline
        assert result.children == []
    assert by_year[2014].indicator("registered_volunteers").compliant == 0
    assert by_year[2015].indicator("registered_volunteers").compliant == 1
    assert by_year[2013].indicator("community_station").compliant == 0
    assert by_year[2014].indicator("community_station").compliant == 1
