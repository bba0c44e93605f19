"""ID numbers and phones in the volunteer admin: masked unless the user may see them."""

from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import AuditLog
from core.validators import id_number_sex
from volunteers.models import Volunteer

from .conftest import STAFF_COMMUNITY, id_number


def volunteer_post(volunteer, **changes):
    data = {
        "community": volunteer.community_id,
        "organization": volunteer.organization_id or "",
        "name": volunteer.name,
        "gender": volunteer.gender,
        "id_number": "",
        "phone": "",
        "registered_on": volunteer.registered_on.isoformat(),
        "left_on": "",
        "service_categories": ["elderly"],
        "expected_version": volunteer.version,
        "service_records-TOTAL_FORMS": "0",
        "service_records-INITIAL_FORMS": "0",
        "service_records-MIN_NUM_FORMS": "0",
        "service_records-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_staff_sees_the_masked_id_number_and_phone_only(world, login):
    volunteer = Volunteer.objects.get(community_id=STAFF_COMMUNITY)
    client = login("staff")
    for url in (
        reverse("admin:volunteers_volunteer_changelist"),
        reverse("admin:volunteers_volunteer_change", args=[volunteer.pk]),
    ):
        html = client.get(url).content.decode()
        assert volunteer.id_number_masked in html
        assert volunteer.id_number not in html
        assert volunteer.phone_masked in html
        assert volunteer.phone not in html
    assert (
        volunteer.id_number_masked.startswith("620102") and "********" in volunteer.id_number_masked
    )


def test_officials_see_it_masked_too(world, login):
    volunteer = Volunteer.objects.get(community_id=STAFF_COMMUNITY)
    html = (
        login("prefecture")
        .get(reverse("admin:volunteers_volunteer_change", args=[volunteer.pk]))
        .content.decode()
    )
    assert volunteer.id_number_masked in html and volunteer.id_number not in html


def test_a_user_allowed_personal_data_sees_it_in_full_and_it_is_audited(world, login, users):
    users["admin"].user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    volunteer = Volunteer.objects.get(community_id=STAFF_COMMUNITY)
    client = login("admin")
    html = client.get(
        reverse("admin:volunteers_volunteer_change", args=[volunteer.pk])
    ).content.decode()
    assert volunteer.id_number in html
    assert AuditLog.objects.filter(action="view_personal_data", user=users["admin"]).exists()


def test_an_admin_without_the_permission_sees_it_masked(world, login):
    volunteer = Volunteer.objects.get(community_id=STAFF_COMMUNITY)
    html = login("admin").get(reverse("admin:volunteers_volunteer_changelist")).content.decode()
    assert volunteer.id_number not in html


def test_saving_without_typing_the_id_number_keeps_it(world, login):
    volunteer = Volunteer.objects.get(community_id=STAFF_COMMUNITY)
    client = login("staff")
    url = reverse("admin:volunteers_volunteer_change", args=[volunteer.pk])
    response = client.post(url, volunteer_post(volunteer, name="改名志愿者"))
    assert response.status_code == 302
    saved = Volunteer.objects.get(pk=volunteer.pk)
    assert (saved.name, saved.id_number, saved.phone) == (
        "改名志愿者",
        volunteer.id_number,
        volunteer.phone,
    )
    assert saved.service_categories == ["elderly"]


def test_typing_a_new_id_number_replaces_it_and_lower_case_x_is_normalised(world, login):
    volunteer = Volunteer.objects.get(community_id=STAFF_COMMUNITY)
    new = next(
        n for n in (id_number("620102", s, "19750315") for s in range(1, 200)) if n.endswith("X")
    )
    client = login("staff")
    url = reverse("admin:volunteers_volunteer_change", args=[volunteer.pk])
    data = volunteer_post(volunteer, id_number=new.lower(), gender=id_number_sex(new))
    assert client.post(url, data).status_code == 302
    assert Volunteer.objects.get(pk=volunteer.pk).id_number == new


def test_a_wrong_check_digit_is_refused_in_chinese(world, login):
    volunteer = Volunteer.objects.get(community_id=STAFF_COMMUNITY)
    wrong = volunteer.id_number[:17] + ("0" if volunteer.id_number[17] != "0" else "1")
    client = login("staff")
    response = client.post(
        reverse("admin:volunteers_volunteer_change", args=[volunteer.pk]),
        volunteer_post(volunteer, id_number=wrong),
    )
    assert response.status_code == 200
    assert "身份证号码校验位错误" in response.content.decode()
    assert wrong not in response.content.decode()
    assert Volunteer.objects.get(pk=volunteer.pk).id_number == volunteer.id_number


def test_adding_a_volunteer_requires_the_id_number(world, login):
    volunteer = Volunteer.objects.get(community_id=STAFF_COMMUNITY)
    client = login("staff")
    data = volunteer_post(volunteer, name="新人")
    data.pop("expected_version")
    response = client.post(reverse("admin:volunteers_volunteer_add"), data)
    assert response.status_code == 200
    assert "id_number" in response.context["adminform"].form.errors
    data["id_number"] = id_number("620102", 77)
    data["gender"] = id_number_sex(data["id_number"])  # 17th digit 7: 男
    assert client.post(reverse("admin:volunteers_volunteer_add"), data).status_code == 302
    assert Volunteer.objects.get(name="新人").id_number == data["id_number"]
