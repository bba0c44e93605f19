"""The self-check's workflow steps, each one call of ``core.workflow.transition_run``."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from core.workflow import transition_run

from .models import StandardCheck
from .workflow import CHECK_WORKFLOW


def check_review(*, check: StandardCheck, user, expected_version=None, note: str = ""):
    """The street confirms the self-check (审核通过)."""
    return transition_run(
        workflow=CHECK_WORKFLOW,
        instance=check,
        user=user,
        name="review",
        expected_version=expected_version,
        changes={"reviewed_at": timezone.now(), "reviewed_by": user, "review_note": note.strip()},
        audit_detail={"check": check.pk, "year": check.year, "result": "reviewed"},
    )


def check_return(*, check: StandardCheck, user, note: str, expected_version=None):
    """The street returns the self-check with its reason."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"review_note": "退回时必须填写审核意见。"})
    return transition_run(
        workflow=CHECK_WORKFLOW,
        instance=check,
        user=user,
        name="return",
        expected_version=expected_version,
        changes={"reviewed_at": timezone.now(), "reviewed_by": user, "review_note": note},
        audit_detail={"check": check.pk, "year": check.year, "result": "returned"},
    )


def check_submit(*, check: StandardCheck, user, expected_version=None):
    """The facility submits a returned self-check again."""
    return transition_run(
        workflow=CHECK_WORKFLOW,
        instance=check,
        user=user,
        name="submit",
        expected_version=expected_version,
        audit_detail={"check": check.pk, "year": check.year, "result": "submitted"},
    )
