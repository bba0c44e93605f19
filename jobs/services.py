"""The writes of a job: start it, run it (in the worker), notice a worker that is gone.

An import, a compliance workbook, the daily reminders and the figures check are jobs of one
kind each; ``job_run`` claims a queued job and hands it to the runner of its kind.

Progress and heartbeats are written outside the import's own transaction: the check runs in
autocommit, so each progress row is visible at once, and a heartbeat thread with its own
database connection keeps telling the pages that the worker lives while the one write
transaction runs. A worker that stops beating (killed, machine lost) leaves its job
``running`` with an old heartbeat; ``jobs_fail_stale`` marks such jobs failed. The import's
rows are written in one transaction, so a killed worker has written none of them.
"""

import datetime
import io
import logging
import threading
import time
from collections.abc import Sequence
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone

from core.scoping import PROVINCE_CODE, user_scope_code
from core.xlsx.reading import ImportFileError, max_rows, read_upload, sha256_of

from .models import WORKER_LOST, Job, JobKind, JobState, stale_seconds

logger = logging.getLogger(__name__)

INTERNAL_ERROR = "导入时发生内部错误，未导入任何数据。请稍后重试；如果多次出现，请联系系统管理员。"
REPORT_ERROR = "生成报表时发生内部错误。请稍后重试；如果多次出现，请联系系统管理员。"
LIGHT_FIELDS = ("upload", "error_workbook", "output")
BEIJING = ZoneInfo("Asia/Shanghai")
REMINDER_HOUR = 8  # the daily reminders go out at 08:00 Beijing time


def heartbeat_seconds() -> float:
    return float(getattr(settings, "JOBS_HEARTBEAT_SECONDS", 10))


def progress_seconds() -> float:
    return float(getattr(settings, "JOBS_PROGRESS_SECONDS", 1))


def job_max_seconds() -> float:
    """Seconds a job may spend reading one workbook (a web request has IMPORT_MAX_SECONDS)."""
    return float(getattr(settings, "JOBS_IMPORT_MAX_SECONDS", 900))


# -- starting ------------------------------------------------------------------------------


def job_start_import(*, resource, upload, user, dry_run: bool = False) -> tuple[Job, bool]:
    """Queue an import of ``upload``; return the job and whether it is a new one.

    The same file (by SHA-256) started again by the same user for the same resource while
    the first run is queued or running returns the first job: it runs once. Raises
    ``PermissionDenied`` for a user who may not import and ``ImportFileError`` for a file
    too large to take.
    """
    from excel.importers import require_importer

    require_importer(user, resource)
    data = read_upload(upload)
    key = f"import:{resource.slug}:{'check' if dry_run else 'apply'}:{sha256_of(data)}"
    job, new = _start(
        kind=JobKind.IMPORT,
        user=user,
        key=key,
        scope_code=user_scope_code(user) or "",
        params={},
        resource=resource.slug,
        file_name=(getattr(upload, "name", "") or "")[:255],
        dry_run=dry_run,
        upload=data,
    )
    job.upload = None
    return job, new


def job_start_report(*, query, user) -> tuple[Job, bool]:
    """Queue the compliance workbook of ``query`` (parsed scope, year, plan, data) for ``user``.

    The same report asked again while the first is queued or running returns the first job.
    """
    params = {
        "scope": query.scope.code,
        "year": query.year,
        "plan": query.plan.code,
        "data": query.data,
        "title": f"{query.scope.name}{query.year}年达标情况报表",
    }
    key = "report:{scope}:{year}:{plan}:{data}".format(**params)
    return _start(
        kind=JobKind.REPORT,
        user=user,
        key=key,
        scope_code=user_scope_code(user) or "",
        params=params,
    )


