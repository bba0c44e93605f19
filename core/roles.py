"""The roles of DESIGN.md, the two of 三员分立, and the codes each may be bound to.

Besides the three roles that work with the records (the system administrator 省级管理员,
officials and staff), 等保 §8.1.4.2 separates the security administrator (users, roles,
scopes, permissions, unlocks) and the audit administrator (reads the audit log, nothing
else). Neither sees a record: their scope is nobody's (``core.scoping.user_scope_code``).

A user has one role over one code. The role vocabulary lives here so that the user model,
the record policies and every channel use the same words; who may do what with a record is
answered by the policies (``core.policy``), never by testing a role in a view.
"""

from django.db import models

from .scoping import CODE_LENGTHS


class Role(models.TextChoices):
    ADMIN = "admin", "省级管理员"
    OFFICIAL = "official", "民政干部"
    STAFF = "staff", "社区工作人员"
    SECURITY = "security", "安全管理员"
    AUDITOR = "auditor", "审计管理员"


#: The roles that work with the records; the others administer accounts or read the log.
RECORD_ROLES = frozenset({Role.ADMIN, Role.OFFICIAL, Role.STAFF})


# Which code lengths each role may be bound to (DESIGN.md, roles).
ROLE_SCOPE_LENGTHS = {
    Role.ADMIN: {CODE_LENGTHS["province"]},
    Role.OFFICIAL: {CODE_LENGTHS["prefecture"], CODE_LENGTHS["county"], CODE_LENGTHS["street"]},
    Role.STAFF: {CODE_LENGTHS["street"], CODE_LENGTHS["community"]},
    Role.SECURITY: {CODE_LENGTHS["province"]},
    Role.AUDITOR: {CODE_LENGTHS["province"]},
}


def role_of(user) -> str | None:
    """Return the role of an active signed-in user (a superuser is an admin), else None."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    role = getattr(user, "role", None)
    return role if role in Role.values else None
