"""The province-wide ID number: a duplicate outside the user's scope reveals nothing more.

An ID number is registered once in the province. A user who enters one registered outside
their scope learns only that it cannot be registered here (``DUPLICATE_ELSEWHERE``); each such
hit is audited (跨辖区身份证号码重复). More than ``DUPLICATE_ID_DAILY_LIMIT`` hits in a day stop
that user's imports and entries of volunteers for the rest of the day and raise a security
alert for the security administrator: a list of numbers cannot be probed for who is
registered elsewhere.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import mail_admins
from django.utils import timezone

from accounts.models import AuditLog
from core.audit import audit

from .duplicate_message import DUPLICATE_ELSEWHERE

__all__ = ["DUPLICATE_ELSEWHERE", "duplicate_id_hit", "duplicates_stopped", "require_not_stopped"]

STOPPED = (
    "今日您录入的身份证号码中不能在此登记的次数过多，系统已暂停您今天的导入和志愿者录入，"
    "并通知了安全管理员。如有疑问请联系安全管理员。"
)
DUPLICATE_ID = "duplicate_id"
SECURITY_ALERT = "security_alert"


def daily_limit() -> int:
    return int(getattr(settings, "DUPLICATE_ID_DAILY_LIMIT", 5))


def _today_start():
    today = timezone.localdate()
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))


def _rows_today(user, action):
    return AuditLog.objects.filter(user=user, action=action, created_at__gte=_today_start())


def duplicate_hits_today(user) -> int:
    return _rows_today(user, DUPLICATE_ID).count()


def duplicates_stopped(user) -> bool:
    """Say whether ``user`` has used up today's duplicates (their imports are stopped)."""
    return user is not None and duplicate_hits_today(user) > daily_limit()


def require_not_stopped(user) -> None:
    if duplicates_stopped(user):
        raise PermissionDenied(STOPPED)


def duplicate_id_hit(*, user, request=None, channel: str = "") -> None:
    """Record one duplicate outside ``user``'s scope; stop the user once over the daily limit."""
    if user is None:
        return
    audit(
        action=DUPLICATE_ID,
        user=user,
        request=request,
        scope_code=getattr(user, "scope_code", "") or "",
        detail={"channel": channel},
    )
    if duplicate_hits_today(user) <= daily_limit():
        return
    if not _rows_today(user, SECURITY_ALERT).exists():
        audit(
            action=SECURITY_ALERT,
            user=user,
            request=request,
            scope_code=getattr(user, "scope_code", "") or "",
            detail={"reason": "duplicate_id_limit", "limit": daily_limit(), "channel": channel},
        )
        mail_admins(
            "安全告警：跨辖区身份证号码重复次数超过每日上限",
            f"用户 {user.get_username()} 今日录入的身份证号码中已有超过 {daily_limit()} 个"
            "在其管辖范围外登记，其导入和志愿者录入已暂停至次日。",
            fail_silently=True,
        )
    raise PermissionDenied(STOPPED)
