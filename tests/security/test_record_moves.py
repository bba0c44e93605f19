"""A record inside the scope cannot be moved out of it, linked to a row outside, or self-approved."""

import io
import json

import pytest
from django.test import Client
from openpyxl import Workbook

from communities.models import CommunityStat
from facilities.models import Facility
from volunteers.models import Volunteer

from .matrix_world import INSIDE, OUTSIDE, build_objects, fingerprint
from .worlds import make_id_number, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects():
    return build_objects()


@pytest.fixture
def staff(objects):
    client = Client()
    client.force_login(objects.users["staff"])
    return client


def _patch(client, path, body):
    return client.patch(path, data=json.dumps(body), content_type="application/json")


def test_the_api_does_not_move_a_volunteer_out_of_the_scope(objects, staff):
    volunteer = objects("volunteer", "in")
    before = fingerprint()
    response = _patch(staff, f"/api/v1/volunteers/{volunteer.pk}/", {"community_code": OUTSIDE, "version": volunteer.version})
    assert response.status_code in (400, 403)
    assert fingerprint() == before
    assert Volunteer.objects.get(pk=volunteer.pk).community_id == INSIDE


def test_the_api_does_not_move_a_facility_out_of_the_scope(objects, staff):
    facility = objects("facility", "in")
    before = fingerprint()
    response = _patch(staff, f"/api/v1/facilities/{facility.pk}/", {"community_code": OUTSIDE, "version": facility.version})
    assert response.status_code in (400, 403)
    assert fingerprint() == before
    assert Facility.objects.get(pk=facility.pk).code == INSIDE


def test_the_api_does_not_link_a_volunteer_to_an_organisation_outside(objects, staff):
    before = fingerprint()
    response = staff.post(
        "/api/v1/volunteers/",
        data=json.dumps({
            "community_code": INSIDE, "organization": objects("volunteer_organization", "out").pk, "name": "张三",
            "gender": "male", "id_number": make_id_number(900_001), "registered_on": "2013-01-01",
        }),
        content_type="application/json",
    )
    assert response.status_code in (400, 403)
    assert fingerprint() == before


def test_staff_cannot_approve_their_own_statistics_through_a_read_only_field(objects, staff):
    stat = objects("stat", "in")
    response = _patch(staff, f"/api/v1/community-stats/{stat.pk}/", {"status": "approved", "version": stat.version})
    assert response.status_code in (200, 400)
    assert CommunityStat.objects.get(pk=stat.pk).status == "draft"


def test_an_import_cannot_take_over_a_volunteer_registered_outside(objects, staff):
    outside = objects("volunteer", "out")
    book = Workbook()
    sheet = book.active
    sheet.title = "注册志愿者"
    sheet.append(["社区代码", "姓名", "性别", "身份证号码", "联系电话", "是否党员", "注册日期"])
    sheet.append([INSIDE, "冒名", "女", outside.id_number, "13900001111", "否", "2013-03-01"])
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    upload.name = "志愿者.xlsx"
    before = fingerprint()
    response = staff.post("/api/v1/imports/volunteers/", {"file": upload})
    assert response.status_code in (400, 403)
    assert fingerprint() == before
    assert Volunteer.objects.get(pk=outside.pk).community_id == OUTSIDE
    # The answer does not hand the outside record's details back.
    assert outside.name not in response.content.decode()


def test_the_admin_does_not_move_a_volunteer_out_of_the_scope(objects, staff):
    volunteer = objects("volunteer", "in")
    page = staff.get(f"/admin/volunteers/volunteer/{volunteer.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert OUTSIDE not in {str(pk) for pk in form.fields["community"].queryset.values_list("pk", flat=True)}
    before = fingerprint()
    staff.post(
        f"/admin/volunteers/volunteer/{volunteer.pk}/change/",
        {
            "community": OUTSIDE, "name": volunteer.name, "gender": volunteer.gender, "registered_on": "2012-03-01",
            "expected_version": volunteer.version, "service_categories": "[]",
            "service_records-TOTAL_FORMS": "0", "service_records-INITIAL_FORMS": "0",
        },
    )
    assert fingerprint() == before


def test_the_portal_form_does_not_link_a_volunteer_to_an_organisation_outside(objects, staff):
    outside_org = objects("volunteer_organization", "out")
    page = staff.get(f"/communities/{INSIDE}/volunteers/new/")
    assert page.status_code == 200
    offered = {str(pk) for pk in page.context["form"].fields["organization"].queryset.values_list("pk", flat=True)}
    assert str(outside_org.pk) not in offered
    before = fingerprint()
    staff.post(
        f"/communities/{INSIDE}/volunteers/new/",
        {"name": "李四", **make_person(900_002), "organization": outside_org.pk,
         "registered_on": "2013-01-01", "service_categories": ["elderly"]},
    )
    assert fingerprint() == before
    # The same form with the community's own organisation is accepted.
    staff.post(
        f"/communities/{INSIDE}/volunteers/new/",
        {"name": "李四", **make_person(900_002),
         "organization": objects("volunteer_organization", "in").pk,
         "registered_on": "2013-01-01", "service_categories": ["elderly"]},
    )
    assert fingerprint() != before
