"""The yearly statistics' workflow: draft → submitted → approved, or returned with a reason."""

from core.workflow import Transition, Workflow

from .models import StatStatus

STAT_WORKFLOW = Workflow(
    Transition("submit", "上报", (StatStatus.DRAFT, StatStatus.RETURNED), StatStatus.SUBMITTED),
    Transition("approve", "审核通过", (StatStatus.SUBMITTED,), StatStatus.APPROVED),
    Transition("return", "退回", (StatStatus.SUBMITTED, StatStatus.APPROVED), StatStatus.RETURNED),
)
