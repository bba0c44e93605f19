"""The audit trail as core sees it: one call, written by the app that keeps the log.

Core writes an audit row with every user-visible write, but the log itself (a table of users'
actions) belongs to ``accounts``, which stands above core. ``settings.AUDIT_RECORDER`` names
the function that appends a row, as ``AUTH_USER_MODEL`` names the user model.
"""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string
from simple_history.models import HistoricalRecords

RECORD_ADD = "record_add"
RECORD_CHANGE = "record_change"
RECORD_DELETE = "record_delete"
#: A refused attempt (403/404 on a row or a page outside the user's rights); the log keeps a
#: few per user and window (``AUDIT_REFUSALS_PER_WINDOW``) so that it cannot be flooded.
PERMISSION_DENIED = "permission_denied"


@cache
def _recorder():
    return import_string(settings.AUDIT_RECORDER)


def current_request():
    """Return the request being served, if any.

    simple-history's ``HistoryRequestMiddleware`` keeps it for the length of each request;
    a command, a worker or a shell has none.
    """
    return getattr(HistoricalRecords.context, "request", None)


def audit(*, action: str, user=None, request=None, scope_code: str = "", detail=None):
    """Append one row to the audit log (never with a full ID number or phone in it).

    A service that is not handed the request (a workflow step, a save through core.services)
    still records the client's address: the request being served is taken from the
    middleware that keeps it.
    """
    if request is None:
        request = current_request()
    return _recorder()(
        action=action, user=user, request=request, scope_code=scope_code, detail=detail or {}
    )


def record_detail(instance, **extra) -> dict:
    """Describe a written record for the audit log: its kind, key and version."""
    detail = {"model": instance._meta.label_lower, "pk": str(instance.pk)}
    version = getattr(instance, "version", None)
    if version is not None:
        detail["version"] = version
    detail.update(extra)
    return detail


def audit_refusal(*, user=None, request=None, scope_code: str = "", **detail):
    """Record a refused attempt (rate-limited per user by the recorder)."""
    return audit(
        action=PERMISSION_DENIED, user=user, request=request, scope_code=scope_code, detail=detail
    )
