"""Who may do what in the request pipeline.

- Registering (受理), dispatching (分派) and the 回访: the community's staff, or staff and
  officials above it (and administrators).
- Signing for, sending back, escalating, resolving and asking for more time: whoever acts for
  the handling unit (a user bound to the unit's code, or an administrator).
- Urging: officials above the community (and administrators).
- Granting or refusing an extension: an official of a level above the unit.
- Handling units: officials and administrators create them for their own area.
"""

from django.db.models import Q

from core.policy import CHANGE, DELETE, AdminWritesPolicy, RecordPolicy, register
from core.roles import Role, role_of
from core.scoping import code_is_under, prefix_q, user_scope_code

from .models import Case, CaseCategory, CaseStatus, HandlingUnit
from .workflow import ABOVE_UNIT_STEPS, CASE_WORKFLOW, DESK_STEPS, SUPERVISOR_STEPS, UNIT_STEPS

DESK_ROLES = (Role.STAFF, Role.OFFICIAL)


def may_register_under(user, code: str | None) -> bool:
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    return role in DESK_ROLES and code_is_under(code, user.scope_code)


def acts_for(user, unit) -> bool:
    """Say whether ``user`` acts for the handling ``unit`` (bound to its code, or an admin)."""
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    return unit is not None and role in DESK_ROLES and user.scope_code == unit.code


def above_unit(user, unit) -> bool:
    """An official of a level above ``unit`` (or an administrator)."""
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    if unit is None:
        return False
    scope = user.scope_code or ""
    return role == Role.OFFICIAL and code_is_under(unit.code, scope) and len(scope) < len(unit.code)


def ancestors(code: str) -> list[str]:
    return [code[:n] for n in (2, 4, 6, 9, 12) if n <= len(code)]


class CategoryPolicy(AdminWritesPolicy):
    scoped = False


class HandlingUnitPolicy(RecordPolicy):
    """Units under the user's code and the units above it (where requests may be sent)."""

    write_roles = frozenset({Role.ADMIN, Role.OFFICIAL})
    messages = {
        **RecordPolicy.messages,
        "add": "只有民政干部（本辖区）和省级管理员可以设立承办单位。",
        CHANGE: "只有民政干部（本辖区）和省级管理员可以修改承办单位。",
        DELETE: "只有民政干部（本辖区）和省级管理员可以删除承办单位。",
    }

    def visible_to(self, user):
        scope = user_scope_code(user)
        manager = self.model._default_manager
        if scope is None or role_of(user) not in self.view_roles:
            return manager.none()
        return manager.filter(prefix_q("code", scope) | Q(code__in=ancestors(scope)))

    def can_view(self, user, row=None) -> bool:
        if role_of(user) not in self.view_roles:
            return False  # the security and audit administrators open no record
        if row is None:
            return True
        scope = user_scope_code(user)
        return code_is_under(row.code, scope) or row.code in ancestors(scope or "")

    def can_write(self, user, target=None) -> bool:
        role = role_of(user)
        if role == Role.ADMIN:
            return True
        if role != Role.OFFICIAL:
            return False
        return target is None or code_is_under(self.code_of(target), user.scope_code)


class CasePolicy(RecordPolicy):
    write_roles = frozenset({Role.ADMIN, Role.STAFF, Role.OFFICIAL})
    messages = {
        **RecordPolicy.messages,
        "add": "您无权在该社区受理诉求：只有本社区（或上级）的工作人员、民政干部和省级管理员可以受理。",
        CHANGE: "诉求分派后不能再修改登记内容；只有受理方可以在分派前修改。",
        DELETE: "只有省级管理员可以删除诉求。",
    }
    transition_messages = {
        "dispatch": "您无权分派该诉求：只有受理社区或其上级可以分派。",
        "rate": "您无权登记该诉求的回访：只有受理社区或其上级可以回访。",
        "reopen": "您无权登记该诉求的回访：只有受理社区或其上级可以回访。",
        "urge": "您无权催办该诉求：只有上级民政干部和省级管理员可以催办。",
        "grant_extension": "您无权审批延期：只有承办单位的上级民政干部可以审批。",
        "refuse_extension": "您无权审批延期：只有承办单位的上级民政干部可以审批。",
    }
    unit_message = "您不是该诉求的承办单位，不能执行该操作。"

    def can_add(self, user, parent=None) -> bool:
        if parent is None:
            return role_of(user) in (Role.ADMIN, *DESK_ROLES)
        return may_register_under(user, self.code_of(parent))

    def can_change(self, user, row=None) -> bool:
        if row is None:
            return role_of(user) in (Role.ADMIN, *DESK_ROLES)
        return row.status == CaseStatus.REGISTERED and may_register_under(user, row.scope_code)

    def can_delete(self, user, row=None) -> bool:
        return role_of(user) == Role.ADMIN

    def can_transition(self, user, name: str, row=None) -> bool:
        if row is None:
            role = role_of(user)
            if name in SUPERVISOR_STEPS | ABOVE_UNIT_STEPS:
                return role in (Role.ADMIN, Role.OFFICIAL)
            return role in (Role.ADMIN, *DESK_ROLES)
        if name in DESK_STEPS:
            return may_register_under(user, row.scope_code)
        if name in UNIT_STEPS:
            return acts_for(user, row.handling_unit)
        if name in SUPERVISOR_STEPS:
            role = role_of(user)
            return role == Role.ADMIN or (
                role == Role.OFFICIAL and code_is_under(row.scope_code, user.scope_code)
            )
        if name in ABOVE_UNIT_STEPS:
            return above_unit(user, row.handling_unit)
        return False

    def transitions(self, user, row) -> list[str]:
        steps = [
            step.name
            for step in CASE_WORKFLOW.available(row.status)
            if self.can_transition(user, step.name, row)
        ]
        pending = row.extension_requested_days is not None
        return [
            s
            for s in steps
            if (s not in ABOVE_UNIT_STEPS or pending) and not (s == "extend" and pending)
        ]

    def message(self, action, target=None) -> str:
        if action in self.transition_messages:
            return self.transition_messages[action]
        if action in UNIT_STEPS:
            return self.unit_message
        return super().message(action, target)


register(CaseCategory, CategoryPolicy)
register(HandlingUnit, HandlingUnitPolicy)
register(Case, CasePolicy)
