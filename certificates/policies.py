"""Who issues and revokes certificates: the recording organisation's side (谁记录谁证明).

Staff of the volunteer's community (and administrators) issue for the community or any of its
organisations; an organisation's manager issues for that organisation. Nobody edits or deletes
a certificate: it is frozen, and a wrong one is revoked.
"""

from core.policy import ADD, CHANGE, DELETE, RecordPolicy, register
from volunteers.models import VolunteerOrganization

from .models import Certificate


class CertificatePolicy(RecordPolicy):
    messages = {
        **RecordPolicy.messages,
        ADD: "您无权为该志愿者出具证明：须由记录服务的组织（本社区工作人员或组织负责人）出具。",
        CHANGE: "志愿服务证明出具后不能修改；如有错误，请撤销后重新出具。",
        DELETE: "志愿服务证明不能删除；如有错误，请撤销。",
        "revoke": "您无权撤销该证明。",
    }

    def can_issue(self, user, volunteer, organization=None) -> bool:
        """Say whether ``user`` may issue for ``volunteer`` from ``organization``'s records."""
        if (
            organization is not None
            and organization.manager_id
            and organization.manager_id == user.pk
        ):
            return True
        return self.can_write(user, volunteer.scope_code)

    def can_add(self, user, parent=None) -> bool:
        if super().can_add(user, parent):
            return True
        # An organisation's manager issues for it, wherever the manager's own scope lies.
        code = self.code_of(parent)
        return bool(
            code
            and user is not None
            and user.is_authenticated
            and VolunteerOrganization.objects.filter(community_id=code, manager=user).exists()
        )

    def can_change(self, user, row=None) -> bool:
        return False

    def can_delete(self, user, row=None) -> bool:
        return False

    def can_transition(self, user, name: str, row=None) -> bool:
        if name != "revoke":
            return False
        if row is None:
            return self.can_write(user)
        return self.can_issue(user, row.volunteer, row.organization)

    def transitions(self, user, row) -> list[str]:
        return ["revoke"] if row.is_valid and self.can_transition(user, "revoke", row) else []


register(Certificate, CertificatePolicy)
