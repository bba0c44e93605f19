"""Personal data (resident ID numbers, phones): masked everywhere unless shown on purpose.

One rule for every channel: full numbers go only to a user who holds the permission to see
personal data (``accounts.view_personal_data``), only where the channel shows them on purpose
(the API and Excel exports when asked with ``?unmask=1``; the Django admin's record pages,
which are the records office itself), and every such showing leaves an audit row.
"""

from django.core.exceptions import PermissionDenied

from .audit import audit

VIEW_PERSONAL_DATA = "view_personal_data"
REFUSED = "您无权查看完整的身份证号码和电话。"


def asked_to_unmask(request) -> bool:
    """Say whether the request asks for full numbers (``?unmask=1``)."""
    return str(request.GET.get("unmask", "")).lower() in ("1", "true", "yes")


def may_see_personal_data(user) -> bool:
    """Say whether ``user`` holds the permission to see full ID numbers and phones."""
    return bool(user and user.is_authenticated and user.can_view_personal_data())


def unmask_decision(request, *, asked: bool, strict: bool = False) -> bool:
    """Return whether full numbers are shown for this request.

    ``asked`` says the channel shows them on purpose; without the permission the answer is
    masked, or 403 when ``strict`` (an API client that asked must learn it was refused).
    """
    if not asked:
        return False
    if may_see_personal_data(request.user):
        return True
    if strict:
        raise PermissionDenied(REFUSED)
    return False


def personal_data_audit(request, *, detail: dict) -> None:
    """Record that full ID numbers or phones were shown (never the numbers themselves)."""
    audit(
        action=VIEW_PERSONAL_DATA,
        user=request.user,
        request=request,
        scope_code=getattr(request.user, "scope", ""),
        detail=detail,
    )
