"""What every portal page shows about the signed-in user: scope name and reachable links."""

from functools import cached_property

from core.scoping import CODE_LENGTHS, user_scope_code

from .scopes import UnknownScope, resolve_scope

# The indicator the "failing communities" link opens first: the first community indicator.
DEFAULT_FAILING_INDICATOR = "community_station"


class PortalUser:
    """Lazy facts about ``user`` for the layout; the scope's name costs one query, on use."""

    default_indicator = DEFAULT_FAILING_INDICATOR

    def __init__(self, user):
        self.user = user
        self.scope_code = user_scope_code(user) or ""

    @property
    def is_community_scope(self) -> bool:
        return len(self.scope_code) == CODE_LENGTHS["community"]

    @cached_property
    def scope_name(self) -> str:
        return scope_display_name(self.scope_code)


def scope_display_name(code: str) -> str:
    """Return the Chinese name of a division, street or community code (the code if unknown)."""
    if not code:
        return ""
    try:
        return resolve_scope(code).name
    except UnknownScope:
        return code


def portal(request):
    """Add ``portal`` (the signed-in user's scope facts) to every template."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"portal": None}
    return {"portal": PortalUser(user)}
