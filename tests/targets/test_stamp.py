"""A migration that rebuilds a counted table on SQLite must not leave it without its stamp
triggers: they come back after every ``migrate``."""

import datetime

import pytest
from django.db import connection

from targets.stamp import stamp_triggers_ensure
from tests.factories import make_hierarchy
from tests.model_rules import valid_id_number
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL keeps triggers in place")
def test_a_dropped_trigger_is_created_again_after_migrate():
    community = make_hierarchy()[0]
    Volunteer.objects.create(
        community=community,
        name="王芳",
        gender="female",
        id_number=valid_id_number(serial=2),
        registered_on=datetime.date(2014, 3, 1),
    )
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER volunteers_volunteer_stamp_update")
    assert stamp_triggers_ensure(using="default") == 1
    assert stamp_triggers_ensure(using="default") == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT stamp FROM targets_datastamp WHERE id = 1")
        before = cursor.fetchone()[0]
        cursor.execute("UPDATE volunteers_volunteer SET name = name")
        cursor.execute("SELECT stamp FROM targets_datastamp WHERE id = 1")
        assert cursor.fetchone()[0] != before
