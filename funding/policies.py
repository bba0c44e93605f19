"""Who may do what with budget lines and yearly targets.

Budget lines: the officials of a region write that region's own lines (a county's officials
the county's, not its streets'), administrators every region's; officials above the region
approve or return them, as for the yearly statistics. Yearly targets are plan data: the
provincial administrators write them, and a prefecture's officials may raise (never lower)
those of the counties under it.
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
from core.roles import Role, role_of
from core.scoping import CODE_LENGTHS, code_is_under

from .models import BudgetLine, YearlyTarget
from .workflow import BUDGET_WORKFLOW

EDITABLE = ("draft", "returned")


class BudgetLinePolicy(RecordPolicy):
    write_roles = frozenset({Role.ADMIN, Role.OFFICIAL})
    messages = {
        **RecordPolicy.messages,
        ADD: "您无权录入该区划的专项经费：只有本级民政干部和省级管理员可以录入本级预算。",
        CHANGE: "您无权修改该区划的专项经费：只有本级民政干部和省级管理员可以修改。",
        DELETE: "您无权删除该区划的专项经费。",
    }
    transition_messages = {
        "submit": "您无权上报该区划的专项经费。",
        "approve": "您无权审核该区划的专项经费：只有上级民政干部和省级管理员可以审核。",
        "return": "您无权退回该区划的专项经费：只有上级民政干部和省级管理员可以退回。",
    }

    def can_write(self, user, target=None) -> bool:
        role = role_of(user)
        if role == Role.ADMIN:
            return True
        if role != Role.OFFICIAL:
            return False
        return target is None or is_official_of(user, self.code_of(target))

    def can_change(self, user, row=None) -> bool:
        if not self.can_write(user, row):
            return False
        return row is None or role_of(user) == Role.ADMIN or row.status in EDITABLE

    def can_transition(self, user, name: str, row=None) -> bool:
        if name == "submit":
            return self.can_write(user, row)
        if name in ("approve", "return"):
            role = role_of(user)
            if role == Role.ADMIN:
                return True
            if row is None:
                return role == Role.OFFICIAL
            return is_official_above(user, self.code_of(row))
        return False

    def transitions(self, user, row) -> list[str]:
        return [
            step.name
            for step in BUDGET_WORKFLOW.available(row.status)
            if self.can_transition(user, step.name, row)
        ]

    def message(self, action, target=None) -> str:
        if action in self.transition_messages:
            return self.transition_messages[action]
        locked = isinstance(target, BudgetLine) and target.status not in EDITABLE
        if action in (CHANGE, DELETE) and locked:
            return (
                f"该预算{target.get_status_display()}，不能再修改；如需修改请联系上级审核部门退回。"
            )
        return super().message(action, target)


class YearlyTargetPolicy(AdminWritesPolicy):
    write_roles = frozenset({Role.ADMIN, Role.OFFICIAL})
    messages = {
        **AdminWritesPolicy.messages,
        ADD: "年度目标由省级管理员制定；市州民政干部只能为所辖县区制定更严格的目标。",
        CHANGE: "年度目标由省级管理员制定；市州民政干部只能为所辖县区提高目标。",
        DELETE: "只有省级管理员可以删除年度目标。",
    }

    def can_write(self, user, target=None) -> bool:
        role = role_of(user)
        if role == Role.ADMIN:
            return True
        if role != Role.OFFICIAL or len(user.scope_code or "") != CODE_LENGTHS["prefecture"]:
            return False
        code = self.code_of(target)
        return code is None or (
            len(code) == CODE_LENGTHS["county"] and code_is_under(code, user.scope_code)
        )

    def can_delete(self, user, row=None) -> bool:
        return role_of(user) == Role.ADMIN


register(BudgetLine, BudgetLinePolicy)
register(YearlyTarget, YearlyTargetPolicy)
