"""The volunteer register: written by the staff of its community and administrators.

Service records follow 谁记录谁证明: a record is confirmed by the manager of the organisation
that recorded it, or by a community staff member (or an administrator) other than its recorder.
"""

from core.policy import (
    ADD,
    CHANGE,
    DELETE,
    VIEW,
    AdminWritesPolicy,
    RecordPolicy,
    may_write_under,
    register,
)
from core.roles import Role, role_of
from core.scoping import code_is_under, user_scope_code

from .models import (
    ServiceRecord,
    StarThreshold,
    TransferRequest,
    Volunteer,
    VolunteerOrganization,
)
from .workflow import EDITABLE, RECORD_WORKFLOW, TRANSFER_DECISIONS, TRANSFER_WORKFLOW

SETTLE = ("confirm", "refuse")


def is_manager_of(user, record) -> bool:
    """Say whether ``user`` is the manager of the organisation that recorded ``record``."""
    return bool(
        record.organization_id
        and user is not None
        and user.is_authenticated
        and record.organization.manager_id == user.pk
    )


class ServiceRecordPolicy(RecordPolicy):
    """Staff of the community record; the organisation's manager or another staff confirms."""

    transition_messages = {
        "confirm": "您无权确认该记录：须由记录组织的负责人或记录人以外的本社区工作人员确认。",
        "refuse": "您无权处理该记录：须由记录组织的负责人或记录人以外的本社区工作人员处理。",
        "dispute": "您无权为该记录提出更正申请。",
    }

    def can_change(self, user, row=None) -> bool:
        if not super().can_change(user, row):
            return False
        return row is None or row.status in EDITABLE

    def can_transition(self, user, name: str, row=None) -> bool:
        if name == "bulk":  # many records of one activity at once: an add
            return self.can_add(user, row)
        if name not in RECORD_WORKFLOW.transitions:
            return False
        if row is None:
            return role_of(user) in (Role.ADMIN, Role.STAFF)
        if name == "dispute":
            return self.can_write(user, row) or is_manager_of(user, row)
        if name in SETTLE:
            if is_manager_of(user, row):
                return True
            # Four eyes: whoever recorded the service does not confirm it.
            if row.recorder_id is not None and row.recorder_id == user.pk:
                return False
            return self.can_write(user, row)
        return False

    def transitions(self, user, row) -> list[str]:
        return [
            step.name
            for step in RECORD_WORKFLOW.available(row.status)
            if self.can_transition(user, step.name, row)
        ]

    def message(self, action, target=None) -> str:
        if action in self.transition_messages:
            return self.transition_messages[action]
        locked = isinstance(target, ServiceRecord) and target.status not in EDITABLE
        if action in (CHANGE, DELETE) and locked:
            return (
                f"该服务记录{target.get_status_display()}，不能修改或删除；"
                "如有错误，请由志愿者提出更正申请。"
            )
        return super().message(action, target)


class StarThresholdPolicy(AdminWritesPolicy):
    scoped = False
    messages = {
        **AdminWritesPolicy.messages,
        ADD: "只有省级管理员可以修改星级标准。",
        CHANGE: "只有省级管理员可以修改星级标准。",
        DELETE: "只有省级管理员可以修改星级标准。",
    }


class VolunteerPolicy(RecordPolicy):
    """DESIGN.md's rule; an ID number registered outside the user's scope is a counted hit."""

    def on_invalid(self, user, instance, error) -> None:
        from .duplicates import duplicate_id_hit

        codes = [e.code for e in getattr(error, "error_dict", {}).get("id_number", [])]
        if "unique" not in codes:
            return
        other = (
            Volunteer.objects.filter(id_number=instance.id_number)
            .exclude(pk=instance.pk)
            .values_list("community_id", flat=True)
            .first()
        )
        if other is not None and not code_is_under(other, user_scope_code(user)):
            duplicate_id_hit(user=user, channel="record")


def may_decide_transfer(user, from_code: str | None, to_code: str | None) -> bool:
    """Say whether ``user`` approves a transfer from ``from_code`` to ``to_code``.

    The official of a level that covers both communities, or of the sending street
    (the street that registered the volunteer releases them); administrators too.
    """
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    if role != Role.OFFICIAL or not from_code or not to_code:
        return False
    scope = user_scope_code(user)
    covers_both = code_is_under(from_code, scope) and code_is_under(to_code, scope)
    return covers_both or scope == from_code[:9]


class TransferRequestPolicy(RecordPolicy):
    """Staff of the receiving community ask; the official above both (or the sending street)
    decides; nobody edits or deletes a request, which only moves through its workflow.

    Before approval the asking side sees the request but not the volunteer: who may see the
    volunteer's details is the volunteer policy's own answer (``can_see_volunteer``).
    """

    transition_messages = {
        "approve": "您无权审核该转移申请：须由覆盖转出和转入社区的上级，或转出社区所在街道审核。",
        "refuse": "您无权审核该转移申请：须由覆盖转出和转入社区的上级，或转出社区所在街道审核。",
        "withdraw": "只有提出申请的社区工作人员可以撤回该申请。",
    }
    messages = {
        **RecordPolicy.messages,
        ADD: "您无权提出转移申请：只有转入社区的社区工作人员可以申请。",
        CHANGE: "转移申请提交后不能修改，只能撤回后重新申请。",
        DELETE: "转移申请不能删除。",
    }

    def visible_to(self, user):
        if role_of(user) not in self.view_roles:
            return self.model._default_manager.none()
        scope = user_scope_code(user)
        if scope is None:
            return self.model._default_manager.none()
        return self.model._default_manager.under(scope)

    def can_view(self, user, row=None) -> bool:
        if role_of(user) not in self.view_roles:
            return False
        if row is None:
            return True
        scope = user_scope_code(user)
        return code_is_under(row.to_community_id, scope) or code_is_under(
            row.from_community_id, scope
        )

    def can_add(self, user, parent=None) -> bool:
        if role_of(user) not in (Role.ADMIN, Role.STAFF):
            return False
        return parent is None or may_write_under(user, self.code_of(parent))

    def can_change(self, user, row=None) -> bool:
        return False

    def can_delete(self, user, row=None) -> bool:
        return False

    def can_transition(self, user, name: str, row=None) -> bool:
        if name not in TRANSFER_WORKFLOW.transitions:
            return False
        if name in TRANSFER_DECISIONS:
            if row is None:
                return role_of(user) in (Role.ADMIN, Role.OFFICIAL)
            return may_decide_transfer(user, row.from_community_id, row.to_community_id)
        if row is None:
            return role_of(user) in (Role.ADMIN, Role.STAFF)
        return may_write_under(user, row.to_community_id)

    def transitions(self, user, row) -> list[str]:
        return [
            step.name
            for step in TRANSFER_WORKFLOW.available(row.status)
            if self.can_transition(user, step.name, row)
        ]

    def can_see_volunteer(self, user, row) -> bool:
        """Say whether ``user`` may see who the request names (the volunteer where they are now)."""
        if may_decide_transfer(user, row.from_community_id, row.to_community_id):
            return True
        return policy_for_volunteer().can(user, VIEW, row.volunteer.community_id)

    def message(self, action, target=None) -> str:
        return self.transition_messages.get(action) or super().message(action, target)


def policy_for_volunteer():
    from core.policy import policy_for

    return policy_for(Volunteer)


register(VolunteerOrganization)
register(Volunteer, VolunteerPolicy)
register(ServiceRecord, ServiceRecordPolicy)
register(StarThreshold, StarThresholdPolicy)
register(TransferRequest, TransferRequestPolicy)
