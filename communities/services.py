"""Yearly statistics: writes and the draft → submitted → approved / returned workflow.

Who may take each step is the statistics' policy (``communities.policies.StatPolicy``);
which states a step leaves from is ``communities.workflow.STAT_WORKFLOW``; the step itself
runs through ``core.workflow.transition_run`` (version, history, audit).
"""

from django.core.exceptions import ValidationError
from django.utils import timezone

from core.policy import policy_for
from core.services import record_save
from core.workflow import transition_run

from .models import CommunityStat, StatStatus
from .workflow import STAT_WORKFLOW

APPROVAL = "approval"  # the audit log's action for approvals and returns


def stat_save(
    *, stat: CommunityStat, user, data: dict | None = None, expected_version: int | None = None
) -> CommunityStat:
    """Create or update a stats row as ``user`` (staff under their code, admins anywhere)."""
    for field, value in (data or {}).items():
        setattr(stat, field, value)
    if stat.status == StatStatus.RETURNED and not stat.pk:
        stat.status = StatStatus.DRAFT
    return record_save(instance=stat, user=user, expected_version=expected_version)


def stat_submit(*, stat: CommunityStat, user, expected_version: int | None = None) -> CommunityStat:
    """Submit a draft or returned row for approval (staff of the community, or an admin)."""
    return transition_run(
        workflow=STAT_WORKFLOW,
        instance=stat,
        user=user,
        name="submit",
        expected_version=expected_version,
        changes={"submitted_at": timezone.now()},
        audit_action="record_change",
    )


def stat_approve(*, stat: CommunityStat, user, expected_version: int | None = None) -> CommunityStat:
    """Approve a submitted row (an official above the community, or an admin)."""
    return transition_run(
        workflow=STAT_WORKFLOW,
        instance=stat,
        user=user,
        name="approve",
        expected_version=expected_version,
        changes={"reviewed_at": timezone.now(), "reviewed_by": user, "return_reason": ""},
        audit_action=APPROVAL,
        audit_detail={"stat": stat.pk, "year": stat.year, "result": "approved"},
    )


def stat_return(
    *, stat: CommunityStat, user, reason: str, expected_version: int | None = None
) -> CommunityStat:
    """Return a submitted or approved row to the community with a reason."""
    policy_for(CommunityStat).require(user, "return", stat)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "退回时必须填写退回原因。"})
    return transition_run(
        workflow=STAT_WORKFLOW,
        instance=stat,
        user=user,
        name="return",
        expected_version=expected_version,
        changes={"reviewed_at": timezone.now(), "reviewed_by": user, "return_reason": reason[:500]},
        audit_action=APPROVAL,
        audit_detail={"stat": stat.pk, "year": stat.year, "result": "returned"},
    )
