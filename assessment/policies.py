"""Who may do what in a 目标考核.

Schemes are plan data: everyone reads them, provincial administrators write them. A round
belongs to its unit: the unit's own official fills the self-assessment (自评) and submits it;
an official of a level above the unit scores it (上级评分) and may override an automatic score
with a reason; the provincial administrators review (复核) and finalise (定等). Before
finalisation a sheet is seen only under its unit's code (``AssessmentQuerySet.visible_to``).
"""

from core.policy import (
    ADD,
    CHANGE,
    DELETE,
    AdminWritesPolicy,
    RecordPolicy,
    is_official_above,
    is_official_of,
    register,
)
from core.roles import RECORD_ROLES, Role, role_of
from core.scoping import code_is_under, user_scope_code

from .models import Assessment, EvidenceFile, ItemScore, Scheme, SchemeItem, Status
from .workflow import ASSESSMENT_WORKFLOW


class SchemePolicy(AdminWritesPolicy):
    scoped = False

    def can_transition(self, user, name: str, row=None) -> bool:
        return name in ("launch", "rank") and role_of(user) == Role.ADMIN


class AssessmentPolicy(RecordPolicy):
    """Rounds are opened for every unit by the administrators (``scheme_launch``); their
    scores change only through the steps of ``ASSESSMENT_WORKFLOW``."""

    write_roles = frozenset({Role.ADMIN})
    workflow_fields = frozenset(
        {"status", "total", "automatic_total", "deducted", "is_vetoed", "grade", "rank"}
    )
    transition_messages = {
        "submit": "只有被考核单位的民政干部可以提交自评。",
        "score": "只有被考核单位的上级民政干部可以评分。",
        "review": "只有省级管理员可以复核。",
        "finalise": "只有省级管理员可以定等。",
        "enter": "您无权在当前环节填写该单位的得分。",
    }

    def can_view(self, user, row=None) -> bool:
        if role_of(user) not in RECORD_ROLES:
            return False
        if row is None:
            return True
        return row.status == Status.FINAL or code_is_under(row.unit_code, user_scope_code(user))

    def can_change(self, user, row=None) -> bool:
        """Changing a round is entering its scores at the current stage (``enter``)."""
        return self.can_transition(user, "enter", row)

    def can_delete(self, user, row=None) -> bool:
        return False

    def can_transition(self, user, name: str, row=None) -> bool:
        role = role_of(user)
        if role not in (Role.ADMIN, Role.OFFICIAL):
            return False
        if row is None:
            return role == Role.ADMIN or name in ("enter", "submit", "score")
        code = row.unit_code
        if name == "enter":
            if row.status == Status.SELF_ASSESSMENT:
                return role == Role.ADMIN or is_official_of(user, code)
            if row.status == Status.SCORING:
                return role == Role.ADMIN or is_official_above(user, code)
            return role == Role.ADMIN and row.status == Status.REVIEW
        if name == "submit":
            return role == Role.ADMIN or is_official_of(user, code)
        if name == "score":
            return role == Role.ADMIN or is_official_above(user, code)
        return name in ("review", "finalise") and role == Role.ADMIN

    def transitions(self, user, row) -> list[str]:
        return [
            step.name
            for step in ASSESSMENT_WORKFLOW.available(row.status)
            if step.name != "enter" and self.can_transition(user, step.name, row)
        ]

    def message(self, action, target=None) -> str:
        if action in self.transition_messages:
            return self.transition_messages[action]
        if action in (ADD, CHANGE, DELETE):
            return "考核由省级管理员按方案发起；得分只能在各考核环节中填写。"
        return super().message(action, target)


class ScorePolicy(RecordPolicy):
    """Item scores are written by the round's steps only (``assessment.services``)."""

    write_roles = frozenset()

    def can_view(self, user, row=None) -> bool:
        if row is None or not isinstance(row, ItemScore):
            return role_of(user) in RECORD_ROLES
        return AssessmentPolicy(Assessment).can_view(user, row.assessment)


register(Scheme, SchemePolicy)
register(SchemeItem, SchemePolicy)
register(Assessment, AssessmentPolicy)
register(ItemScore, ScorePolicy)
register(EvidenceFile, ScorePolicy)
