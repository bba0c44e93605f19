"""Sessions end after 30 idle minutes, and logout ends the session on the server."""

import datetime

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

START = datetime.datetime(2015, 6, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def official():
    return make_user("wangwu", role="official", scope_code="6201")


def _is_signed_in(client: Client) -> bool:
    response = client.get(reverse("login"))
    return response.wsgi_request.user.is_authenticated


def test_activity_keeps_the_session_alive(client, official):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(official)
        for _ in range(4):
            clock.shift(datetime.timedelta(minutes=29))
            assert _is_signed_in(client)


def test_thirty_idle_minutes_end_the_session(client, official):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(official)
        clock.shift(datetime.timedelta(minutes=20))
        assert _is_signed_in(client)
        clock.shift(datetime.timedelta(minutes=30, seconds=1))
        assert not _is_signed_in(client)


def test_an_idle_user_is_sent_to_the_login_page(client, official):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(official)
        clock.shift(datetime.timedelta(minutes=31))
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("login"))


def test_logout_deletes_the_session_on_the_server(client, official):
    client.force_login(official)
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()

    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()

    # Replaying the old cookie does not bring the session back.
    replay = Client()
    replay.cookies["sessionid"] = key
    assert not _is_signed_in(replay)


def test_logout_by_get_is_not_accepted(client, official):
    client.force_login(official)
    response = client.get(reverse("logout"))
    assert response.status_code == 405
    assert _is_signed_in(client)


def test_the_session_key_changes_at_login(official):
    client = Client()
    anonymous = client.session
    anonymous["visited"] = True
    anonymous.save()
    old_key = anonymous.session_key

    client.post(reverse("login"), {"username": "wangwu", "password": PASSWORD})
    assert client.cookies["sessionid"].value != old_key
    assert not Session.objects.filter(session_key=old_key).exists()


def test_a_session_cookie_with_a_nul_is_no_session(client, db):
    client.cookies["sessionid"] = "abc\x00defghijkl"
    assert client.get("/login/").status_code == 200
