"""Record refused attempts: a signed-in user's request answered 403 or 404.

A row outside the user's scope answers 404 like a missing one (never 403, which would tell
that it exists), so every 404 of a signed-in user is recorded; ``audit_record`` keeps at most
``AUDIT_REFUSALS_PER_WINDOW`` of them per user and window, so the log cannot be flooded.
"""

from core.audit import audit_refusal
from core.validators import CONTROL_CHARACTERS

REFUSED = (403, 404)


class AuditRefusalsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in REFUSED:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                audit_refusal(
                    user=user,
                    request=request,
                    scope_code=getattr(user, "scope_code", "") or "",
                    # The log keeps text a database can store (no NUL or other control character).
                    path=CONTROL_CHARACTERS.sub("", request.path[:300]),
                    method=request.method,
                    status=response.status_code,
                )
        return response
