"""No lost work when a session ends: htmx gets a clear answer, a form posted after the idle
timeout keeps its data through the login, and a warning comes before the timeout.

The idle timeout is ``SESSION_COOKIE_AGE`` (30 minutes, renewed by every request); the
warning comes ``SESSION_WARNING_SECONDS`` before it (two minutes).
"""

import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.views.decorators.http import require_GET

PENDING_FORM = "pending_form"
EXPIRED_MESSAGE = "登录已过期，请重新登录。"
# Never kept across the login: the CSRF token is stale, passwords are not stored.
NOT_KEPT = ("csrfmiddlewaretoken",)


def login_url(next_path: str) -> str:
    return f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': next_path})}"


class PortalLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Django's login-required rule, answering the cases a redirect would lose.

    - htmx: a 401 with a short message (the page shows it with a link to log in again),
      never the login page inside a panel;
    - a form posted after the session ended: its fields are kept in the new session and
      the page is filled in again after the login (``pending_form`` below).
    """

    def handle_no_permission(self, request, view_func):
        if request.headers.get("HX-Request"):
            current = request.headers.get("HX-Current-URL", "")
            response = HttpResponse(
                EXPIRED_MESSAGE, status=401, content_type="text/plain; charset=utf-8"
            )
            response["X-Login-URL"] = login_url(_local_path(current) or request.get_full_path())
            return response
        if request.method == "POST" and not request.FILES:
            request.session[PENDING_FORM] = {
                "path": request.get_full_path(),
                "at": int(time.time()),
                "fields": [
                    [name, value]
                    for name, values in request.POST.lists()
                    if name not in NOT_KEPT and "password" not in name
                    for value in values
                ],
            }
            return HttpResponseRedirect(login_url(request.get_full_path()))
        return super().handle_no_permission(request, view_func)


def _local_path(url: str) -> str:
    """Return the path and query of a full URL of this site ('' for anything else)."""
    parts = urlsplit(url)
    if not parts.path.startswith("/"):
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


def session_context(request) -> dict:
    """Template context: the idle timeout and the form data kept across a login, once."""
    if not request.user.is_authenticated:
        return {}
    context = {
        "session_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": getattr(settings, "SESSION_WARNING_SECONDS", 120),
    }
    pending = request.session.get(PENDING_FORM)
    if pending and request.method == "GET" and pending.get("path") == request.get_full_path():
        del request.session[PENDING_FORM]
        # Kept no longer than one idle period: a browser left overnight restores nothing.
        if time.time() - pending.get("at", 0) <= settings.SESSION_COOKIE_AGE:
            context["pending_form"] = pending["fields"]
    return context


@require_GET
def keep_alive(request):
    """Renew the session (every request does; this one answers nothing)."""
    return HttpResponse(status=204)
