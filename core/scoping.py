"""The one scoping rule: a user sees what lies under their division code.

Official codes nest (province 2 digits, prefecture 4, county 6, street 9, community 12), so
"everything under X" is a prefix match. It is written as a range on the code column
(``X <= code < X + ':'``, ':' sorting right after '9') so that SQLite and PostgreSQL both
answer it from the column's ordinary index.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404

PROVINCE_CODE = "62"
CODE_LENGTHS = {"province": 2, "prefecture": 4, "county": 6, "street": 9, "community": 12}
LEVEL_BY_LENGTH = {length: level for level, length in CODE_LENGTHS.items()}
# What the pages, reports and the command line call each level.
LEVEL_LABELS = {
    "province": "省",
    "prefecture": "市州",
    "county": "县区",
    "street": "街道（乡镇）",
    "community": "社区",
}
NOT_FOUND_MESSAGE = "未找到，或不在您的管辖范围内。"


def prefix_q(field: str, code: str) -> models.Q:
    """Return a Q keeping rows whose ``field`` starts with ``code``."""
    return models.Q(**{f"{field}__gte": code, f"{field}__lt": code + ":"})


#: Roles of 三员分立 that see no record (``core.roles.Role.SECURITY``, ``Role.AUDITOR``).
SEPARATED_ROLES = frozenset({"security", "auditor"})


def user_scope_code(user) -> str | None:
    """Return the code a user may see under, or None for nobody."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return PROVINCE_CODE
    if getattr(user, "role", None) in SEPARATED_ROLES:
        return None  # the security and audit administrators see no record (core.roles)
    return getattr(user, "scope_code", None) or None


def code_is_under(code: str | None, scope: str | None) -> bool:
    """Say whether ``code`` lies under (or is) ``scope``."""
    return bool(code) and bool(scope) and code.startswith(scope)


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows which column carries the row's official code.

    Models set ``SCOPE_FIELD`` to that column (``code`` or ``community_id`` …).
    """

    def under(self, code: str):
        """Keep the rows under ``code``."""
        return self.filter(prefix_q(self.model.SCOPE_FIELD, code))

    def visible_to(self, user):
        """Keep the rows ``user`` may see; nothing for anonymous or inactive users."""
        scope = user_scope_code(user)
        if scope is None:
            return self.none()
        return self.under(scope)


def get_visible_or_404(model, user, key, *, message: str = NOT_FOUND_MESSAGE):
    """Return the ``model`` row with primary key ``key`` that ``user`` may see, else 404.

    A row that does not exist and one outside the user's scope raise the same ``Http404``
    with the same message, so no channel tells the two apart.
    """
    try:
        return model.objects.visible_to(user).get(pk=key)
    except (model.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404(message) from None
