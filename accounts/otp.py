"""The second factor (等保 §8.1.4.1 d): TOTP through django-otp.

When ``OTP_REQUIRED`` is on (by default everywhere but ``make run``, DEBUG and the tests),
administrators and officials sign in — to the portal, the Django admin and the token
endpoint — with a 6-digit dynamic password from a confirmed TOTP device; staff may enrol one
and then must use it. A security administrator enrols a device with
``manage.py otp_enroll <username>`` (or in the admin's TOTP devices page). A wrong code counts
as a failed login for the lockout (django-axes).
"""

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp.models import Device

from core.roles import Role, role_of

#: Roles that must sign in with a second factor when ``OTP_REQUIRED`` is on.
OTP_ROLES = frozenset({Role.ADMIN, Role.OFFICIAL})

NO_DEVICE = "您的账号需要动态口令（双因素认证）登录，但尚未绑定动态口令设备，请联系安全管理员绑定。"
MISSING = "请输入动态口令（身份验证器中的6位数字）。"
WRONG = "动态口令不正确或已过期，请输入身份验证器中当前的6位数字。"


def otp_enforced() -> bool:
    return bool(getattr(settings, "OTP_REQUIRED", False))


def admin_otp_enforced() -> bool:
    """Say whether every user of the Django admin needs a second factor (on when DEBUG is off)."""
    return bool(getattr(settings, "ADMIN_OTP_REQUIRED", False)) or otp_enforced()


def confirmed_devices(user) -> list:
    return list(devices_for_user(user, confirmed=True))


def needs_second_factor(user, *, admin_site: bool = False) -> bool:
    """Say whether ``user`` must give a dynamic password to sign in now.

    ``admin_site``: the login is the Django admin's, where every user needs one when
    ``ADMIN_OTP_REQUIRED`` (DEBUG off) is on.
    """
    if user is None:
        return False
    if admin_site and admin_otp_enforced():
        return True
    if not otp_enforced():
        return False
    return role_of(user) in OTP_ROLES or user.is_superuser or bool(confirmed_devices(user))


def session_verified(request) -> bool:
    """Say whether this session signed in with a dynamic password of the user's own device."""
    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
    if not persistent_id:
        return False
    device = Device.from_persistent_id(persistent_id)
    return device is not None and device.confirmed and device.user_id == request.user.pk


def second_factor_check(user, token: str | None, request=None, *, admin_site: bool = False):
    """Return the device that verified ``token`` (None when none is needed); raise otherwise."""
    if not needs_second_factor(user, admin_site=admin_site):
        return None
    devices = confirmed_devices(user)
    if not devices:
        raise ValidationError(NO_DEVICE, code="otp_no_device")
    token = (token or "").strip().replace(" ", "")
    if not token:
        raise ValidationError(MISSING, code="otp_missing")
    for device in devices:
        if device.verify_token(token):
            return device
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )
    raise ValidationError(WRONG, code="otp_wrong")
