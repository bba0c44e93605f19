"""Scopes: a division, street or community code resolved to its name and level."""

from dataclasses import dataclass

from django.http import Http404

from communities.models import Community
from core.scoping import CODE_LENGTHS, LEVEL_BY_LENGTH, get_visible_or_404, user_scope_code
from streets.models import Division, Street

LEVELS = list(CODE_LENGTHS)  # province … community, top down


class UnknownScope(Exception):
    """A code that is not a division, street or community."""

    def __init__(self, code):
        self.code = code
        super().__init__(f"未知的区划代码：{code}")


SCOPE_NOT_FOUND = "未找到该区划，或不在您的管辖范围内。"


class ScopeNotFound(Http404):
    """A scope a user asked for and may not have: unknown, malformed or outside their own.

    The three answer alike (STYLE.md, missing and forbidden), and as an ``Http404`` the same
    way in every channel: the 404 page, the API's 404 with this message, the Excel downloads.
    """

    def __init__(self, code=""):
        self.code = code
        super().__init__(SCOPE_NOT_FOUND)


@dataclass(frozen=True)
class Scope:
    code: str
    name: str
    level: str  # province / prefecture / county / street / community


def child_level(level: str) -> str | None:
    """Return the level one step below ``level`` (None below a community)."""
    index = LEVELS.index(level)
    return LEVELS[index + 1] if index + 1 < len(LEVELS) else None


def _lookup(code: str) -> Scope | None:
    level = LEVEL_BY_LENGTH.get(len(code))
    if level is None or not code.isascii() or not code.isdigit():
        return None
    if level == "community":
        row = Community.objects.filter(code=code).values_list("name", flat=True).first()
    elif level == "street":
        row = Street.objects.filter(code=code).values_list("name", flat=True).first()
    else:
        row = Division.objects.filter(code=code, level=level).values_list("name", flat=True).first()
    return None if row is None else Scope(code, row, level)


def resolve_scope(code) -> Scope:
    """Return the scope of ``code``; raise ``UnknownScope`` if no such division exists."""
    code = str(code or "").strip()
    scope = _lookup(code)
    if scope is None:
        raise UnknownScope(code)
    return scope


def _model_of(level: str):
    if level == "community":
        return Community
    if level == "street":
        return Street
    return Division


def scope_param(user, raw=None) -> Scope:
    """Return the scope a request names (the user's own when ``raw`` is blank).

    Every channel parses its ``scope`` here: the code is looked up with
    ``get_visible_or_404``, so an unknown code and one outside the user's scope both raise
    ``ScopeNotFound``.
    """
    code = (user_scope_code(user) or "") if raw in (None, "") else str(raw).strip()
    level = LEVEL_BY_LENGTH.get(len(code))
    if level is None or not code.isascii() or not code.isdigit():
        raise ScopeNotFound(code)
    try:
        row = get_visible_or_404(_model_of(level), user, code)
    except Http404:
        raise ScopeNotFound(code) from None
    if getattr(row, "level", level) != level:  # a division whose code has another length
        raise ScopeNotFound(code)
    return Scope(row.code, row.name, level)


def scope_path(code) -> list[Scope]:
    """Return the scopes from the province down to ``code`` (breadcrumbs)."""
    scope = resolve_scope(code)
    prefixes = [scope.code[:n] for n in sorted(CODE_LENGTHS.values()) if n < len(scope.code)]
    names = dict(Division.objects.filter(code__in=prefixes).values_list("code", "name"))
    names.update(Street.objects.filter(code__in=prefixes).values_list("code", "name"))
    path = [Scope(p, names[p], LEVEL_BY_LENGTH[len(p)]) for p in prefixes if p in names]
    path.append(scope)
    return path


def child_units(code: str) -> list[tuple[str, str]]:
    """Return ``(code, name)`` of the units one level below ``code``, in code order (one query)."""
    level = child_level(LEVEL_BY_LENGTH.get(len(code), "community"))
    if level in ("prefecture", "county"):
        rows = Division.objects.under(code).filter(level=level)
    elif level == "street":
        rows = Street.objects.under(code)
    elif level == "community":
        rows = Community.objects.under(code)
    else:
        return []
    return list(rows.order_by("code").values_list("code", "name"))