def job_start_export(*, resource, scope, user, unmasked: bool) -> tuple[Job, bool]:
    """Queue the export of ``resource`` under ``scope`` (full numbers only if ``unmasked``,
    which the caller has decided from the user's permission; the run checks it again)."""
    from core.policy import policy_for

    policy_for(resource.model).require(user, "view")  # the scope is the caller's (scope_param)
    params = {
        "resource": resource.slug,
        "scope": scope.code,
        "unmasked": bool(unmasked),
        "title": f"{scope.name}{resource.title}",
    }
    key = "export:{resource}:{scope}:{unmasked}".format(**params)
    return _start(
        kind=JobKind.EXPORT,
        user=user,
        key=key,
        scope_code=user_scope_code(user) or "",
        params=params,
        resource=resource.slug,
    )


def job_start_system(kind: str, *, run_after: datetime.datetime | None = None, params=None):
    """Queue a job the system starts (reminders, figures check) unless one is already waiting."""
    params = params or {}
    key = f"{kind}:{params.get('date', '')}:{params.get('scope', '')}"
    return _start(
        kind=kind,
        user=None,
        key=key,
        scope_code=PROVINCE_CODE,
        params=params,
        run_after=run_after,
    )


def _start(*, kind, user, key, scope_code, params, run_after=None, **fields) -> tuple[Job, bool]:
    """Queue a job unless one of the same key is queued or running for the same starter.

    A partial unique constraint holds even for two requests at once: the loser of the race
    answers with the winner's job.
    """
    jobs_fail_stale()
    existing = Job.objects.active().filter(started_by=user, dedup_key=key).defer(*LIGHT_FIELDS)
    job = existing.first()
    if job is not None:
        return job, False
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind,
                started_by=user,
                scope_code=scope_code,
                dedup_key=key,
                params=params,
                **fields,
            )
            transaction.on_commit(lambda: _enqueue(job.pk, run_after=run_after))
    except IntegrityError:
        job = existing.first()
        if job is None:
            raise
        return job, False
    return job, True


def _enqueue(job_id: int, run_after: datetime.datetime | None = None) -> None:
    from .tasks import run_job

    task = run_job.using(run_after=run_after) if run_after else run_job
    result = task.enqueue(job_id)
    Job.objects.filter(pk=job_id, task_id="").update(task_id=str(result.id)[:64])


def next_reminder_time(now: datetime.datetime | None = None) -> datetime.datetime:
    """The next 08:00 in Beijing after ``now``: when the daily reminders run."""
    local = (now or timezone.now()).astimezone(BEIJING)
    at = local.replace(hour=REMINDER_HOUR, minute=0, second=0, microsecond=0)
    if at <= local:
        at += datetime.timedelta(days=1)
    return at


def reminders_schedule(
    now: datetime.datetime | None = None, *, after: datetime.date | None = None
) -> tuple[Job, bool]:
    """Make sure the next day's reminders are queued (idempotent: one waiting job per day).

    The job's key holds the day it runs for. A run queues the day after its own (``after``)
    even when it runs early or late, so the next day's job is never taken for itself.
    """
    at = next_reminder_time(now)
    if after is not None and at.date() <= after:
        at = datetime.datetime.combine(
            after + datetime.timedelta(days=1), datetime.time(REMINDER_HOUR), tzinfo=BEIJING
        )
    return job_start_system(JobKind.REMINDERS, run_after=at, params={"date": at.date().isoformat()})


# -- noticing a lost worker or a lost task -----------------------------------------------------


def lost_seconds() -> float:
    """Seconds a queued job waits before its task is looked for in the queue."""
    return float(getattr(settings, "JOBS_LOST_SECONDS", 60))


