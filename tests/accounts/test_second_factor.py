"""TOTP for administrators and officials when OTP_REQUIRED is on; staff optional; off in the demo."""

import pytest
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts.otp import MISSING, NO_DEVICE, WRONG
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db
required = override_settings(OTP_REQUIRED=True)


@pytest.fixture
def official(db):
    return make_user("otp_official", role="official", scope_code="6201", is_staff=True)


@pytest.fixture
def device(official):
    return TOTPDevice.objects.create(user=official, name="身份验证器", confirmed=True)


def code(device, drift=0):
    return f"{totp(device.bin_key, drift=drift):06d}"


def portal_login(username, otp=None):
    client = Client()
    data = {"username": username, "password": PASSWORD}
    if otp is not None:
        data["otp"] = otp
    response = client.post("/login/", data)
    return client, response


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@required
def test_an_official_without_a_device_is_refused(official):
    client, response = portal_login("otp_official")
    assert response.status_code == 200 and not signed_in(client)
    assert NO_DEVICE in response.content.decode()
    answer = APIClient().post(
        "/api/v1/auth/token/", {"username": "otp_official", "password": PASSWORD}, format="json"
    )
    assert answer.status_code == 400 and answer.json() == {"otp": [NO_DEVICE]}


@required
def test_an_official_needs_the_current_code(device):
    client, response = portal_login("otp_official")
    assert not signed_in(client) and MISSING in response.content.decode()
    client, response = portal_login(
        "otp_official", "000000" if code(device) != "000000" else "111111"
    )
    assert not signed_in(client) and WRONG in response.content.decode()
    # django-otp throttles a device after a wrong code (1 s, then doubling): wait it out.
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    device.throttle_reset()
    client, response = portal_login("otp_official", code(device))
    assert response.status_code == 302 and signed_in(client)


@required
def test_the_token_endpoint_takes_the_otp_field(device):
    url = "/api/v1/auth/token/"
    body = {"username": "otp_official", "password": PASSWORD}
    assert APIClient().post(url, body, format="json").json() == {"otp": [MISSING]}
    answer = APIClient().post(url, {**body, "otp": code(device)}, format="json")
    assert answer.status_code == 200 and answer.json()["token"]


@required
def test_the_admin_login_asks_for_it_too(device):
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "otp_official", "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 200 and not signed_in(client)
    assert 'name="otp"' in response.content.decode()
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "otp_official", "password": PASSWORD, "otp": code(device), "next": "/admin/"},
    )
    assert response.status_code == 302 and signed_in(client)


@required
def test_staff_without_a_device_sign_in_with_the_password_alone(db):
    make_user("otp_staff", role="staff", scope_code="620102016001")
    client, response = portal_login("otp_staff")
    assert response.status_code == 302 and signed_in(client)


@required
def test_staff_who_enrolled_a_device_must_use_it(db):
    staff = make_user("otp_staff2", role="staff", scope_code="620102016001")
    device = TOTPDevice.objects.create(user=staff, name="身份验证器", confirmed=True)
    client, _ = portal_login("otp_staff2")
    assert not signed_in(client)
    client, _ = portal_login("otp_staff2", code(device))
    assert signed_in(client)


@override_settings(OTP_REQUIRED=False)
def test_off_as_in_the_demo_an_official_signs_in_with_the_password(official):
    client, response = portal_login("otp_official")
    assert response.status_code == 302 and signed_in(client)


@required
def test_wrong_codes_count_toward_the_lockout(device):
    for _ in range(5):
        portal_login("otp_official", "999999" if code(device) != "999999" else "888888")
    client, response = portal_login("otp_official", code(device))
    assert not signed_in(client)


admin_site_required = override_settings(OTP_REQUIRED=False, ADMIN_OTP_REQUIRED=True)


@admin_site_required
def test_the_admin_site_asks_every_user_for_a_second_factor(db):
    staff = make_user("otp_admin_staff", role="staff", scope_code="620102016001", is_staff=True)
    client = Client()
    form = {"username": "otp_admin_staff", "password": PASSWORD, "next": "/admin/"}
    response = client.post("/admin/login/?next=/admin/", form)
    assert response.status_code == 200 and not signed_in(client)
    assert NO_DEVICE in response.content.decode()
    device = TOTPDevice.objects.create(user=staff, name="身份验证器", confirmed=True)
    response = client.post("/admin/login/?next=/admin/", {**form, "otp": code(device)})
    assert response.status_code == 302 and signed_in(client)
    assert client.get("/admin/").status_code == 200


@admin_site_required
def test_a_portal_session_without_the_second_factor_does_not_open_the_admin(db):
    make_user("otp_portal_staff", role="staff", scope_code="620102016001", is_staff=True)
    client, response = portal_login("otp_portal_staff")
    assert response.status_code == 302 and signed_in(client)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


@admin_site_required
def test_a_session_verified_with_another_users_device_does_not_open_the_admin(device):
    from django_otp import DEVICE_ID_SESSION_KEY

    make_user("otp_other_staff", role="staff", scope_code="620102016001", is_staff=True)
    client, _ = portal_login("otp_other_staff")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert client.get("/admin/").status_code == 302


@override_settings(OTP_REQUIRED=False, ADMIN_OTP_REQUIRED=False)
def test_in_the_demo_the_admin_opens_with_the_password(db):
    make_user("otp_demo_staff", role="staff", scope_code="620102016001", is_staff=True)
    client, _ = portal_login("otp_demo_staff")
    assert client.get("/admin/").status_code == 200
