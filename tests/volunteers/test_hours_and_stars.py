"""Cumulative, yearly and per-category hours, and star levels at their thresholds."""

import datetime
from decimal import Decimal

import pytest

from tests.factories import make_hierarchy
from tests.model_rules import valid_id_number
from volunteers.models import RecordStatus, ServiceRecord, StarThreshold, Volunteer
from volunteers.querysets import star_level_of


@pytest.fixture(autouse=True)
def seeded_thresholds(db):
    """Run the migration's seeding again: a transactional test before may have flushed it."""
    import importlib

    from django.apps import apps

    importlib.import_module("volunteers.migrations.0004_records_confirmed_and_stars").forwards(
        apps, None
    )


@pytest.fixture
def volunteer(db):
    community = make_hierarchy(communities=1)[0]
    return Volunteer.objects.create(
        community=community,
        name="赵六",
        gender="female",
        id_number=valid_id_number(serial=21),
        registered_on=datetime.date(2012, 1, 1),
    )


def give(
    volunteer,
    total,
    *,
    status=RecordStatus.CONFIRMED,
    day=datetime.date(2014, 5, 1),
    category="elderly",
):
    """Give ``volunteer`` ``total`` hours in records of at most 24 hours."""
    total = Decimal(total)
    rows = []
    while total > 0:
        hours = min(total, Decimal("24"))
        rows.append(
            ServiceRecord(
                volunteer=volunteer,
                served_on=day,
                hours=hours,
                category=category,
                activity="服务",
                status=status,
            )
        )
        total -= hours
    ServiceRecord.objects.bulk_create(rows)


def star(volunteer):
    return Volunteer.objects.with_star_level().get(pk=volunteer.pk).star_level


def test_the_default_thresholds_are_seeded_as_data(db):
    assert list(StarThreshold.objects.values_list("level", "min_hours")) == [
        (1, Decimal("100")),
        (2, Decimal("300")),
        (3, Decimal("600")),
        (4, Decimal("1000")),
        (5, Decimal("1500")),
    ]


@pytest.mark.parametrize(
    ("hours", "level"),
    [
        ("99.5", 0),
        ("100", 1),
        ("299.5", 1),
        ("300", 2),
        ("1000", 4),
        ("1499.5", 4),
        ("1500", 5),
        ("3000", 5),
    ],
)
def test_star_level_by_confirmed_hours(volunteer, hours, level):
    give(volunteer, hours)
    assert star(volunteer) == level


def test_exactly_100_hours_is_one_star_and_exactly_1500_five_stars_by_the_pure_rule():
    pairs = [(1, Decimal("100")), (5, Decimal("1500")), (3, Decimal("600"))]
    assert star_level_of(Decimal("100"), pairs) == 1
    assert star_level_of(Decimal("99.5"), pairs) == 0
    assert star_level_of(Decimal("1500"), pairs) == 5


def test_unconfirmed_hours_do_not_count_towards_stars(volunteer):
    give(volunteer, "99.5")
    give(volunteer, "500", status=RecordStatus.RECORDED)
    give(volunteer, "500", status=RecordStatus.DISPUTED)
    give(volunteer, "500", status=RecordStatus.REFUSED)
    row = Volunteer.objects.with_star_level().get(pk=volunteer.pk)
    assert row.confirmed_hours == Decimal("99.5")
    assert row.star_level == 0


def test_changed_thresholds_change_the_level(volunteer):
    give(volunteer, "100")
    StarThreshold.objects.filter(level=1).update(min_hours=Decimal("120"))
    assert star(volunteer) == 0


def test_star_filter_keeps_exactly_that_level(volunteer):
    give(volunteer, "1500")
    assert list(Volunteer.objects.with_star(5)) == [volunteer]
    assert not Volunteer.objects.with_star(4).exists()
    assert not Volunteer.objects.with_star(0).exists()


def test_hours_this_year_and_by_category(volunteer):
    give(volunteer, "10", day=datetime.date(2014, 12, 31))
    give(volunteer, "4", day=datetime.date(2015, 1, 1), category="culture_sports")
    give(volunteer, "3", day=datetime.date(2015, 12, 31))
    give(volunteer, "50", day=datetime.date(2015, 6, 1), status=RecordStatus.RECORDED)
    row = Volunteer.objects.with_confirmed_hours().with_hours_in(2015).get(pk=volunteer.pk)
    assert row.confirmed_hours == Decimal("17")
    assert row.hours_this_year == Decimal("7")
    by_category = volunteer.service_records.confirmed().hours_by_category()
    assert by_category == {"elderly": Decimal("13"), "culture_sports": Decimal("4")}


def test_active_in_the_last_twelve_months(volunteer):
    give(volunteer, "2", day=datetime.date(2015, 1, 1))
    assert Volunteer.objects.active_in_last_year(datetime.date(2015, 12, 31)).exists()
    assert not Volunteer.objects.active_in_last_year(datetime.date(2016, 1, 1)).exists()
    give(volunteer, "2", day=datetime.date(2015, 9, 1), status=RecordStatus.RECORDED)
    assert not Volunteer.objects.active_in_last_year(datetime.date(2016, 1, 1)).exists()
