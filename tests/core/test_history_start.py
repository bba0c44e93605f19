"""History from the start: a row written in bulk gets its first entry, so that its first edit
lists only the field it changed (not every field as "（空）→ value")."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core.history import history_start
from core.services import record_save
from facilities.models import Facility
from tests.entry_data import EntryWorld

pytestmark = pytest.mark.django_db


def test_the_first_edit_of_a_bulk_written_facility_shows_one_changed_field(client):
    world = EntryWorld()
    Facility.objects.bulk_create(
        [
            Facility(
                name="团结新村社区服务站",
                kind="station",
                community=world.home,
                code=world.home.code,
                floor_area=Decimal("94"),
                opened_on=datetime.date(2012, 5, 1),
            )
        ]
    )
    facility = Facility.objects.get()
    assert not facility.history.exists()
    assert history_start(Facility, reason="初始数据（演示数据）") == 1
    assert history_start(Facility, reason="初始数据（演示数据）") == 0  # never twice

    facility.floor_area = Decimal("96")
    record_save(instance=facility, user=world.staff, expected_version=facility.version)

    client.force_login(world.staff)
    response = client.get(reverse("record-history", args=["facility", facility.pk]))
    edit, start = response.context["entries"]
    assert (start.action, start.user, start.reason) == ("新增", "系统", "初始数据（演示数据）")
    assert [(c.label, c.old, c.new) for c in edit.changes] == [
        ("建筑面积（平方米）", "94.00", "96.00")
    ]
