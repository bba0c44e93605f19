"""Who may do what with the catalogue and the self-checks."""

from core.policy import (
    CHANGE,
    DELETE,
    AdminWritesPolicy,
    RecordPolicy,
    may_approve_under,
    register,
)
from core.roles import Role, role_of

from .models import CheckStatus, ServiceStandard, StandardCheck
from .workflow import CHECK_WORKFLOW


class CataloguePolicy(AdminWritesPolicy):
    """The catalogue is plan data: everyone reads it, provincial administrators write it."""

    scoped = False


class CheckPolicy(RecordPolicy):
    """Self-checks: the facility's staff record them until the street has reviewed them;
    officials of the street (or above) review or return them."""

    transition_messages = {
        "submit": "您无权提交该设施的自查。",
        "review": "您无权审核该自查：只有所在街道及上级的民政干部和省级管理员可以审核。",
        "return": "您无权退回该自查：只有所在街道及上级的民政干部和省级管理员可以退回。",
    }

    def can_change(self, user, row=None) -> bool:
        if not super().can_change(user, row):
            return False
        return row is None or role_of(user) == Role.ADMIN or row.status != CheckStatus.REVIEWED

    def can_transition(self, user, name: str, row=None) -> bool:
        if name == "submit":
            return self.can_write(user, row)
        if name in ("review", "return"):
            if row is None:
                return role_of(user) in (Role.ADMIN, Role.OFFICIAL)
            return may_approve_under(user, self.code_of(row))
        return False

    def transitions(self, user, row) -> list[str]:
        return [
            step.name
            for step in CHECK_WORKFLOW.available(row.status)
            if self.can_transition(user, step.name, row)
        ]

    def message(self, action, target=None) -> str:
        if action in self.transition_messages:
            return self.transition_messages[action]
        reviewed = isinstance(target, StandardCheck) and target.status == CheckStatus.REVIEWED
        if action in (CHANGE, DELETE) and reviewed:
            return "该自查已经街道审核，不能再修改；如需修改请联系街道退回。"
        return super().message(action, target)


register(ServiceStandard, CataloguePolicy)
register(StandardCheck, CheckPolicy)
