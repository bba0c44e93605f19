"""后台任务: long work run by a worker beside the web server.

The kinds: an Excel import of any size, the compliance workbook of any scope, the daily
reminders of the reporting cycle (a periodic job the worker schedules for itself) and the
check of the figures tables against the raw rows.

A job is the user's view of one piece of work: who started it, in which scope, how far it has
come and what came of it. The work itself runs on Django's tasks framework (``jobs.tasks``);
the job row is what the pages and the API read.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.scoping import ScopedQuerySet, user_scope_code


class JobKind(models.TextChoices):
    IMPORT = "import", "Excel导入"
    REPORT = "report", "达标情况报表"
    REMINDERS = "reminders", "填报提醒"
    CHECK = "check_figures", "年度数据核对"
    EXPORT = "export", "数据导出"


# Jobs a user starts from a page; the others are started by the system (no starter).
USER_KINDS = (JobKind.IMPORT, JobKind.REPORT, JobKind.EXPORT)

# An .xlsx sheet holds 1,048,576 rows: a background export writes at most this many records.
EXPORT_JOB_MAX_ROWS = 1_000_000


class JobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


ACTIVE_STATES = (JobState.QUEUED, JobState.RUNNING)

WORKER_LOST = (
    "后台处理进程已中断（超过 {seconds} 秒没有响应），本次导入未写入任何数据。"
    "请重新提交；如果多次出现，请联系系统管理员检查后台任务进程（db_worker）。"
)


def stale_seconds() -> int:
    """Seconds without a heartbeat after which a running job's worker counts as gone."""
    return int(getattr(settings, "JOBS_STALE_SECONDS", 120))


class JobQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """Keep the jobs started inside ``user``'s scope (the starter's unit or below it)."""
        scope = user_scope_code(user)
        if scope is None:
            return self.none()
        return self.filter(scope_code__startswith=scope)

    def started_by(self, user):
        return self.filter(started_by=user)

    def active(self):
        return self.filter(state__in=ACTIVE_STATES)

    def stale(self, now=None):
        """Keep the running jobs whose worker has not been heard of for too long."""
        limit = (now or timezone.now()) - timedelta(seconds=stale_seconds())
        return self.filter(state=JobState.RUNNING, heartbeat_at__lt=limit)


class Job(models.Model):
    """后台任务: one piece of long work run by a worker, with its progress and its result."""

    SCOPE_FIELD = "scope_code"

    kind = models.CharField("任务类型", max_length=20, choices=JobKind.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        on_delete=models.CASCADE,
        related_name="jobs",
        null=True,
        blank=True,
        help_text="系统定时发起的任务（填报提醒、年度数据核对）没有发起人。",
    )
    scope_code = models.CharField("管辖范围代码", max_length=12, db_index=True)
    resource = models.CharField("数据种类", max_length=40, blank=True)
    file_name = models.CharField("文件名", max_length=255, blank=True)
    dry_run = models.BooleanField("只检查", default=False)
    # What the job works on beyond the file: a report's scope, year, plan and data.
    params = models.JSONField("参数", default=dict, blank=True)
    # The same file started twice by the same user while the first run is active runs once.
    dedup_key = models.CharField("去重键", max_length=200)
    state = models.CharField(
        "状态", max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    progress_done = models.PositiveIntegerField("已处理", default=0)
    progress_total = models.PositiveIntegerField("总数", default=0)
    created_at = models.DateTimeField("提交时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    result = models.JSONField("结果", null=True, blank=True)
    message = models.TextField("说明", blank=True)
    task_id = models.CharField("任务编号", max_length=64, blank=True)
    # The uploaded file waits in the database, so a worker on another machine can read it;
    # it is dropped when the job ends.
    upload = models.BinaryField("上传文件", null=True, editable=False)
    error_workbook = models.BinaryField("问题清单工作簿", null=True, editable=False)
    # What a report job made: the workbook the starter downloads.
    output = models.BinaryField("生成的文件", null=True, editable=False)
    output_name = models.CharField("生成的文件名", max_length=255, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["started_by", "-created_at"], name="job_starter_recent")]
        constraints = [
            models.UniqueConstraint(
                fields=["started_by", "dedup_key"],
                condition=Q(state__in=["queued", "running"]),
                name="job_once_while_active",
            ),
            models.UniqueConstraint(
                fields=["dedup_key"],
                condition=Q(state__in=["queued", "running"], started_by__isnull=True),
                name="system_job_once_while_active",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}（{self.get_state_display()}）"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def percent(self) -> int | None:
        """Return the share done in whole percent, or None while the total is unknown."""
        if self.state == JobState.DONE:
            return 100
        if not self.progress_total:
            return None
        return min(100, self.progress_done * 100 // self.progress_total)

    @property
    def title(self) -> str:
        """What the job works on, as the panel names it."""
        if self.kind in (JobKind.REPORT, JobKind.EXPORT):
            return self.output_name or self.params.get("title", "")
        return self.file_name

    @property
    def has_error_workbook(self) -> bool:
        return bool((self.result or {}).get("error_count"))
