"""No row is shared by the writes of different communities (PostgreSQL, real concurrency).

A write in one community, figures upkeep included, holds its transaction open; a write in
another community of the same street, from another connection, must not wait for it. The
data stamp this replaced made every writer of the province wait on one row.
"""

import datetime
import os
import threading

import pytest
from django.db import connection, transaction

from core.services import record_save
from tests.factories import make_hierarchy, make_user
from tests.security.worlds import make_person
from volunteers.models import Volunteer

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="concurrent writers need a database that has them (PostgreSQL)",
    ),
]


def volunteer(community, serial):
    return Volunteer(
        community=community,
        name=f"志愿者{serial}",
        registered_on=datetime.date(2014, 3, 1),
        **make_person(serial),
    )


def test_a_write_in_another_community_does_not_wait_for_an_open_one():
    first, second = make_hierarchy(communities=2)
    admin = make_user("writer", role="admin", scope_code="62")
    written, release, done = threading.Event(), threading.Event(), threading.Event()
    errors = []

    def hold_open():
        try:
            with transaction.atomic():
                record_save(instance=volunteer(first, 1), user=admin)
                written.set()
                release.wait(20)
        except Exception as exc:  # noqa: BLE001 — reported by the main thread
            errors.append(exc)
        finally:
            connection.close()
            done.set()

    thread = threading.Thread(target=hold_open)
    thread.start()
    assert written.wait(20), errors
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            record_save(instance=volunteer(second, 2), user=admin)
    finally:
        release.set()
        thread.join(30)
    assert done.is_set() and not errors
    assert Volunteer.objects.filter(community__in=[first, second]).count() == 2
