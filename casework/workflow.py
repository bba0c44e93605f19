"""The request pipeline as data: 受理 → 分派 → 签收 → 办结 → 回访, with its side paths."""

from core.workflow import Transition, Workflow

from .models import OPEN_STATUSES, CaseStatus

S = CaseStatus
HANDLING = (S.DISPATCHED, S.IN_PROGRESS)

CASE_WORKFLOW = Workflow(
    Transition("dispatch", "分派", (S.REGISTERED, S.RETURNED), S.DISPATCHED),
    Transition("accept", "签收", (S.DISPATCHED,), S.IN_PROGRESS),
    Transition("send_back", "退单", HANDLING, S.RETURNED),
    Transition("escalate", "上报上级", HANDLING, S.DISPATCHED),
    Transition("resolve", "办结", (S.IN_PROGRESS,), S.RESOLVED),
    Transition("rate", "回访", (S.RESOLVED,), S.CLOSED),
    Transition("reopen", "不满意重办", (S.RESOLVED,), S.IN_PROGRESS),
    Transition("urge", "催办", tuple(OPEN_STATUSES), None),
    Transition("extend", "申请延期", (S.IN_PROGRESS,), None),
    Transition("grant_extension", "批准延期", tuple(OPEN_STATUSES), None),
    Transition("refuse_extension", "不予延期", tuple(OPEN_STATUSES), None),
)

# Steps the unit in charge takes; steps the registering side takes; steps of the level above.
UNIT_STEPS = frozenset({"accept", "send_back", "escalate", "resolve", "extend"})
DESK_STEPS = frozenset({"dispatch", "rate", "reopen"})
SUPERVISOR_STEPS = frozenset({"urge"})
ABOVE_UNIT_STEPS = frozenset({"grant_extension", "refuse_extension"})
