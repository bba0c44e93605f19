"""State machines as data, and the one way a row takes a step through its workflow.

A workflow lists its transitions (name, label, the states it leaves from, the state it goes
to). Each step runs through ``transition_run``, which asks the record's policy who may take it
(403), refuses a stale version (409) and a state the step does not leave from (400), sets the
new state and the step's other fields, bumps the version, names the user in the history and
appends an audit row. Apps wrap it in one keyword-only service per transition.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from .audit import audit, record_detail
from .figures import figures_touched
from .policy import policy_for
from .services import StaleVersionError


@dataclass(frozen=True)
class Transition:
    """One step of a workflow: from any of ``sources`` to ``target``."""

    name: str
    label: str  # the step as a button says it (审核通过)
    sources: tuple[str, ...]
    target: str | None  # None: the step keeps the state (an urging, a request for more time)


class Workflow:
    """The transitions of one kind of record, over its ``field`` (``status``)."""

    def __init__(self, *transitions: Transition, field: str = "status"):
        self.field = field
        self.transitions = {t.name: t for t in transitions}

    def __getitem__(self, name: str) -> Transition:
        return self.transitions[name]

    def allows(self, name: str, state: str) -> bool:
        """Say whether the step ``name`` leaves from ``state``."""
        return state in self.transitions[name].sources

    def available(self, state: str) -> list[Transition]:
        """Return the steps that leave from ``state``, in the order they were declared."""
        return [t for t in self.transitions.values() if state in t.sources]


def transition_run(
    *,
    workflow: Workflow,
    instance,
    user,
    name: str,
    expected_version: int | None = None,
    changes=None,  # a dict, or a function of the locked row returning one
    audit_action: str = "transition",
    audit_detail=None,  # a dict, or a function of the row before the step
):
    """Take the step ``name`` on ``instance`` as ``user`` and return the row as saved."""
    step = workflow[name]
    model = type(instance)
    if user is not None:  # None is the system itself (a command): no policy applies
        policy_for(model).require(user, name, instance)
    with transaction.atomic():
        fresh = model._default_manager.select_for_update().get(pk=instance.pk)
        state = getattr(fresh, workflow.field)
        if expected_version is not None and int(expected_version) != fresh.version:
            if state == step.target and state not in step.sources:
                # Someone took this very step first (two officials approving one row).
                raise ValidationError(
                    {workflow.field: f"该记录已由他人{step.label}，无需重复操作。"}
                )
            raise StaleVersionError(fresh.version)
        if state not in step.sources:
            label = getattr(fresh, f"get_{workflow.field}_display")()
            raise ValidationError(
                {workflow.field: f"当前状态为“{label}”，不能执行该操作（{step.label}）。"}
            )
        if callable(audit_detail):
            audit_detail = audit_detail(fresh)
        if step.target is not None:
            setattr(fresh, workflow.field, step.target)
        if callable(changes):  # changes that depend on the row as locked
            changes = changes(fresh)
        for field, value in (changes or {}).items():
            setattr(fresh, field, value)
        fresh.version += 1
        fresh._history_user = user
        fresh.save()
        figures_touched(fresh)
        audit(
            action=audit_action,
            user=user,
            scope_code=fresh.scope_code,
            detail=record_detail(fresh, transition=name, **(audit_detail or {})),
        )
    return fresh
