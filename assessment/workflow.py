"""The round of a 目标考核 as data: 自评 → 上级评分 → 省级复核 → 定等."""

from core.workflow import Transition, Workflow

from .models import Status

S = Status
OPEN = (S.SELF_ASSESSMENT, S.SCORING, S.REVIEW)

ASSESSMENT_WORKFLOW = Workflow(
    # Entering scores keeps the state: who may enter what depends on it (policies).
    Transition("enter", "填写得分", OPEN, None),
    Transition("submit", "提交自评", (S.SELF_ASSESSMENT,), S.SCORING),
    Transition("score", "提交评分", (S.SCORING,), S.REVIEW),
    Transition("review", "复核", (S.REVIEW,), None),
    Transition("finalise", "定等", (S.REVIEW,), S.FINAL),
)
#: The steps each button of the score sheet offers, in order (``enter`` is the form itself).
STEPS = ("submit", "score", "review", "finalise")