def jobs_requeue_lost(pk: int | None = None) -> int:
    """Queue again the queued jobs (or job ``pk``) whose task the queue no longer holds;
    return how many.

    Redis keeps nothing on disk here: restarted, it has lost every task it held, and their
    jobs would wait for ever. A job queued for more than ``JOBS_LOST_SECONDS`` whose task the
    backend cannot find gets a new task (the day's reminders again for 08:00); a task found
    (waiting, deferred, or just taken by a worker) is left alone, and ``job_run`` runs a job
    once whatever number of tasks carry it. ``jobs_schedule`` looks at every waiting job; the
    job page and ``GET jobs/{id}/`` look at the job shown.
    """
    from django_tasks.exceptions import TaskResultDoesNotExist

    from .tasks import run_job

    limit = timezone.now() - datetime.timedelta(seconds=lost_seconds())
    waiting = Job.objects.filter(state=JobState.QUEUED, created_at__lt=limit).only(
        "pk", "kind", "task_id", "params"
    )
    if pk is not None:
        waiting = waiting.filter(pk=pk)
    requeued = 0
    for job in waiting[:100]:
        if job.task_id:
            try:
                run_job.get_result(job.task_id)
                continue
            except TaskResultDoesNotExist:
                pass
        if not Job.objects.filter(pk=job.pk, task_id=job.task_id).update(task_id=""):
            continue  # another process requeued it meanwhile
        logger.warning(
            "job %s: its task %r is lost from the queue; queued again", job.pk, job.task_id
        )
        _enqueue(job.pk, run_after=_run_after(job))
        requeued += 1
    return requeued


def _run_after(job: Job) -> datetime.datetime | None:
    """When a requeued job should run: the reminders of a day still to come at its 08:00."""
    if job.kind != JobKind.REMINDERS or not job.params.get("date"):
        return None
    at = datetime.datetime.combine(
        datetime.date.fromisoformat(job.params["date"]),
        datetime.time(REMINDER_HOUR),
        tzinfo=BEIJING,
    )
    return at if at > timezone.now() else None


def jobs_fail_stale() -> int:
    """Mark failed the running jobs whose worker has stopped beating; return how many."""
    stale = Job.objects.stale()
    # Read first: on SQLite an UPDATE waits for the lock an import's write holds, and the
    # pages that call this every second should not.
    if not stale.exists():
        return 0
    message = WORKER_LOST.format(seconds=stale_seconds())
    return stale.update(
        state=JobState.FAILED,
        finished_at=timezone.now(),
        message=message,
        result={"detail": message},
        upload=None,
    )


# -- running (in the worker) ---------------------------------------------------------------


class _Heartbeat(threading.Thread):
    """Write the job's heartbeat every few seconds from a connection of its own."""

    def __init__(self, job_id: int):
        super().__init__(name=f"job-{job_id}-heartbeat", daemon=True)
        self.job_id = job_id
        self.stopped = threading.Event()

    def run(self):
        try:
            while not self.stopped.wait(heartbeat_seconds()):
                try:
                    Job.objects.filter(pk=self.job_id, state=JobState.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except Exception:  # noqa: BLE001 — a locked table: beat again next time
                    logger.debug("heartbeat of job %s not written", self.job_id, exc_info=True)
        finally:
            connection.close()

    def stop(self):
        self.stopped.set()
        self.join(timeout=heartbeat_seconds() + 5)


class _Progress:
    """Write the rows done at most once a second, outside any open transaction."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.last = 0.0
        self.total = 0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        # The first known total and the end of the check are always written: the page then
        # shows the bar and, at 100 %, that the rows are being written.
        milestone = (total and not self.total) or (total and done == total)
        if not milestone and now - self.last < progress_seconds():
            return
        if connection.in_atomic_block:
            return  # not visible to anyone before the commit anyway
        self.last, self.total = now, total or self.total
        Job.objects.filter(pk=self.job_id).update(
            progress_done=done, progress_total=total, heartbeat_at=timezone.now()
        )


class Outcome(NamedTuple):
    """What every runner returns: the final state, the result, the message to show, and a
    made file ``(bytes, name)`` or the import's problems (for the error workbook)."""

    state: str
    result: dict
    message: str
    output: tuple[bytes, str] | None = None
    errors: Sequence = ()


def job_run(job_id: int) -> str:
    """Run a queued job (the task body); return its final state.

    A job no longer queued (run already, or failed meanwhile) is left alone, so a task
    delivered twice runs once.
    """
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=now, heartbeat_at=now
    )
    if not claimed:
        return "skipped"
    job = Job.objects.select_related("started_by").get(pk=job_id)
    heartbeat = _Heartbeat(job_id)
    heartbeat.start()
    try:
        outcome = RUNNERS[job.kind](job)
    finally:
        heartbeat.stop()
    finished = {
        "state": outcome.state,
        "result": outcome.result,
        "message": outcome.message,
        "finished_at": timezone.now(),
        "upload": None,
        "error_workbook": error_workbook_bytes(outcome.errors) if outcome.errors else None,
    }
    if outcome.output is not None:
        finished["output"], finished["output_name"] = outcome.output
    rows = (outcome.result or {}).get("rows")
    if rows:
        finished.update(progress_done=rows, progress_total=rows)
    # Written whatever a stale check said meanwhile: this is what the import really did.
    Job.objects.filter(pk=job_id).update(**finished)
    close_old_connections()
    return outcome.state


