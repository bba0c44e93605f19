"""Yearly statistics: writes and the draft → submitted → approved / returned workflow."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import AuditAction
from accounts.services import audit_record
from core.services import StaleVersionError, record_save, require

from .models import CommunityStat, StatStatus

STAT_FIELDS = (
    "households",
    "residents",
    "party_members",
    "party_members_volunteering",
    "residents_volunteering",
)


def stat_can_edit(*, stat: CommunityStat, user) -> bool:
    """Say whether ``user`` may change the figures of ``stat``."""
    if user.is_admin:
        return True
    return user.can_write_under(stat.community_id) and stat.status in (StatStatus.DRAFT, StatStatus.RETURNED)


def stat_save(
    *, stat: CommunityStat, user, data: dict | None = None, expected_version: int | None = None
) -> CommunityStat:
    """Create or update a stats row as ``user`` (staff under their code, admins anywhere)."""
    require(user.can_write_under(stat.community_id), "您无权修改该社区的数据。")
    if stat.pk:
        current = CommunityStat.objects.filter(pk=stat.pk).values_list("status", flat=True).first()
        if current in (StatStatus.SUBMITTED, StatStatus.APPROVED) and not user.is_admin:
            label = StatStatus(current).label
            raise PermissionDenied(f"该年度统计{label}，不能再修改；如需修改请联系上级退回。")
    for field, value in (data or {}).items():
        setattr(stat, field, value)
    if stat.status == StatStatus.RETURNED and not stat.pk:
        stat.status = StatStatus.DRAFT
    return record_save(instance=stat, user=user, expected_version=expected_version)


def _transition(
    *, stat: CommunityStat, user, allowed_from: tuple[str, ...], to: str, expected_version: int | None, **changes
) -> CommunityStat:
    with transaction.atomic():
        fresh = CommunityStat.objects.select_for_update().get(pk=stat.pk)
        if expected_version is not None and int(expected_version) != fresh.version:
            raise StaleVersionError(fresh.version)
        if fresh.status not in allowed_from:
            raise ValidationError(
                {"status": f"当前状态为“{fresh.get_status_display()}”，不能执行该操作。"}
            )
        fresh.status = to
        for field, value in changes.items():
            setattr(fresh, field, value)
        fresh.version += 1
        fresh._history_user = user
        fresh.save()
    return fresh


def stat_submit(*, stat: CommunityStat, user, expected_version: int | None = None) -> CommunityStat:
    """Submit a draft or returned row for approval (staff of the community, or an admin)."""
    require(user.can_write_under(stat.community_id), "您无权上报该社区的数据。")
    return _transition(
        stat=stat,
        user=user,
        allowed_from=(StatStatus.DRAFT, StatStatus.RETURNED),
        to=StatStatus.SUBMITTED,
        expected_version=expected_version,
        submitted_at=timezone.now(),
    )


def stat_approve(*, stat: CommunityStat, user, expected_version: int | None = None) -> CommunityStat:
    """Approve a submitted row (an official above the community, or an admin)."""
    require(user.can_approve_under(stat.community_id), "您无权审核该社区的数据。")
    stat = _transition(
        stat=stat,
        user=user,
        allowed_from=(StatStatus.SUBMITTED,),
        to=StatStatus.APPROVED,
        expected_version=expected_version,
        reviewed_at=timezone.now(),
        reviewed_by=user,
        return_reason="",
    )
    audit_record(
        action=AuditAction.APPROVAL,
        user=user,
        scope_code=stat.community_id,
        detail={"stat": stat.pk, "year": stat.year, "result": "approved"},
    )
    return stat


def stat_return(
    *, stat: CommunityStat, user, reason: str, expected_version: int | None = None
) -> CommunityStat:
    """Return a submitted or approved row to the community with a reason."""
    require(user.can_approve_under(stat.community_id), "您无权审核该社区的数据。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "退回时必须填写退回原因。"})
    stat = _transition(
        stat=stat,
        user=user,
        allowed_from=(StatStatus.SUBMITTED, StatStatus.APPROVED),
        to=StatStatus.RETURNED,
        expected_version=expected_version,
        reviewed_at=timezone.now(),
        reviewed_by=user,
        return_reason=reason[:500],
    )
    audit_record(
        action=AuditAction.APPROVAL,
        user=user,
        scope_code=stat.community_id,
        detail={"stat": stat.pk, "year": stat.year, "result": "returned"},
    )
    return stat
