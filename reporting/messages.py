"""站内消息 and e-mail: returned rows, rows waiting for a level, reminders before the due date, 催报.

Every message has a key naming its event; ``notify`` writes nothing for a key it has seen,
so reminders and 催报 are idempotent. E-mail goes out (after the commit) when the recipient
has an address and Django's e-mail settings are configured (``EMAIL_HOST`` set, or a
non-SMTP backend such as the test outbox).
"""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from communities import cycle
from communities.models import Community, CommunityStat, StatStatus
from core.roles import Role

from .models import Message, ReportingPeriod

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def email_configured() -> bool:
    backend = getattr(settings, "EMAIL_BACKEND", SMTP)
    return backend != SMTP or getattr(settings, "EMAIL_HOST", "localhost") not in ("", "localhost")


def notify(*, user, key: str, kind: str, subject: str, body: str = "", url: str = "") -> bool:
    """Write one message (and e-mail it) unless ``key`` was sent before; say whether it was new."""
    if Message.objects.filter(key=key).exists():
        return False
    try:
        with transaction.atomic():
            Message.objects.create(
                recipient=user, key=key[:200], kind=kind, subject=subject[:200], body=body, url=url
            )
    except IntegrityError:  # the same event from a concurrent run
        return False
    if user.email and email_configured():
        transaction.on_commit(
            lambda: send_mail(
                subject, f"{body}\n\n{url}".strip(), None, [user.email], fail_silently=True
            )
        )
    return True


def staff_of(code: str):
    """Active staff bound to the community or to its street."""
    return User.objects.filter(
        role=Role.STAFF, is_active=True, scope_code__in=[code, code[:9]]
    ).order_by("username")


def officials_at(code: str, level: str):
    """Active officials of ``level`` above the community ``code``."""
    length = {"street": 9, "county": 6, "prefecture": 4, "province": 2}[level]
    return User.objects.filter(
        role=Role.OFFICIAL, is_active=True, scope_code=code[:length]
    ).order_by("username")


def stat_url(stat) -> str:
    return reverse("stat-detail", args=[stat.pk])


def on_step(sender, *, stat, user, name, reason="", **kwargs) -> None:
    """The statistics' workflow took a step: tell whoever acts next."""
    community = stat.community
    if name == "return":
        for staff in staff_of(stat.community_id):
            notify(
                user=staff,
                key=f"returned:{stat.pk}:v{stat.version}:{staff.pk}",
                kind="returned",
                subject=f"{community.name}{stat.year}年度统计被退回",
                body=f"退回原因：{reason}。请修改后重新上报。",
                url=stat_url(stat),
            )
        return
    level = cycle.next_level(stat)
    if stat.status != StatStatus.SUBMITTED or level is None:
        return
    for official in officials_at(stat.community_id, level):
        notify(
            user=official,
            key=f"waiting:{stat.pk}:v{stat.version}:{official.pk}",
            kind="waiting",
            subject=f"{community.name}{stat.year}年度统计等待您审核",
            body=f"{community.name}已上报{stat.year}年度统计，等待{cycle.LEVEL_NAMES[level]}一级审核。",
            url=stat_url(stat),
        )


def not_submitted(scope_code: str, year: int):
    """Communities under ``scope_code`` whose row of ``year`` is missing, a draft or returned."""
    reached = CommunityStat.objects.filter(
        community=OuterRef("pk"),
        year=year,
        status__in=(StatStatus.SUBMITTED, StatStatus.APPROVED),
    )
    return Community.objects.under(scope_code).filter(~Exists(reached)).order_by("code")


def send_reminders(today: datetime.date | None = None) -> int:
    """The daily reminders: staff whose row is not submitted within ``reminder_days`` of the
    due date (one reminder per period, community and person). Return the messages written."""
    today = today or timezone.localdate(timezone=cycle.REPORTING_TZ)
    sent = 0
    periods = ReportingPeriod.objects.filter(due_on__gte=today)
    for period in periods:
        if today < period.due_on - datetime.timedelta(days=period.reminder_days):
            continue
        days = (period.due_on - today).days
        for community in not_submitted("62", period.year):
            for staff in staff_of(community.code):
                sent += notify(
                    user=staff,
                    key=f"reminder:{period.year}:{community.code}:{staff.pk}",
                    kind="reminder",
                    subject=f"请于{period.due_on:%Y年%-m月%-d日}前上报{community.name}{period.year}年度统计",
                    body=f"距截止日期还有 {days} 天，{community.name}{period.year}年度统计尚未上报。",
                    url=reverse("community-detail", args=[community.code]),
                )
    return sent


def urge(*, scope_code: str, year: int, user) -> int:
    """催报: message the staff of every community under ``scope_code`` not yet submitted (once a
    day per community and person). Return the messages written."""
    today = timezone.localdate(timezone=cycle.REPORTING_TZ)
    period = ReportingPeriod.objects.filter(year=year).first()
    due = f"（截止日期 {period.due_on:%Y年%-m月%-d日}）" if period else ""
    sent = 0
    for community in not_submitted(scope_code, year):
        for staff in staff_of(community.code):
            sent += notify(
                user=staff,
                key=f"urge:{year}:{community.code}:{staff.pk}:{today.isoformat()}",
                kind="urge",
                subject=f"催报：请尽快上报{community.name}{year}年度统计",
                body=f"{user.get_full_name() or user.username}提醒：{community.name}{year}年度统计尚未上报{due}。",
                url=reverse("community-detail", args=[community.code]),
            )
    return sent


def unread_count(user) -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()
