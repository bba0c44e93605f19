"""民情流水线: residents' requests, the units that handle them, and each request's timeline."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from communities.models import Community
from core.models import CleanTextModel, ScopedRecord, VersionedModel
from core.scoping import CODE_LENGTHS, LEVEL_BY_LENGTH
from core.validators import mask_name, mask_phone, validate_phone

from . import calendar
from .querysets import CaseQuerySet, HandlingUnitQuerySet


class CaseCategory(CleanTextModel):
    """诉求类别 and its time limit in working days (plan data, kept by administrators)."""

    code = models.CharField("类别代码", max_length=32, primary_key=True)
    name = models.CharField("名称", max_length=32)
    time_limit_working_days = models.PositiveSmallIntegerField(
        "办理时限（工作日）", validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    order = models.PositiveSmallIntegerField("排序", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "诉求类别"
        verbose_name_plural = "诉求类别"
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class Channel(models.TextChoices):
    WINDOW = "window", "窗口受理"
    PHONE = "phone", "电话受理"
    GRID_WORKER = "grid_worker", "网格员上报"
    VISIT = "visit", "走访收集"
    ONLINE = "online", "网上受理"


class CaseStatus(models.TextChoices):
    REGISTERED = "registered", "已受理"
    DISPATCHED = "dispatched", "已分派"
    IN_PROGRESS = "in_progress", "办理中"
    RESOLVED = "resolved", "已办结"
    CLOSED = "closed", "已回访"
    RETURNED = "returned", "已退单"


OPEN_STATUSES = (
    CaseStatus.REGISTERED,
    CaseStatus.DISPATCHED,
    CaseStatus.IN_PROGRESS,
    CaseStatus.RETURNED,
)
DONE_STATUSES = (CaseStatus.RESOLVED, CaseStatus.CLOSED)


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY_SATISFIED = "basically_satisfied", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


class HandlingUnit(ScopedRecord, VersionedModel):
    """承办单位: a community, a street, or a department of a division (县民政局 …)."""

    SCOPE_FIELD = "code"
    HISTORY_KEY = "handling-unit"

    code = models.CharField("区划代码", max_length=12, db_index=True)
    department = models.CharField("部门", max_length=64, blank=True)
    name = models.CharField("名称", max_length=128, editable=False)

    objects = HandlingUnitQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "承办单位"
        verbose_name_plural = "承办单位"
        ordering = ["code", "department"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "department"],
                name="handling_unit_unique",
                violation_error_message="该区划下已有同名的承办单位。",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def level(self) -> str | None:
        return LEVEL_BY_LENGTH.get(len(self.code or ""))

    @property
    def parent_code(self) -> str | None:
        """The code of the level above (None for the province)."""
        lengths = sorted(CODE_LENGTHS.values())
        shorter = [n for n in lengths if n < len(self.code or "")]
        return self.code[: shorter[-1]] if shorter else None

    def place_name(self) -> str | None:
        from streets.models import Division, Street

        length = len(self.code or "")
        if length == CODE_LENGTHS["community"]:
            return Community.objects.filter(pk=self.code).values_list("name", flat=True).first()
        if length == CODE_LENGTHS["street"]:
            return Street.objects.filter(pk=self.code).values_list("name", flat=True).first()
        return Division.objects.filter(pk=self.code).values_list("name", flat=True).first()

    def clean(self):
        from django.core.exceptions import ValidationError

        self.department = (self.department or "").strip()
        place = self.place_name() if self.code else None
        if place is None:
            raise ValidationError(
                {"code": "区划代码不存在，应为省、市州、县区、街道或社区的代码。"}
            )
        self.name = f"{place}{self.department}"


class Case(ScopedRecord, VersionedModel):
    """诉求: one resident's request, from 受理 to 回访."""

    SCOPE_FIELD = "community_id"
    HISTORY_KEY = "case"

    number = models.CharField("受理编号", max_length=24, unique=True, editable=False)
    community = models.ForeignKey(
        Community,
        verbose_name="社区",
        on_delete=models.PROTECT,
        related_name="cases",
        db_column="community_code",
    )
    category = models.ForeignKey(
        CaseCategory, verbose_name="类别", on_delete=models.PROTECT, related_name="cases"
    )
    channel = models.CharField("受理渠道", max_length=16, choices=Channel.choices)
    description = models.TextField("诉求内容", max_length=2000)
    resident_name = models.CharField("居民姓名", max_length=32)
    resident_phone = models.CharField(
        "联系电话", max_length=20, blank=True, validators=[validate_phone]
    )
    address = models.CharField("地址", max_length=200, blank=True)
    accepted_on = models.DateField("受理日期", db_index=True)
    due_on = models.DateField("办理期限", editable=False)
    calendar_note = models.CharField(
        "工作日说明", max_length=200, null=True, blank=True, editable=False
    )
    status = models.CharField(
        "状态",
        max_length=16,
        choices=CaseStatus.choices,
        default=CaseStatus.REGISTERED,
        db_index=True,
    )
    handling_unit = models.ForeignKey(
        HandlingUnit,
        verbose_name="承办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    dispatcher_code = models.CharField("分派单位代码", max_length=12, blank=True, editable=False)
    resolved_on = models.DateField("办结日期", null=True, blank=True, editable=False)
    resolution = models.TextField("办理结果", max_length=2000, blank=True, editable=False)
    resolve_working_days = models.PositiveSmallIntegerField(
        "办理用时（工作日）", null=True, blank=True, editable=False
    )
    satisfaction = models.CharField(
        "满意度", max_length=24, choices=Satisfaction.choices, null=True, blank=True, editable=False
    )
    rated_on = models.DateField("回访日期", null=True, blank=True, editable=False)
    reopen_count = models.PositiveSmallIntegerField("重办次数", default=0, editable=False)
    sent_back_count = models.PositiveSmallIntegerField("退单次数", default=0, editable=False)
    escalation_count = models.PositiveSmallIntegerField("上报次数", default=0, editable=False)
    urge_count = models.PositiveSmallIntegerField("催办次数", default=0, editable=False)
    last_urged_on = models.DateField("最近催办日期", null=True, blank=True, editable=False)
    extension_days = models.PositiveSmallIntegerField(
        "已批准延期（工作日）", default=0, editable=False
    )
    extension_requested_days = models.PositiveSmallIntegerField(
        "申请延期（工作日）", null=True, blank=True, editable=False
    )
    extension_reason = models.CharField("延期理由", max_length=500, blank=True, editable=False)

    objects = CaseQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["resident_name", "resident_phone"])

    class Meta:
        verbose_name = "民情诉求"
        verbose_name_plural = "民情诉求"
        ordering = ["-accepted_on", "-number"]
        indexes = [
            models.Index(fields=["community", "accepted_on"], name="case_community_accepted"),
            models.Index(fields=["handling_unit", "status"], name="case_unit_status"),
            models.Index(fields=["status", "due_on"], name="case_status_due"),
        ]

    def __str__(self):
        return self.number or "新诉求"

    def get_absolute_url(self):
        return reverse("case-detail", args=[self.pk])

    @property
    def resident_name_masked(self) -> str:
        return mask_name(self.resident_name)

    @property
    def resident_phone_masked(self) -> str:
        return mask_phone(self.resident_phone)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        """Not resolved by the end of ``due_on`` (Asia/Shanghai)."""
        if self.due_on is None:
            return False
        if self.resolved_on is not None:
            return self.resolved_on > self.due_on
        return calendar.today() > self.due_on

    @property
    def closed_on_time(self) -> bool:
        return self.resolved_on is not None and self.resolved_on <= self.due_on

    def compute_due_on(self) -> None:
        """Set ``due_on`` and ``calendar_note`` from the category's limit and granted extensions."""
        days = self.category.time_limit_working_days + (self.extension_days or 0)
        self.due_on, self.calendar_note = calendar.add_working_days(self.accepted_on, days)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.accepted_on and self.accepted_on > calendar.today():
            raise ValidationError({"accepted_on": "受理日期不能晚于今天。"})


class EventKind(models.TextChoices):
    REGISTER = "register", "受理"
    DISPATCH = "dispatch", "分派"
    ACCEPT = "accept", "签收"
    SEND_BACK = "send_back", "退单"
    ESCALATE = "escalate", "上报"
    RESOLVE = "resolve", "办结"
    RATE = "rate", "回访"
    REOPEN = "reopen", "不满意重办"
    URGE = "urge", "催办"
    EXTEND = "extend", "申请延期"
    GRANT_EXTENSION = "grant_extension", "批准延期"
    REFUSE_EXTENSION = "refuse_extension", "不予延期"


class CaseEvent(ScopedRecord, models.Model):
    """One step in a request's timeline (append-only)."""

    SCOPE_FIELD = "case__community_id"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("环节", max_length=24, choices=EventKind.choices)
    at = models.DateTimeField("时间", default=timezone.now)
    on = models.DateField("日期")
    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey(
        HandlingUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField("说明", max_length=2000, blank=True)
    automatic = models.BooleanField("系统自动", default=False)

    class Meta:
        verbose_name = "诉求环节"
        verbose_name_plural = "诉求环节"
        ordering = ["at", "id"]

    def __str__(self):
        return self.get_kind_display()