def _run_import(job: Job):
    from excel.importers import import_workbook
    from excel.resources import RESOURCES

    resource = RESOURCES[job.resource]
    try:
        result = import_workbook(
            resource=resource,
            upload=bytes(job.upload),
            user=job.started_by,
            dry_run=job.dry_run,
            file_name=job.file_name,
            row_limit=max_rows(),
            progress=_Progress(job.pk),
            max_seconds=job_max_seconds(),
        )
    except ImportFileError as exc:
        return Outcome(JobState.FAILED, {"file": [exc.message], "detail": exc.message}, exc.message)
    except PermissionDenied as exc:
        return _failed(str(exc))
    except Exception:  # noqa: BLE001 — the job must end, not stay running
        logger.exception("job %s failed", job.pk)
        return _failed(INTERNAL_ERROR)
    state = JobState.DONE if result.ok else JobState.FAILED
    return Outcome(state, result.as_dict(), result.summary, errors=result.errors)


def _failed(message: str, **result) -> Outcome:
    return Outcome(JobState.FAILED, {"detail": message, **result}, message)


def _made_file(job: Job, data: bytes, name: str, *, scope_code: str, detail: dict, **result):
    """Finish a job that made a file: audit it as the starter's export (with the file's
    SHA-256) and return its result (name, size, hash, and ``result``) and the file."""
    from accounts.models import AuditAction
    from accounts.services import audit_record

    digest = sha256_of(data)
    audit_record(
        action=AuditAction.EXPORT,
        user=job.started_by,
        scope_code=scope_code,
        detail={**detail, "sha256": digest, "job": job.pk},
    )
    return {"file": name, **result, "bytes": len(data), "sha256": digest}, (data, name)


def _run_report(job: Job):
    """Write the compliance workbook the job asks for; audit it as the starter's export."""
    from targets.models import Plan
    from targets.report import build_compliance_workbook, report_filename

    params = job.params
    try:
        plan = Plan.objects.get(code=params["plan"])
        out = io.BytesIO()
        region = build_compliance_workbook(
            scope_code=params["scope"],
            year=params["year"],
            plan=plan,
            out=out,
            data=params.get("data", "all"),
            user=job.started_by,
        )
    except Exception:  # noqa: BLE001 — the job must end, not stay running
        logger.exception("job %s failed", job.pk)
        return _failed(REPORT_ERROR)
    data, name = out.getvalue(), report_filename(region.name, region.year)
    detail = {
        "resource": "compliance-report",
        "scope": region.code,
        "year": region.year,
        "plan": plan.code,
        "data": params.get("data", "all"),
    }
    result, output = _made_file(job, data, name, scope_code=region.code, detail=detail)
    return Outcome(JobState.DONE, result, f"已生成 {name}（{len(data) // 1024 + 1} KB）。", output)


