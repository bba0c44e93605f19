"""The three roles of DESIGN.md and the codes each may be bound to.

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


# Which code lengths each role may be bound to (DESIGN.md, roles).
ROLE_SCOPE_LENGTHS = {
    Role.ADMIN: {CODE_LENGTHS["province"]},
    Role.OFFICIAL: {CODE_LENGTHS["prefecture"], CODE_LENGTHS["county"], CODE_LENGTHS["street"]},
    Role.STAFF: {CODE_LENGTHS["street"], CODE_LENGTHS["community"]},
}


def role_of(user) -> str | None:
    """Return the role of an active signed-in user (a superuser is an admin), else None."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    role = getattr(user, "role", None)
    return role if role in Role.values else None

