"""The request vocabulary of compliance: which scope, which year, which plan.

The dashboards, the community pages, the API, the Excel downloads and the management
commands all read these three parameters here, with one year range, and raise the same
domain errors, which each channel maps the same way:

- ``communities.scopes.ScopeNotFound`` (an ``Http404``): a scope that is unknown or outside
  the user's answers 404 on a page, in the API and for a download alike;
- ``BadParameter`` (a ``ValidationError`` keyed by the parameter): a 400 ``{"year": ["…"]}``
  in the API and for the Excel report, a ``CommandError`` on the command line; pages fall
  back to the default year instead.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from communities.models import CommunityStat
from communities.scopes import Scope, UnknownScope, resolve_scope, scope_param
from core.dates import FIRST_YEAR, MAX_YEAR, MIN_YEAR

from .engine import DATA_CHOICES
from .models import Plan
from .plans import current_plan

PLAN_CODE = re.compile(r"[-a-zA-Z0-9_]{1,32}")


class BadParameter(ValidationError):
    """A ``year`` or ``plan`` (or other parameter) that cannot be used, with a Chinese message."""

    def __init__(self, field: str, message: str):
        super().__init__({field: [message]})
        self.field = field
        self.text = message


def this_year() -> int:
    """Return the current year in the portal's time zone."""
    return timezone.localdate().year


def current_plan_or_none() -> Plan | None:
    """Return the current plan, or None when an administrator has removed every plan."""
    try:
        return current_plan()
    except Plan.DoesNotExist:
        return None


def plan_param(raw) -> Plan:
    """Return the plan named by ``raw``, the current plan when blank; else ``BadParameter``."""
    if raw in (None, ""):
        plan = current_plan_or_none()
        if plan is None:
            raise BadParameter("plan", "尚未设置任何规划，请省级管理员先添加规划。")
        return plan
    code = str(raw)
    try:
        if not PLAN_CODE.fullmatch(code):
            raise Plan.DoesNotExist
        return Plan.objects.get(code=code)
    except Plan.DoesNotExist:
        raise BadParameter("plan", f"未知的规划：{code[:40]}。") from None


def parse_year(raw) -> int:
    """Return the year written in ``raw``: a whole number from MIN_YEAR to MAX_YEAR."""
    text = str(raw).strip()
    if not text.isascii() or not text.isdigit() or not MIN_YEAR <= int(text) <= MAX_YEAR:
        raise BadParameter("year", f"年度必须是{MIN_YEAR}至{MAX_YEAR}之间的整数。")
    return int(text)


def year_param(raw, plan: Plan) -> int:
    """Return the year asked for, the plan's target year when blank; else ``BadParameter``."""
    return plan.target_year if raw in (None, "") else parse_year(raw)


def year_or_default(raw, default: int) -> int:
    """Return the year a page asks for, or ``default`` when it is blank or unusable."""
    try:
        return parse_year(raw)
    except BadParameter:
        return default


def year_choices(plan: Plan | None = None) -> list[int]:
    """Return the years a selector offers, oldest first: the plan's years (2010 to its target
    year; without a plan, to this year) and any later year that has yearly statistics.

    A year past the plan with no data is not offered: it would show nothing but gaps. It can
    still be asked for by address, and the pages then say that it has no statistics.
    """
    last = plan.target_year if plan else this_year()
    later = (
        CommunityStat.objects.filter(year__gt=last)
        .order_by()
        .values_list("year", flat=True)
        .distinct()
    )
    return list(range(FIRST_YEAR, last + 1)) + sorted(set(later))


@dataclass(frozen=True)
class ComplianceParams:
    """A compliance question: one scope, one year, one plan."""

    scope: Scope
    year: int
    plan: Plan
    data: str = "all"  # or "approved": statistics approved at every level only


def data_param(raw) -> str:
    """Return ``all`` (the default) or ``approved``; else ``BadParameter``."""
    value = "all" if raw in (None, "") else str(raw).strip()
    if value not in DATA_CHOICES:
        raise BadParameter("data", "data 只能是 all（全部数据）或 approved（仅审核通过的数据）。")
    return value


def compliance_params(user, query) -> ComplianceParams:
    """Parse ``scope``, ``year``, ``plan`` and ``data`` of a request (API, Excel report).

    Defaults: the user's own scope, the plan's target year, the current plan, all data.
    """
    plan = plan_param(query.get("plan"))
    year = year_param(query.get("year"), plan)
    data = data_param(query.get("data"))
    scope = scope_param(user, query.get("scope"))
    return ComplianceParams(scope=scope, year=year, plan=plan, data=data)


def command_params(*, scope, year, plan) -> ComplianceParams:
    """Parse the command line's ``--scope``, ``--year`` and ``--plan``.

    The operator at the command line sees the whole province, so the only unusable scope is
    one that does not exist (``BadParameter`` naming it).
    """
    plan = plan_param(plan)
    year = year_param(year, plan)
    try:
        found = resolve_scope(scope)
    except UnknownScope as exc:
        raise BadParameter("scope", str(exc)) from None
    return ComplianceParams(scope=found, year=year, plan=plan)
