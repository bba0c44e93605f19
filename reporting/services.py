"""Writes of the reporting cycle: periods (and the rows they govern) and approving a whole unit.

Each approval is one ``communities.services.stat_approve``, so it runs through
``core.workflow.transition_run`` (policy, version, history, audit) like a single approval.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, Exists, OuterRef, Q, Value, When

from communities import cycle
from communities.models import Community, CommunityStat, StatStatus
from communities.services import stat_approve
from core.figures import figures_deferred
from core.services import record_delete, record_save

from .models import ReportingPeriod

REACHED = (StatStatus.SUBMITTED, StatStatus.APPROVED)


def sync_year(period: ReportingPeriod) -> None:
    """Bring the year's rows in line with the period: on-time flags and the levels still to pass.

    Two UPDATE statements: the flag follows the due date (first submission before the end of
    the due date, Asia/Shanghai); rows still waiting take the period's levels.
    """
    stats = CommunityStat.objects.filter(year=period.year)
    cutoff = cycle.due_cutoff(period.due_on)
    stats.filter(first_submitted_at__isnull=False).update(
        submitted_on_time=Case(
            When(first_submitted_at__lt=cutoff, then=Value(True)), default=Value(False)
        )
    )
    levels = list(period.approval_levels)
    stats.filter(status=StatStatus.SUBMITTED, approved_levels__lt=len(levels)).update(
        approval_levels=levels
    )


def period_save(*, period: ReportingPeriod, user) -> ReportingPeriod:
    """Validate and save a period (provincial administrators), then sync the year's rows."""
    with transaction.atomic():
        record_save(instance=period, user=user)
        sync_year(period)
    return period


def period_delete(*, period: ReportingPeriod, user) -> None:
    record_delete(instance=period, user=user)


class UnitBlocked(Exception):
    """Rows below a unit have not reached the level before the caller's."""

    def __init__(self, blocking: list[str]):
        self.blocking = blocking
        super().__init__("以下社区尚未完成下级审核，不能整体审核：" + "、".join(blocking))


@dataclass
class UnitResult:
    level: str
    approved: list[str]


def approve_unit(*, scope_code: str, year: int, user) -> UnitResult:
    """Approve at ``user``'s level every row under ``scope_code`` that waits for that level.

    DHIS2's rule: allowed only when every community below has reached the level before
    (submitted, for the first level); otherwise ``UnitBlocked`` names the communities that
    hold it back, and nothing is approved.
    """
    period = ReportingPeriod.objects.filter(year=year).first()
    if period is None:
        raise PermissionDenied(f"{year}年度没有设置填报周期，不能整体审核。")
    level = cycle.user_level(user)
    if level not in period.approval_levels:
        raise PermissionDenied("您所在层级不是该年度的审核层级。")
    index = period.approval_levels.index(level)
    reached = CommunityStat.objects.filter(
        community=OuterRef("pk"), year=year, status__in=REACHED
    ).filter(Q(status=StatStatus.APPROVED) | Q(approved_levels__gte=index))
    blocking = list(
        Community.objects.under(scope_code)
        .filter(~Exists(reached))
        .order_by("code")
        .values_list("code", flat=True)
    )
    if blocking:
        raise UnitBlocked(blocking)
    waiting = (
        CommunityStat.objects.under(scope_code)
        .filter(year=year, status=StatStatus.SUBMITTED, approved_levels=index)
        .order_by("community_id")
    )
    done = []
    with figures_deferred():  # one atomic block; the communities' figures once, at the end
        for stat in waiting:
            stat_approve(stat=stat, user=user)
            done.append(stat.community_id)
    return UnitResult(level=level, approved=done)
