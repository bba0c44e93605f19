"""Writes with side effects for users: the audit trail."""

import ipaddress
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from .models import AuditAction, AuditLog


def client_ip(request) -> str | None:
    """Return the client's address for the lockout and the audit log.

    Without proxies that is REMOTE_ADDR. Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, each
    of which appends the address it saw to X-Forwarded-For, it is that many entries from the
    right: entries further left are whatever the client chose to send and are not trusted.
    """
    if request is None:
        return None
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count > 0:
        forwarded = [
            a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()
        ]
        if len(forwarded) >= count:
            try:
                return str(ipaddress.ip_address(forwarded[-count]))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR") or None


def refusals_exhausted(user, ip: str | None) -> bool:
    """Say whether the user (or, anonymous, the address) has used up the window's refusal rows.

    Refused attempts are recorded up to ``AUDIT_REFUSALS_PER_WINDOW = (count, seconds)`` per
    user, so that a script hammering forbidden URLs cannot flood the log; the last row of a
    window says that further attempts were left out.
    """
    count, seconds = getattr(settings, "AUDIT_REFUSALS_PER_WINDOW", (20, 600))
    since = timezone.now() - timedelta(seconds=seconds)
    rows = AuditLog.objects.filter(action=AuditAction.PERMISSION_DENIED, created_at__gte=since)
    if user is not None and user.pk is not None:
        rows = rows.filter(user=user)
    elif ip:
        rows = rows.filter(user__isnull=True, ip_address=ip)
    else:
        rows = rows.filter(user__isnull=True, ip_address__isnull=True)
    return rows.count() >= count


def audit_record(
    *,
    action: AuditAction | str,
    request=None,
    user=None,
    username: str = "",
    scope_code: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditLog:
    """Append one row to the audit log."""
    if user is None and request is not None and getattr(request, "user", None) is not None:
        if request.user.is_authenticated:
            user = request.user
    if user is not None and not username:
        username = user.get_username()
    if action == AuditAction.PERMISSION_DENIED and refusals_exhausted(user, client_ip(request)):
        return None
    return AuditLog.objects.create(
        action=action,
        user=user,
        username=username[:150],
        ip_address=client_ip(request),
        scope_code=scope_code,
        detail=detail or {},
    )
