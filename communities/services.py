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

from . import cycle
from .models import CommunityStat, StatStatus
from .signals import stat_transitioned
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
    if None not in (stat.community_id, stat.year):
        errors = cycle.errors_of(stat)  # data-quality rules of severity "error"
        if errors:
            raise ValidationError(errors)
    return record_save(instance=stat, user=user, expected_version=expected_version)


def _now():
    return timezone.now()


def stat_submit(*, stat: CommunityStat, user, expected_version: int | None = None) -> CommunityStat:
    """Submit a draft or returned row for approval (staff of the community, or an admin).

    The row takes the levels of its year's reporting period; the first submission is the one
    that counts for being on time (on or before the due date, Asia/Shanghai).
    """
    rules = cycle.rules_for(stat.year)
    now = _now()

    def changes(fresh):
        first = fresh.first_submitted_at or now
        return {
            "submitted_at": now,
            "first_submitted_at": first,
            "submitted_on_time": cycle.on_time(first, rules.due_on),
            "approval_levels": list(rules.levels),
            "approvals": [],
            "approved_levels": 0,
        }

    stat = transition_run(
        workflow=STAT_WORKFLOW,
        instance=stat,
        user=user,
        name="submit",
        expected_version=expected_version,
        changes=changes,
        audit_action="record_change",
    )
    return _announce(stat, user, "submit")


def stat_approve(
    *, stat: CommunityStat, user, expected_version: int | None = None
) -> CommunityStat:
    """Approve a submitted row at the level it waits for (or in one step without a period).

    An intermediate level's approval keeps the row ``submitted`` and adds to ``approvals``;
    the last level's makes it ``approved``.
    """
    name = "approve" if cycle.completes(stat) else "approve_level"
    now = _now()
    level = cycle.next_level(stat) or cycle.user_level(user) or "province"

    def changes(fresh):
        entry = {"level": level, "user": user.username, "at": now.isoformat()}
        return {
            "reviewed_at": now,
            "reviewed_by": user,
            "return_reason": "",
            "approvals": [*(fresh.approvals or []), entry],
            "approved_levels": fresh.approved_levels + 1,
        }

    stat = transition_run(
        workflow=STAT_WORKFLOW,
        instance=stat,
        user=user,
        name=name,
        expected_version=expected_version,
        changes=changes,
        audit_action=APPROVAL,
        audit_detail={"stat": stat.pk, "year": stat.year, "result": "approved", "level": level},
    )
    return _announce(stat, user, name)


def stat_return(
    *, stat: CommunityStat, user, reason: str, expected_version: int | None = None
) -> CommunityStat:
    """Return a submitted or approved row to the community with a reason.

    Every approval so far is voided; the audit row lists them.
    """
    policy_for(CommunityStat).require(user, "return", stat)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "退回时必须填写退回原因。"})
    stat = transition_run(
        workflow=STAT_WORKFLOW,
        instance=stat,
        user=user,
        name="return",
        expected_version=expected_version,
        changes={
            "reviewed_at": _now(),
            "reviewed_by": user,
            "return_reason": reason[:500],
            "approvals": [],
            "approved_levels": 0,
        },
        audit_action=APPROVAL,
        audit_detail=lambda fresh: {
            "stat": stat.pk,
            "year": stat.year,
            "result": "returned",
            "level": cycle.user_level(user),
            "reason": reason[:500],
            "voided": list(fresh.approvals or []),
        },
    )
    return _announce(stat, user, "return", reason[:500])


def _announce(stat: CommunityStat, user, name: str, reason: str = "") -> CommunityStat:
    """Tell the apps above that a step was taken (the reporting cycle's messages)."""
    stat_transitioned.send(sender=CommunityStat, stat=stat, user=user, name=name, reason=reason)
    return stat
