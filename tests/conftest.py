"""Shared fixtures: the real hierarchy (a slice of it) and users of each role."""

import pytest

from tests.factories import make_user

TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def _migration_data_survives_flushes(request):
    """Put back what data migrations created (the 十二五 plan, the request categories, the star
    thresholds, the service-standard catalogue), if an earlier test removed them.

    Transactional tests (live server, concurrency, fault tests) end by flushing every table,
    migration data included; the tests that run after them on the same worker still expect
    the plan to be there, as it is in every real database.
    """
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if marker is None and not ({"db"} | TRANSACTIONAL_FIXTURES) & names:
        return
    transactional = bool(TRANSACTIONAL_FIXTURES & names) or bool(
        marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    from importlib import import_module

    from django.apps import apps

    from targets.models import Plan

    if not Plan.objects.exists():
        import_module("targets.migrations.0002_twelfth_five_year_plan").create_plan(apps, None)
    from casework.models import CaseCategory

    if not CaseCategory.objects.exists():
        import_module("casework.migrations.0002_categories").create_categories(apps, None)
    from volunteers.models import StarThreshold

    if not StarThreshold.objects.exists():
        stars = import_module("volunteers.migrations.0004_records_confirmed_and_stars").STARS
        StarThreshold.objects.bulk_create(
            [StarThreshold(level=level, name=name, min_hours=hours) for level, name, hours in stars]
        )
    from standards.models import ServiceStandard

    if not ServiceStandard.objects.exists():
        import_module("standards.migrations.0002_catalogue").load(apps, None)


@pytest.fixture
def divisions(db):
    """Load the whole real hierarchy from fixtures/."""
    from streets.services import divisions_load

    divisions_load()


@pytest.fixture
def admin_user(db):
    return make_user("admin1", role="admin", scope_code="62")


@pytest.fixture
def prefecture_official(db):
    return make_user("pref1", role="official", scope_code="6201")


@pytest.fixture
def street_official(db):
    return make_user("street1", role="official", scope_code="620102016")
