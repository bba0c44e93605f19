"""Writes with side effects for users: the audit trail."""

import ipaddress
from typing import Any

from django.conf import settings

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
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= count:
            try:
                return str(ipaddress.ip_address(forwarded[-count]))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR") or None


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
    return AuditLog.objects.create(
        action=action,
        user=user,
        username=username[:150],
        ip_address=client_ip(request),
        scope_code=scope_code,
        detail=detail or {},
    )
