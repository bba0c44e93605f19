"""Writes with side effects for users: the audit trail."""

from typing import Any

from .models import AuditAction, AuditLog


def client_ip(request) -> str | None:
    """Return the request's remote address (the proxy sets REMOTE_ADDR in production)."""
    if request is None:
        return None
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
