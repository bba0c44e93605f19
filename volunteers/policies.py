"""The volunteer register: written by the staff of its community and administrators.

Service records follow 谁记录谁证明: a record is confirmed by the manager of the organisation
that recorded it, or by a community staff member (or an administrator) other than its recorder.
"""

from core.policy import ADD, CHANGE, DELETE, AdminWritesPolicy, RecordPolicy, register
from core.roles import Role, role_of
from core.scoping import code_is_under, user_scope_code

from .models import ServiceRecord, StarThreshold, Volunteer, VolunteerOrganization
from .workflow import EDITABLE, RECORD_WORKFLOW

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


register(VolunteerOrganization)
register(Volunteer, VolunteerPolicy)
register(ServiceRecord, ServiceRecordPolicy)
register(StarThreshold, StarThresholdPolicy)
