"""No open redirect: a `next` pointing off the site is ignored after login and after actions."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, make_user

from .matrix_world import build_objects

pytestmark = pytest.mark.django_db

FOREIGN = ["https://evil.example/", "//evil.example/", "/\\evil.example/", "https:evil.example"]


@pytest.mark.parametrize("target", FOREIGN)
def test_login_does_not_send_the_user_off_the_site(target):
    make_user("wangwu", role="official", scope_code="6201")
    client = Client()
    response = client.post(reverse("login") + f"?next={target}", {"username": "wangwu", "password": PASSWORD, "next": target})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "evil.example" not in location
    assert location.startswith("/")
    assert not location.startswith("//")


def test_login_follows_a_local_next():
    make_user("wangwu", role="official", scope_code="6201")
    client = Client()
    response = client.post(reverse("login"), {"username": "wangwu", "password": PASSWORD, "next": "/approvals/"})
    assert response.headers["Location"] == "/approvals/"


@pytest.mark.parametrize("target", FOREIGN)
def test_statistics_actions_do_not_send_the_user_off_the_site(target):
    objects = build_objects()
    client = Client()
    client.force_login(objects.users["street"])
    stat = objects("stat_submitted", "in")
    response = client.post(reverse("stat-approve", args=[stat.pk]), {"version": stat.version, "next": target})
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]
