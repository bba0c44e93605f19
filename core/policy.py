"""Record policies: one object per kind of record says who may see, add, change and delete it.

Pages, forms, the Django admin, the REST API and the Excel importer ask the policy of a model
(``policy_for(Model)``) and never test a role or a status themselves. A policy answers

- ``visible_to(user)``: the rows the user may see (the code-prefix rule, ``core.scoping``);
- ``can(user, action, target)``: ``view``, ``add``, ``change``, ``delete`` or a workflow
  transition (``submit``, ``approve`` …), where ``target`` is a row, a parent's code (for
  ``add``) or None ("may this user do this to rows of this kind at all?");
- ``transitions(user, row)``: the workflow steps the user may take on the row now;
- ``editable_fields(user, row)``: the fields the user may change (None: all of them).

The default policy is DESIGN.md's: administrators write everything, community staff write the
records under their own code, officials read. Apps register their own in ``policies.py``.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied

from .roles import RECORD_ROLES, Role, role_of
from .scoping import code_is_under, user_scope_code

VIEW = "view"
ADD = "add"
CHANGE = "change"
DELETE = "delete"
RECORD_ACTIONS = (VIEW, ADD, CHANGE, DELETE)


def may_write_under(user, code: str | None) -> bool:
    """Say whether ``user``'s role writes records under ``code`` (admins: everywhere)."""
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    return role == Role.STAFF and code_is_under(code, user.scope_code)


def may_approve_under(user, code: str | None) -> bool:
    """Say whether ``user``'s role approves or returns figures under ``code``."""
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    return role == Role.OFFICIAL and code_is_under(code, user.scope_code)


def is_official_of(user, code: str | None) -> bool:
    """Say whether ``user`` is an official of exactly the area ``code``."""
    return role_of(user) == Role.OFFICIAL and bool(code) and code == user.scope_code


def is_official_above(user, code: str | None) -> bool:
    """Say whether ``user`` is an official of an area strictly above ``code``."""
    return (
        role_of(user) == Role.OFFICIAL
        and code_is_under(code, user.scope_code)
        and code != user.scope_code
    )