def _run_export(job: Job):
    """Write the records of the job's kind under its scope, masked unless the starter still
    holds the permission; audit it as the starter's export."""
    import tempfile

    from core.audit import audit
    from core.personal import VIEW_PERSONAL_DATA, may_see_personal_data
    from core.policy import policy_for
    from excel.exporters import build_export
    from excel.resources import RESOURCES

    from .models import EXPORT_JOB_MAX_ROWS

    params, user = job.params, job.started_by
    resource = RESOURCES[params["resource"]]
    unmasked = params.get("unmasked") and may_see_personal_data(user)
    queryset = policy_for(resource.model).visible_to(user).under(params["scope"])
    total = queryset.count()
    if total > EXPORT_JOB_MAX_ROWS:
        message = (
            f"该范围内共有 {total:,} 条记录，超过一个 Excel 工作表能容纳的 {EXPORT_JOB_MAX_ROWS:,} 条。"
            "请选择下一级区划分别导出。"
        )
        return _failed(message, rows=total)
    try:
        with tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024) as fh:
            rows = build_export(resource, queryset, fh, unmasked=unmasked)
            fh.seek(0)
            data = fh.read()
    except Exception:  # noqa: BLE001 — the job must end, not stay running
        logger.exception("job %s failed", job.pk)
        return _failed("导出时发生内部错误。请稍后重试；如果多次出现，请联系系统管理员。")
    detail = {
        "resource": resource.slug,
        "scope": params["scope"],
        "rows": rows,
        "masked": not unmasked,
    }
    day = timezone.localdate().strftime("%Y%m%d")
    name = f"{params['title']}_{day}.xlsx"
    result, output = _made_file(
        job, data, name, scope_code=params["scope"], detail=detail, rows=rows, masked=not unmasked
    )
    if unmasked and resource.has_personal_data and rows:
        audit(
            action=VIEW_PERSONAL_DATA,
            user=user,
            scope_code=params["scope"],
            detail={
                "resource": resource.slug,
                "scope": params["scope"],
                "rows": rows,
                "via": "excel_export_job",
                "job": job.pk,
            },
        )
    message = f"已导出 {rows:,} 条记录（{len(data) // 1024 + 1} KB）" + (
        "，号码完整。" if unmasked else "，号码已脱敏。"
    )
    return Outcome(JobState.DONE, result, message, output)


def _run_reminders(job: Job):
    """Send the day's reminders (each person once per period) and queue the next day's."""
    from reporting.messages import send_reminders

    today = datetime.date.fromisoformat(job.params["date"]) if job.params.get("date") else None
    try:
        sent = send_reminders(today)
    except Exception:  # noqa: BLE001
        logger.exception("job %s failed", job.pk)
        message = "发送填报提醒时发生内部错误，明天将再次发送。"
        state, result = JobState.FAILED, {"detail": message}
    else:
        message = f"已发送 {sent} 条填报提醒。"
        state, result = JobState.DONE, {"sent": sent}
    reminders_schedule(after=today)
    return Outcome(state, result, message)


def _run_check(job: Job):
    """Compare the figures tables with the raw rows (``check_figures``); list each difference."""
    from targets.figures import differences

    problems = differences(job.params.get("scope", ""))
    if problems:
        message = f"年度数据与原始记录不一致：{len(problems)} 处。"
        return Outcome(
            JobState.FAILED, {"differences": problems[:1000], "count": len(problems)}, message
        )
    return Outcome(JobState.DONE, {"differences": [], "count": 0}, "年度数据与原始记录一致。")


RUNNERS = {
    JobKind.IMPORT: _run_import,
    JobKind.REPORT: _run_report,
    JobKind.EXPORT: _run_export,
    JobKind.REMINDERS: _run_reminders,
    JobKind.CHECK: _run_check,
}


def error_workbook_bytes(errors) -> bytes:
    """Write every problem of an import (row, column, message) as a workbook."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("问题清单")
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 24
    sheet.column_dimensions["C"].width = 80
    sheet.append(["行号", "列", "问题"])
    for error in errors:
        sheet.append([error.row, error.column or "整行", error.message])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
