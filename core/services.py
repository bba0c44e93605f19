"""Versioned saves shared by forms, the API and imports."""

from django.core.exceptions import PermissionDenied
from django.db import models, transaction


class StaleVersionError(Exception):
    """A save based on a version that someone else has already replaced."""

    message = "该记录已被他人修改，请刷新后查看最新内容再保存。"

    def __init__(self, current_version: int | None = None):
        super().__init__(self.message)
        self.current_version = current_version


def record_save(*, instance: models.Model, user, expected_version: int | None = None) -> models.Model:
    """Validate and save ``instance``, refusing a stale ``expected_version``; bump the version.

    The row is locked for the read-compare-write (``select_for_update`` on PostgreSQL; on
    SQLite the IMMEDIATE transaction already holds the write lock).
    """
    model = type(instance)
    with transaction.atomic():
        if instance.pk is not None and model.objects.filter(pk=instance.pk).exists():
            current = (
                model.objects.select_for_update().filter(pk=instance.pk).values_list("version", flat=True).get()
            )
            if expected_version is not None and int(expected_version) != current:
                raise StaleVersionError(current)
            instance.version = current + 1
        instance.full_clean()
        instance._history_user = user
        instance.save()
    return instance


def record_delete(*, instance: models.Model, user, expected_version: int | None = None) -> None:
    """Delete ``instance`` unless someone changed it since ``expected_version``."""
    model = type(instance)
    with transaction.atomic():
        current = model.objects.select_for_update().filter(pk=instance.pk).values_list("version", flat=True).first()
        if current is None:
            return
        if expected_version is not None and int(expected_version) != current:
            raise StaleVersionError(current)
        instance._history_user = user
        instance.delete()


def require(condition: bool, message: str) -> None:
    """Raise PermissionDenied with a Chinese message unless ``condition`` holds."""
    if not condition:
        raise PermissionDenied(message)
