"""The lockout and the audit log see the client's address, also behind trusted proxies."""

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from accounts.models import AuditAction, AuditLog
from accounts.services import client_ip
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def _request(remote="10.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_proxies_the_forwarded_header_is_ignored():
    assert client_ip(_request("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_it_saw_is_used():
    assert client_ip(_request("127.0.0.1", "203.0.113.9")) == "203.0.113.9"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_forged_address_on_the_left_is_not_trusted():
    # The client sent "X-Forwarded-For: 1.2.3.4"; nginx appended the address it really saw.
    assert client_ip(_request("127.0.0.1", "1.2.3.4, 203.0.113.9")) == "203.0.113.9"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_garbage_in_the_header_falls_back_to_the_socket_address():
    assert client_ip(_request("127.0.0.1", "not-an-address")) == "127.0.0.1"
    assert client_ip(_request("127.0.0.1", "")) == "127.0.0.1"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_lockout_and_audit_use_the_client_address():
    make_user("wangwu", role="official", scope_code="6201")
    make_user("zhaoliu", role="official", scope_code="6201")
    for _ in range(5):
        Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9").post(
            reverse("login"), {"username": "wangwu", "password": "Wrong-password-1"}
        )
    assert AuditLog.objects.filter(action=AuditAction.LOCKOUT, ip_address="203.0.113.9").exists()

    # The same account from another client address behind the same proxy is not locked …
    other = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.10")
    other.post(reverse("login"), {"username": "wangwu", "password": PASSWORD})
    assert "_auth_user_id" in other.session
    # … and the locked address cannot get in by forging the header on the left.
    forged = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    forged.post(reverse("login"), {"username": "wangwu", "password": PASSWORD})
    assert "_auth_user_id" not in forged.session
    assert AuditLog.objects.filter(action=AuditAction.LOGIN, ip_address="203.0.113.10").exists()
