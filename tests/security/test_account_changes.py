"""Account changes take effect at once: deactivation, a new scope and a new password end access."""

import pytest
from django.test import Client
from django.urls import reverse

from .matrix_world import INSIDE, OUTSIDE, build_objects

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects():
    return build_objects()


def _signed_in(objects, role="staff") -> Client:
    client = Client()
    client.force_login(objects.users[role])
    assert client.get(reverse("community-detail", args=[INSIDE])).status_code == 200
    return client


def test_a_deactivated_user_is_signed_out_on_the_next_request(objects):
    client = _signed_in(objects)
    user = objects.users["staff"]
    user.is_active = False
    user.save()
    response = client.get(reverse("community-detail", args=[INSIDE]))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("login"))
    assert client.get("/api/v1/volunteers/").status_code in (401, 403)


def test_a_new_scope_applies_to_the_next_request(objects):
    client = _signed_in(objects)
    user = objects.users["staff"]
    user.scope_code = OUTSIDE
    user.save()
    assert client.get(reverse("community-detail", args=[INSIDE])).status_code == 404
    assert client.get(reverse("community-detail", args=[OUTSIDE])).status_code == 200


def test_a_password_change_ends_the_users_other_sessions(objects):
    client = _signed_in(objects)
    user = objects.users["staff"]
    user.set_password("Another-password-2016")
    user.save()
    response = client.get(reverse("community-detail", args=[INSIDE]))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("login"))


def test_an_official_turned_staff_loses_the_approvals_page(objects):
    client = _signed_in(objects, "street")
    assert client.get(reverse("approvals")).status_code == 200
    user = objects.users["street"]
    user.role = "staff"
    user.save()
    assert client.get(reverse("approvals")).status_code == 403
