"""The self-check's review by the street: submitted → reviewed, or returned and resubmitted."""

from core.workflow import Transition, Workflow

from .models import CheckStatus

CHECK_WORKFLOW = Workflow(
    Transition("submit", "重新提交", (CheckStatus.RETURNED,), CheckStatus.SUBMITTED),
    Transition("review", "审核通过", (CheckStatus.SUBMITTED,), CheckStatus.REVIEWED),
    Transition(
        "return", "退回", (CheckStatus.SUBMITTED, CheckStatus.REVIEWED), CheckStatus.RETURNED
    ),
)
