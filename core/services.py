"""The one write path: every create, update and delete of a record, from any channel.

Forms, the REST API, the Django admin and Excel imports save through ``record_save`` and
``record_delete`` (one row) or ``records_bulk_save`` (an import's rows at once). Here and only
here a write asks the record's policy, checks and bumps the optimistic-concurrency version,
validates the row (``full_clean``), names the user in the history and appends an audit row.

``user=None`` is the system itself (a management command, a data migration): nobody's policy
applies, and the history says 系统.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .audit import RECORD_ADD, RECORD_CHANGE, RECORD_DELETE, audit, record_detail
from .figures import figures_codes_stored, figures_saved, figures_touched
from .policy import ADD, CHANGE, DELETE, policy_for

BOOKKEEPING = frozenset({"version", "created_at", "updated_at"})
BATCH_SIZE = 500
CHUNK = 900  # keeps IN (...) lists under every database's parameter limit


class StaleVersionError(Exception):
    """A save based on a version that someone else has already replaced."""

    message = "该记录已被他人修改，请刷新后查看最新内容再保存。"

    def __init__(self, current_version: int | None = None):
        super().__init__(self.message)
        self.current_version = current_version


def is_versioned(model) -> bool:
    """Say whether the model carries an optimistic-concurrency version."""
    return any(field.name == "version" for field in model._meta.concrete_fields)


def changed_fields(stored: models.Model, instance: models.Model) -> list[str]:
    """Return the names of the fields whose values differ between two states of a row."""
    return [
        field.name
        for field in instance._meta.concrete_fields
        if field.name not in BOOKKEEPING
        and getattr(stored, field.attname) != getattr(instance, field.attname)
    ]


def _stored_row(instance):
    """Return the row as stored, locked for the read-compare-write; None for a new one.

    ``select_for_update`` locks it on PostgreSQL; on SQLite the IMMEDIATE transaction already
    holds the write lock.
    """
    if instance.pk is None:
        return None
    return type(instance)._default_manager.select_for_update().filter(pk=instance.pk).first()


class _System:
    """Stands in for the policy when the system itself writes (``user=None``)."""

    scoped = False

    def require(self, *args, **kwargs):
        pass

    require_fields = require


def _policy(model, user):
    return _System() if user is None else policy_for(model)


def record_save(
    *,
    instance: models.Model,
    user,
    expected_version: int | None = None,
    reason: str = "",
    step: str = "",
) -> models.Model:
    """Validate and save ``instance`` as ``user`` (see ``_record_save``).

    A write refused by validation is told to the policy after the transaction has ended, so
    that what it records (an audit row) is not rolled back with the write.

    ``step`` names a workflow step of another record whose own policy has already authorised
    this write (a volunteer moved by an approved 转移): the record's policy is not asked again,
    and everything else (validation, version, history user, audit) is as for any write.
    """
    try:
        return _record_save(
            instance=instance,
            user=user,
            expected_version=expected_version,
            reason=reason,
            step=step,
        )
    except ValidationError as error:
        if user is not None:
            policy_for(type(instance)).on_invalid(user, instance, error)
        raise


def _record_save(
    *,
    instance: models.Model,
    user,
    expected_version: int | None = None,
    reason: str = "",
    step: str = "",
) -> models.Model:
    """Validate and save ``instance`` as ``user``; refuse what the policy or a stale version forbids.

    A new row is checked against the code it is to hang under, an existing one against the
    row as stored (its code, state and the fields that change) and, when it moves, against
    the new code as well.
    """
    model = type(instance)
    policy = _System() if step else _policy(model, user)
    with transaction.atomic():
        stored = _stored_row(instance)
        if stored is None:
            policy.require(user, ADD)
        else:
            policy.require(user, CHANGE, stored)
            policy.require_fields(user, stored, changed_fields(stored, instance))
            if is_versioned(model):
                if expected_version is not None and int(expected_version) != stored.version:
                    raise StaleVersionError(stored.version)
                instance.version = stored.version + 1
        instance.full_clean()
        if policy.scoped and (stored is None or stored.scope_code != instance.scope_code):
            policy.require(user, ADD, instance.scope_code)
        instance._history_user = user
        if reason:
            instance._change_reason = reason
        instance.save(force_insert=stored is None and instance.pk is not None)
        figures_saved(stored, instance)
        audit(
            action=RECORD_ADD if stored is None else RECORD_CHANGE,
            user=user,
            scope_code=getattr(instance, "scope_code", ""),
            detail=record_detail(instance, **({"step": step} if step else {})),
        )
    return instance


def record_delete(*, instance: models.Model, user, expected_version: int | None = None) -> None:
    """Delete ``instance`` as ``user`` unless the policy forbids it or someone changed it since."""
    model = type(instance)
    policy = _policy(model, user)
    with transaction.atomic():
        stored = _stored_row(instance)
        if stored is None:
            return
        policy.require(user, DELETE, stored)
        if is_versioned(model) and expected_version is not None:
            if int(expected_version) != stored.version:
                raise StaleVersionError(stored.version)
        detail = record_detail(stored)
        stored._history_user = user
        stored.delete()
        figures_touched(stored)
        audit(
            action=RECORD_DELETE,
            user=user,
            scope_code=getattr(stored, "scope_code", ""),
            detail=detail,
        )


def chunked(items: list, size: int = CHUNK):
    """Yield ``items`` in slices small enough for an ``IN (...)`` list."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def records_bulk_save(
    *,
    model,
    created: list,
    updated: list,
    fields: Iterable[str],
    user,
    reason: str,
) -> None:
    """Write many validated rows at once: the bulk twin of ``record_save`` for imports.

    The rows have been validated by the caller (with every problem reported by row); here the
    policy is asked for each row, the versions of the updated rows are checked against the
    database and bumped, the history rows name ``user`` and ``reason``, and one audit row
    records the batch. Raises ``StaleVersionError`` if a row changed since it was read.
    """
    policy = _policy(model, user)
    for obj in created:
        policy.require(user, ADD, obj.scope_code if policy.scoped else None)
    for obj in updated:
        policy.require(user, CHANGE, obj)
    versioned = is_versioned(model)
    now = timezone.now()
    with transaction.atomic():
        moved_from = figures_codes_stored(model, [obj.pk for obj in updated])
        if versioned and updated:
            expected = {obj.pk: obj.version for obj in updated}
            for chunk in chunked(list(expected)):
                rows = model._default_manager.filter(pk__in=chunk).values_list("pk", "version")
                for pk, version in rows:
                    if expected[pk] != version:
                        raise StaleVersionError(version)
            for obj in updated:
                obj.version += 1
                obj.updated_at = now
        if created:
            bulk_create_with_history(
                created,
                model,
                batch_size=BATCH_SIZE,
                default_user=user,
                default_change_reason=reason,
            )
        if updated:
            names = set(fields) | set(getattr(model, "DERIVED_FIELDS", ()))
            if versioned:
                names |= {"version", "updated_at"}
            bulk_update_with_history(
                updated,
                model,
                fields=sorted(names),
                batch_size=BATCH_SIZE,
                default_user=user,
                default_change_reason=reason,
            )
        figures_touched(*created, *updated, also=moved_from)
        if created or updated:
            audit(
                action=RECORD_CHANGE,
                user=user,
                scope_code=getattr(user, "scope", ""),
                detail={
                    "model": model._meta.label_lower,
                    "created": len(created),
                    "updated": len(updated),
                    "reason": reason,
                },
            )


def require(condition: bool, message: str) -> None:
    """Raise PermissionDenied with a Chinese message unless ``condition`` holds."""
    if not condition:
        raise PermissionDenied(message)
