"""Budget lines: writes and the statistics' workflow; yearly targets: writes with the
prefecture's "stricter only" rule.

Who may take each step is ``funding.policies``; the step runs through
``core.workflow.transition_run`` (version, history, audit), as for the yearly statistics.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone

from core.policy import policy_for
from core.roles import Role, role_of
from core.services import record_delete, record_save
from core.workflow import transition_run

from .models import BudgetLine, YearlyTarget
from .workflow import BUDGET_WORKFLOW

APPROVAL = "approval"


def budget_line_save(
    *, line: BudgetLine, user, data: dict | None = None, expected_version: int | None = None
) -> BudgetLine:
    """Create or update a budget line as ``user`` (officials of the region, admins anywhere)."""
    for field, value in (data or {}).items():
        setattr(line, field, value)
    if line.status == "returned" and not line.pk:
        line.status = "draft"
    return record_save(instance=line, user=user, expected_version=expected_version)


def budget_line_submit(*, line: BudgetLine, user, expected_version: int | None = None):
    return transition_run(
        workflow=BUDGET_WORKFLOW,
        instance=line,
        user=user,
        name="submit",
        expected_version=expected_version,
        changes={"submitted_at": timezone.now()},
        audit_action="record_change",
    )


def budget_line_approve(*, line: BudgetLine, user, expected_version: int | None = None):
    return transition_run(
        workflow=BUDGET_WORKFLOW,
        instance=line,
        user=user,
        name="approve",
        expected_version=expected_version,
        changes={"reviewed_at": timezone.now(), "reviewed_by": user, "return_reason": ""},
        audit_action=APPROVAL,
        audit_detail={"budget_line": line.pk, "year": line.year, "result": "approved"},
    )


def budget_line_return(*, line: BudgetLine, user, reason: str, expected_version: int | None = None):
    policy_for(BudgetLine).require(user, "return", line)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "退回时必须填写退回原因。"})
    return transition_run(
        workflow=BUDGET_WORKFLOW,
        instance=line,
        user=user,
        name="return",
        expected_version=expected_version,
        changes={"reviewed_at": timezone.now(), "reviewed_by": user, "return_reason": reason[:500]},
        audit_action=APPROVAL,
        audit_detail={"budget_line": line.pk, "year": line.year, "result": "returned"},
    )


def yearly_target_save(
    *, target: YearlyTarget, user, expected_version: int | None = None
) -> YearlyTarget:
    """Save a yearly target; a prefecture official's must be no lower than what applies now."""
    if role_of(user) == Role.OFFICIAL:
        from .year_targets import inherited_rate

        floor = inherited_rate(target)
        if floor is not None and target.rate is not None and target.rate < floor:
            raise ValidationError(
                {"rate": f"市州制定的目标不能低于省级目标（{floor:.4f}），只能更严格。"}
            )
    return record_save(instance=target, user=user, expected_version=expected_version)


def yearly_target_delete(*, target: YearlyTarget, user, expected_version: int | None = None):
    return record_delete(instance=target, user=user, expected_version=expected_version)
