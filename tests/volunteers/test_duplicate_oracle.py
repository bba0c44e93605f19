"""An ID number registered outside the user's scope: a neutral answer, audited, limited per day."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from rest_framework.test import APIClient

from accounts.models import AuditLog
from core.validators import id_check_char
from excel.importers import import_workbook
from excel.resources import VOLUNTEERS
from tests.excel.conftest import xlsx
from tests.factories import make_hierarchy, make_user
from volunteers.duplicates import DUPLICATE_ELSEWHERE, STOPPED
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db
HOME = "620102016001"
ELSEWHERE = "620201001001"


def id_number(serial: int) -> str:
    first17 = f"62010219800101{serial:03d}"
    return first17 + id_check_char(first17)


@pytest.fixture
def world(db):
    make_hierarchy(communities=1)
    make_hierarchy(prefecture="6202", county="620201", street="620201001", communities=1)
    for n in range(10):
        Volunteer.objects.create(
            community_id=ELSEWHERE,
            name=f"外地{n}",
            gender="female",
            id_number=id_number(n),
            registered_on=datetime.date(2012, 1, 1),
        )
    return make_user("dup_staff", role="staff", scope_code=HOME)


def api_create(user, number):
    client = APIClient()
    client.force_authenticate(user)
    return client.post(
        "/api/v1/volunteers/",
        {
            "community_code": HOME,
            "name": "张三",
            "gender": "male",
            "id_number": number,
            "registered_on": "2013-01-01",
        },
        format="json",
    )


def hits(user):
    return AuditLog.objects.filter(action="duplicate_id", user=user).count()


def test_the_api_answers_a_neutral_message_and_audits_the_hit(world):
    response = api_create(world, id_number(1))
    assert response.status_code == 400
    message = str(response.json())
    assert DUPLICATE_ELSEWHERE in message and "全省" not in message
    assert hits(world) == 1


def volunteer_rows(serials):
    header = [c.header for c in VOLUNTEERS.columns]
    rows = []
    for s in serials:
        values = {
            "社区代码": HOME,
            "姓名": f"新{s}",
            "性别": "男",
            "身份证号码": id_number(s),
            "注册日期": "2013-01-01",
        }
        rows.append([values.get(h) for h in header])
    return xlsx(header, rows, title=VOLUNTEERS.title)


@override_settings(DUPLICATE_ID_DAILY_LIMIT=3)
def test_more_than_a_handful_a_day_stops_the_users_imports_and_alerts(world):
    with pytest.raises(PermissionDenied) as caught:
        import_workbook(
            resource=VOLUNTEERS, upload=volunteer_rows(range(10)), user=world, dry_run=True
        )
    assert str(caught.value) == STOPPED
    assert hits(world) == 4  # the limit, then the one that stopped it
    assert AuditLog.objects.filter(action="security_alert", user=world).count() == 1
    # Stopped for the day: any import, and a new entry through the API.
    with pytest.raises(PermissionDenied):
        import_workbook(resource=VOLUNTEERS, upload=volunteer_rows([50]), user=world, dry_run=True)
    assert api_create(world, id_number(2)).status_code == 403
    assert AuditLog.objects.filter(action="security_alert", user=world).count() == 1


def test_a_duplicate_within_the_scope_is_no_hit(world):
    Volunteer.objects.create(
        community_id=HOME,
        name="本地",
        gender="female",
        id_number=id_number(77),
        registered_on=datetime.date(2012, 1, 1),
    )
    assert api_create(world, id_number(77)).status_code == 400
    assert hits(world) == 0
