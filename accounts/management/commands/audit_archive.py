"""Archive audit rows older than the retention period to a signed file, then remove them.

The Cybersecurity Law (Art. 21) asks for network logs kept at least six months. Rows younger
than ``AUDIT_RETENTION_DAYS`` (at least 183 days) are never touched, whatever ``--days`` says.
The archive is gzipped JSON lines; beside it a ``.sig`` file holds its SHA-256 and an
HMAC-SHA256 over it (key ``AUDIT_ARCHIVE_KEY``, else derived from ``SECRET_KEY``), so that
``--verify`` tells a file that was altered. The archive itself is recorded in the log.
"""

import gzip
import hashlib
import hmac
import json
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import AuditAction, AuditLog
from accounts.services import audit_record

MIN_RETENTION_DAYS = 183


def retention_days() -> int:
    return max(
        MIN_RETENTION_DAYS, int(getattr(settings, "AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS))
    )


def archive_key() -> bytes:
    key = getattr(settings, "AUDIT_ARCHIVE_KEY", "") or ""
    if key:
        return key.encode()
    return hashlib.sha256(b"audit-archive:" + settings.SECRET_KEY.encode()).digest()


def signature_of(data: bytes) -> dict:
    return {
        "sha256": hashlib.sha256(data).hexdigest(),
        "hmac_sha256": hmac.new(archive_key(), data, hashlib.sha256).hexdigest(),
    }


def verify(path: Path) -> bool:
    data = path.read_bytes()
    stored = json.loads(Path(str(path) + ".sig").read_text(encoding="utf-8"))
    return hmac.compare_digest(stored.get("hmac_sha256", ""), signature_of(data)["hmac_sha256"])


class Command(BaseCommand):
    help = "将超过保存期限（至少六个月）的审计日志归档到签名文件，并从数据库中移除。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help="归档早于多少天的记录（不少于183天）"
        )
        parser.add_argument("--out", default="audit-archive", help="归档文件目录")
        parser.add_argument("--dry-run", action="store_true", help="只统计，不写文件、不删除")
        parser.add_argument("--verify", default=None, help="校验一个归档文件的签名")

    def handle(self, days=None, out="audit-archive", dry_run=False, verify=None, **options):
        if verify:
            ok = globals()["verify"](Path(verify))
            if not ok:
                raise CommandError(f"签名不符：{verify} 已被改动或不是本系统生成的归档。")
            self.stdout.write(f"签名正确：{verify}")
            return
        keep = max(retention_days(), days or 0)
        cutoff = timezone.now() - timedelta(days=keep)
        rows = AuditLog.objects.filter(created_at__lt=cutoff).order_by("id")
        count = rows.count()
        if dry_run or not count:
            self.stdout.write(
                f"早于 {cutoff:%Y-%m-%d} 的审计记录 {count} 条{'（未归档）' if dry_run else '，无需归档'}。"
            )
            return
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"audit-before-{cutoff:%Y%m%d}-{timezone.now():%Y%m%d%H%M%S}.jsonl.gz"
        with transaction.atomic():
            ids = list(rows.values_list("id", flat=True))
            lines = []
            for row in AuditLog.objects.filter(id__in=ids).order_by("id").values():
                row["created_at"] = row["created_at"].isoformat()
                lines.append(json.dumps(row, ensure_ascii=False, sort_keys=True, default=str))
            data = gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0)
            path.write_bytes(data)
            signature = {**signature_of(data), "rows": len(ids), "before": cutoff.isoformat()}
            Path(str(path) + ".sig").write_text(
                json.dumps(signature, ensure_ascii=False), encoding="utf-8"
            )
            # The one place rows leave the append-only log: archived, signed, older than the
            # retention period (the queryset's own delete() refuses).
            AuditLog.objects.filter(id__in=ids, created_at__lt=cutoff)._raw_delete(
                AuditLog.objects.db
            )
            audit_record(
                action=AuditAction.AUDIT_ARCHIVE,
                username="系统",
                detail={
                    "file": path.name,
                    "rows": len(ids),
                    "before": cutoff.isoformat(),
                    "sha256": signature["sha256"],
                },
            )
        self.stdout.write(f"已归档 {len(ids)} 条审计记录到 {path}（签名 {path.name}.sig）。")