class RecordPolicy:
    """Who may do what with one kind of record (DESIGN.md, roles)."""

    #: Roles that may open the records at all.
    view_roles: frozenset[str] = RECORD_ROLES
    #: Roles that add, change and delete them (staff under their own code only).
    write_roles: frozenset[str] = frozenset({Role.ADMIN, Role.STAFF})
    #: Whether rows hang under an official code (False: province-wide data such as plans).
    scoped = True
    #: Fields only a workflow step sets (``core.workflow.transition_run``): no edit, import or
    #: history revert writes them, whoever the user.
    workflow_fields: frozenset[str] = frozenset()

    messages = {
        VIEW: "不存在或无权查看。",
        ADD: "您无权在该区划下新增数据：只有本社区（或所在街道）的社区工作人员和省级管理员可以录入。",
        CHANGE: "您无权修改该记录：只有本社区（或所在街道）的社区工作人员和省级管理员可以修改。",
        DELETE: "您无权删除该记录。",
    }

    def __init__(self, model):
        self.model = model

    # -- rows ------------------------------------------------------------------------------

    def visible_to(self, user):
        """Return the rows ``user`` may see."""
        if role_of(user) not in self.view_roles:
            return self.model._default_manager.none()
        if not self.scoped:
            return self.model._default_manager.all()
        return self.model._default_manager.visible_to(user)

    def code_of(self, target) -> str | None:
        """Return the code a row (or a parent code given as text) hangs under."""
        if target is None or isinstance(target, str):
            return target
        return target.scope_code

    # -- questions -------------------------------------------------------------------------

    def can_view(self, user, row=None) -> bool:
        if role_of(user) not in self.view_roles:
            return False
        if row is None or not self.scoped:
            return True
        return code_is_under(self.code_of(row), user_scope_code(user))

    def can_write(self, user, target=None) -> bool:
        """Say whether ``user`` writes rows of this kind (under ``target``'s code, if given)."""
        role = role_of(user)
        if role not in self.write_roles:
            return False
        if role == Role.ADMIN or target is None or not self.scoped:
            return True
        return may_write_under(user, self.code_of(target))

    def can_add(self, user, parent=None) -> bool:
        return self.can_write(user, parent)

    def can_change(self, user, row=None) -> bool:
        return self.can_write(user, row)

    def can_delete(self, user, row=None) -> bool:
        return self.can_change(user, row)

    def can_transition(self, user, name: str, row=None) -> bool:
        """Say whether ``user`` may take the workflow step ``name`` (none by default)."""
        return False

    def transitions(self, user, row) -> list[str]:
        """Return the workflow steps ``user`` may take on ``row`` now."""
        return []

    def editable_fields(self, user, row) -> set[str] | None:
        """Return the fields ``user`` may change on ``row``; None means every field."""
        return None

    def on_invalid(self, user, instance, error) -> None:
        """Hear that ``user``'s write of ``instance`` failed validation (default: nothing)."""

    def can(self, user, action: str, target=None) -> bool:
        """Answer one question: may ``user`` take ``action`` on ``target``?"""
        if action == VIEW:
            return self.can_view(user, target)
        if action == ADD:
            return self.can_add(user, target)
        if action == CHANGE:
            return self.can_change(user, target)
        if action == DELETE:
            return self.can_delete(user, target)
        return self.can_transition(user, action, target)

    def message(self, action: str, target=None) -> str:
        """Say in Chinese why ``action`` is refused."""
        return self.messages.get(action) or "您无权执行该操作。"

    def require(self, user, action: str, target=None, message: str | None = None) -> None:
        """Raise PermissionDenied (403, with a Chinese reason) unless ``can`` says yes."""
        if not self.can(user, action, target):
            raise PermissionDenied(message or self.message(action, target))

    def require_fields(self, user, row, changed: Iterable[str]) -> None:
        """Refuse a change of fields ``user`` may not edit on ``row`` (or that a workflow sets)."""
        refused = sorted(self.refused_fields(user, row, changed))
        if refused:
            labels = "、".join(str(self.model._meta.get_field(f).verbose_name) for f in refused)
            raise PermissionDenied(f"您无权修改{labels}。")

    def refused_fields(self, user, row, changed: Iterable[str]) -> set[str]:
        """Return the fields of ``changed`` that ``user`` may not write on ``row`` now."""
        changed = set(changed)
        allowed = self.editable_fields(user, row)
        refused = changed & self.workflow_fields
        if allowed is not None:
            refused |= changed - allowed
        return refused


class AdminWritesPolicy(RecordPolicy):
    """Reference data and plan data: everyone reads, only provincial administrators write."""

    write_roles = frozenset({Role.ADMIN})
    messages = {
        **RecordPolicy.messages,
        ADD: "只有省级管理员可以维护该数据。",
        CHANGE: "只有省级管理员可以维护该数据。",
        DELETE: "只有省级管理员可以维护该数据。",
    }


class AdminOnlyPolicy(AdminWritesPolicy):
    """Province-wide data of the system administrators only."""

    view_roles = frozenset({Role.ADMIN})
    scoped = False


class SeparatedRolePolicy(RecordPolicy):
    """Data of one 三员分立 role (``role``): users for the security administrator, the log for
    the audit administrator. A superuser (the break-glass account) passes too; the system
    administrator does not."""

    role: str = ""
    writes = True
    scoped = False
    messages = {action: "您无权访问该数据。" for action in RECORD_ACTIONS}

    def _holder(self, user) -> bool:
        return role_of(user) is not None and (user.is_superuser or role_of(user) == self.role)

    def can_view(self, user, row=None) -> bool:
        return self._holder(user)

    def can_write(self, user, target=None) -> bool:
        return self.writes and self._holder(user)


_POLICIES: dict[type, RecordPolicy] = {}


def register(model, policy_class: type[RecordPolicy] = RecordPolicy) -> RecordPolicy:
    """Give ``model`` its policy (called from the apps' ``policies.py``)."""
    policy = policy_class(model)
    _POLICIES[model] = policy
    return policy


def policy_for(model_or_row) -> RecordPolicy:
    """Return the policy of a model (or of a row's model); the default one if none is registered."""
    model = model_or_row if isinstance(model_or_row, type) else type(model_or_row)
    model = model._meta.concrete_model
    policy = _POLICIES.get(model)
    if policy is None:
        policy = _POLICIES[model] = RecordPolicy(model)
    return policy
