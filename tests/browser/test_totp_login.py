"""An official signs in with a password and the dynamic password of their authenticator."""

import pytest
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD, make_hierarchy, make_user


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("browser")
@override_settings(OTP_REQUIRED=True)
def test_an_official_signs_in_with_totp(live_server, page):
    make_hierarchy(communities=1)
    official = make_user("totp-official", role="official", scope_code="6201")
    device = TOTPDevice.objects.create(user=official, name="身份验证器", confirmed=True)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "totp-official")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    assert "/login/" in page.url
    assert "请输入动态口令" in page.locator(".invalid-feedback, .alert-danger").first.inner_text()
    page.fill("#id_username", "totp-official")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp", f"{totp(device.bin_key):06d}")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    assert "/dashboard/" in page.url or "6201" in page.url
    assert page.problems == []
