"""Who may do what with communities, their yearly statistics and social organisations."""

from core.policy import (
    ADD,
    CHANGE,
    DELETE,
    AdminWritesPolicy,
    RecordPolicy,
    may_approve_under,
    may_write_under,
    register,
)
from core.roles import Role, role_of

from . import cycle
from .models import Community, CommunityStat, SocialOrganization, StatStatus
from .workflow import BUTTON_STEPS, STAT_WORKFLOW

# Staff edit a row until it is submitted; after that only an official's return reopens it.
EDITABLE = (StatStatus.DRAFT, StatStatus.RETURNED)


class CommunityPolicy(AdminWritesPolicy):
    """The hierarchy is official reference data: administrators create, rename and delete
    communities; staff record when their community's 3D digital model was completed and how
    many residents' groups it has."""

    staff_fields = frozenset({"digital_3d_completed_on", "resident_groups"})

    def can_change(self, user, row=None) -> bool:
        if role_of(user) == Role.STAFF:
            return row is None or may_write_under(user, self.code_of(row))
        return super().can_change(user, row)

    def can_delete(self, user, row=None) -> bool:
        return self.can_write(user, row)

    def editable_fields(self, user, row):
        return None if role_of(user) == Role.ADMIN else set(self.staff_fields)


class StatPolicy(RecordPolicy):
    """Yearly statistics: staff write drafts; officials above approve or return them."""

    transition_messages = {
        "submit": "您无权上报该社区的数据。",
        "approve": "您无权审核该社区的数据：只有上级民政干部和省级管理员可以审核。",
        "return": "您无权审核该社区的数据：只有上级民政干部和省级管理员可以退回。",
    }
    workflow_fields = frozenset(
        {"status", "return_reason", "submitted_at", "reviewed_at", "reviewed_by"}
    )

    def can_change(self, user, row=None) -> bool:
        if not super().can_change(user, row):
            return False
        return row is None or role_of(user) == Role.ADMIN or row.status in EDITABLE

    def can_transition(self, user, name: str, row=None) -> bool:
        code = self.code_of(row) if row is not None else None
        if name == "submit":
            return self.can_write(user, row)
        if name in ("approve", "approve_level", "return"):
            if row is None:
                return role_of(user) in (Role.ADMIN, Role.OFFICIAL)
            if not may_approve_under(user, code):
                return False
            if not isinstance(row, CommunityStat):
                return True
            # With a reporting period, only the level the row waits for approves it.
            if name == "return":
                return cycle.may_return(user, row)
            return cycle.may_approve(user, row)
        return False

    def transitions(self, user, row) -> list[str]:
        return [
            step.name
            for step in STAT_WORKFLOW.available(row.status)
            if step.name in BUTTON_STEPS and self.can_transition(user, step.name, row)
        ]

    def message(self, action, target=None) -> str:
        if action in ("approve", "approve_level") and isinstance(target, CommunityStat):
            wanted = cycle.next_level(target)
            if target.approval_levels and wanted:
                return f"该统计正等待{cycle.LEVEL_NAMES[wanted]}一级审核，您不能审核。"
            if target.approval_levels:
                return "该统计已通过各级审核。"
        if action == "approve_level":
            action = "approve"
        if action in self.transition_messages:
            return self.transition_messages[action]
        locked = isinstance(target, CommunityStat) and target.status not in EDITABLE
        if action == CHANGE and locked:
            return f"该年度统计{target.get_status_display()}，不能再修改；如需修改请联系上级审核部门退回。"
        if action == DELETE and locked:
            return f"该年度统计{target.get_status_display()}，不能删除；如需修改请联系上级审核部门退回。"
        if action in (ADD, CHANGE, DELETE):
            return "您无权修改该社区的数据：只有本社区（或所在街道）的社区工作人员和省级管理员可以录入。"
        return super().message(action, target)


register(Community, CommunityPolicy)
register(CommunityStat, StatPolicy)
register(SocialOrganization)
