"""The audit log is append-only: no change and no delete through the model or a queryset."""

import pytest
from django.db import transaction

from accounts.models import AuditAction, AuditLog
from accounts.services import audit_record
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    return audit_record(action=AuditAction.EXPORT, username="zhangsan", detail={"rows": 3})


def test_a_saved_row_cannot_be_changed(entry):
    entry.detail = {"rows": 0}
    with pytest.raises(PermissionError):
        entry.save()
    assert AuditLog.objects.get(pk=entry.pk).detail == {"rows": 3}


def test_a_row_cannot_be_deleted(entry):
    with pytest.raises(PermissionError):
        entry.delete()
    assert AuditLog.objects.filter(pk=entry.pk).exists()


def test_a_queryset_cannot_update_rows(entry):
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=entry.pk).update(username="nobody")
    assert AuditLog.objects.get(pk=entry.pk).username == "zhangsan"


def test_a_queryset_cannot_delete_rows(entry):
    with pytest.raises(PermissionError):
        AuditLog.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=entry.pk).delete()
    assert AuditLog.objects.count() == 1


def test_bulk_update_is_refused(entry):
    entry.username = "nobody"
    with pytest.raises(PermissionError), transaction.atomic():
        AuditLog.objects.bulk_update([entry], ["username"])
    assert AuditLog.objects.get(pk=entry.pk).username == "zhangsan"


def test_deleting_a_user_keeps_their_audit_rows_and_name():
    user = make_user("lisi", role="staff", scope_code="620102016001")
    row = audit_record(action=AuditAction.EXPORT, user=user)
    user.delete()
    kept = AuditLog.objects.get(pk=row.pk)
    assert kept.username == "lisi"
    assert kept.user_id is None
