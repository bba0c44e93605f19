"""Users, their groups and the audit log are the provincial administrators' alone."""

from django.contrib.auth.models import Group

from core.policy import AdminOnlyPolicy, register

from .models import AuditLog, User


class AuditLogPolicy(AdminOnlyPolicy):
    """Append-only: read by administrators, written by nobody (rows come from audit_record)."""

    write_roles = frozenset()


register(User, AdminOnlyPolicy)
register(Group, AdminOnlyPolicy)
register(AuditLog, AuditLogPolicy)
