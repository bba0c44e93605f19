"""The reporting pages' and API's request vocabulary: ``scope`` and ``year`` (latest period)."""

from dataclasses import dataclass

from communities.scopes import Scope, scope_param
from targets.params import parse_year, this_year

from .models import ReportingPeriod


@dataclass(frozen=True)
class ReportingParams:
    scope: Scope
    year: int
    period: ReportingPeriod | None


def default_year() -> int:
    """The latest period's year, or last year when no period is set."""
    latest = ReportingPeriod.objects.order_by("-year").values_list("year", flat=True).first()
    return latest or this_year() - 1


def reporting_params(user, query) -> ReportingParams:
    """Parse ``scope`` (default: the user's own) and ``year`` (default: the latest period)."""
    scope = scope_param(user, query.get("scope"))
    raw = query.get("year")
    year = default_year() if raw in (None, "") else parse_year(raw)
    return ReportingParams(scope, year, ReportingPeriod.objects.filter(year=year).first())
