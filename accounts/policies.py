"""三员分立: users and groups are the security administrator's, the audit log the auditor's."""

from django.contrib.auth.models import Group

from core.policy import SeparatedRolePolicy, register
from core.roles import Role

from .models import AuditLog, User


class AccountPolicy(SeparatedRolePolicy):
    """Users, roles, scopes, groups and permissions: the security administrator."""

    role = Role.SECURITY


class AuditLogPolicy(SeparatedRolePolicy):
    """Append-only: read by the audit administrator, written by nobody (rows come from audit_record)."""

    role = Role.AUDITOR
    writes = False


register(User, AccountPolicy)
register(Group, AccountPolicy)
register(AuditLog, AuditLogPolicy)
