"""Five failed logins lock the username at that address for 30 minutes (django-axes)."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

START = datetime.datetime(2015, 6, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def official():
    return make_user("wangwu", role="official", scope_code="6201")


def _login(username: str, password: str, ip: str = "10.20.30.40") -> tuple[Client, object]:
    client = Client(REMOTE_ADDR=ip)
    response = client.post(reverse("login"), {"username": username, "password": password})
    return client, response


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _fail(username: str, times: int, ip: str = "10.20.30.40") -> None:
    for _ in range(times):
        client, response = _login(username, "Wrong-password-1", ip)
        assert not _signed_in(client)


def test_four_failures_still_let_the_right_password_in(official):
    with time_machine.travel(START, tick=False):
        _fail("wangwu", 4)
        client, _ = _login("wangwu", PASSWORD)
        assert _signed_in(client)


def test_the_sixth_attempt_is_refused_even_with_the_right_password(official):
    with time_machine.travel(START, tick=False):
        _fail("wangwu", 5)
        client, response = _login("wangwu", PASSWORD)
        assert not _signed_in(client)
    assert response.status_code == 429
    assert "锁定" in response.content.decode()


def test_a_colleague_at_the_same_address_is_not_locked(official):
    make_user("zhaoliu", role="official", scope_code="6201")
    with time_machine.travel(START, tick=False):
        _fail("wangwu", 5)
        client, _ = _login("zhaoliu", PASSWORD)
        assert _signed_in(client)


def test_the_same_username_from_another_address_is_not_locked(official):
    with time_machine.travel(START, tick=False):
        _fail("wangwu", 5, ip="10.20.30.40")
        client, _ = _login("wangwu", PASSWORD, ip="10.20.30.41")
        assert _signed_in(client)


def test_the_lock_still_holds_after_29_minutes(official):
    with time_machine.travel(START, tick=False) as clock:
        _fail("wangwu", 5)
        clock.shift(datetime.timedelta(minutes=29, seconds=59))
        client, response = _login("wangwu", PASSWORD)
        assert not _signed_in(client)
        assert response.status_code == 429


def test_the_lock_ends_after_30_minutes(official):
    with time_machine.travel(START, tick=False) as clock:
        _fail("wangwu", 5)
        clock.shift(datetime.timedelta(minutes=30, seconds=1))
        client, _ = _login("wangwu", PASSWORD)
        assert _signed_in(client)


def test_attempts_during_the_lock_restart_the_30_minutes(official):
    with time_machine.travel(START, tick=False) as clock:
        _fail("wangwu", 5)
        clock.shift(datetime.timedelta(minutes=20))
        _fail("wangwu", 1)
        clock.shift(datetime.timedelta(minutes=20))
        client, _ = _login("wangwu", PASSWORD)
        assert not _signed_in(client)
        clock.shift(datetime.timedelta(minutes=30, seconds=1))
        client, _ = _login("wangwu", PASSWORD)
        assert _signed_in(client)


def test_a_successful_login_resets_the_failure_count(official):
    with time_machine.travel(START, tick=False):
        _fail("wangwu", 4)
        client, _ = _login("wangwu", PASSWORD)
        assert _signed_in(client)
        _fail("wangwu", 4)
        client, _ = _login("wangwu", PASSWORD)
        assert _signed_in(client)
