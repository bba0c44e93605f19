"""Audit retention: rows older than six months go to a signed archive; younger ones never."""

import datetime
import gzip
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from accounts.models import AuditLog

pytestmark = pytest.mark.django_db


def row_aged(days: int, username: str) -> AuditLog:
    row = AuditLog.objects.create(action="export", username=username)
    when = timezone.now() - datetime.timedelta(days=days)
    with connection.cursor() as cursor:  # the model refuses updates: set the age directly
        cursor.execute(
            f"UPDATE {AuditLog._meta.db_table} SET created_at = %s WHERE id = %s", [when, row.pk]
        )
    return row


def test_old_rows_are_archived_signed_and_young_rows_kept(tmp_path):
    row_aged(400, "old1")
    row_aged(200, "old2")
    row_aged(170, "young")
    call_command("audit_archive", days=30, out=str(tmp_path), stdout=io.StringIO())
    assert set(AuditLog.objects.values_list("username", flat=True)) >= {"young"}
    assert not AuditLog.objects.filter(username__in=["old1", "old2"]).exists()
    archive = next(tmp_path.glob("*.jsonl.gz"))
    names = [
        json.loads(line)["username"]
        for line in gzip.decompress(archive.read_bytes()).decode().splitlines()
    ]
    assert sorted(names) == ["old1", "old2"]
    assert AuditLog.objects.filter(action="audit_archive").exists()
    call_command("audit_archive", verify=str(archive), stdout=io.StringIO())
    archive.write_bytes(archive.read_bytes()[:-1] + b"x")
    with pytest.raises(CommandError):
        call_command("audit_archive", verify=str(archive), stdout=io.StringIO())


def test_a_dry_run_changes_nothing(tmp_path):
    row_aged(400, "old1")
    call_command("audit_archive", dry_run=True, out=str(tmp_path), stdout=io.StringIO())
    assert AuditLog.objects.filter(username="old1").exists()
    assert not list(tmp_path.iterdir())
