"""The yearly statistics' workflow: draft → submitted → approved, or returned with a reason.

With a reporting period a submitted row is approved level by level (communities/cycle.py):
an intermediate level's approval keeps it ``submitted`` (``approve_level``), the last
level's makes it ``approved`` (``approve``). A return voids every approval so far.
"""

from core.workflow import Transition, Workflow

from .models import StatStatus

STAT_WORKFLOW = Workflow(
    Transition("submit", "上报", (StatStatus.DRAFT, StatStatus.RETURNED), StatStatus.SUBMITTED),
    Transition("approve", "审核通过", (StatStatus.SUBMITTED,), StatStatus.APPROVED),
    Transition("approve_level", "本级审核通过", (StatStatus.SUBMITTED,), StatStatus.SUBMITTED),
    Transition("return", "退回", (StatStatus.SUBMITTED, StatStatus.APPROVED), StatStatus.RETURNED),
)

# Steps a button offers; ``approve_level`` is the same button as ``approve``.
BUTTON_STEPS = ("submit", "approve", "return")
