"""Community service standards (社区服务标准体系): the catalogue and each facility's yearly self-check."""

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

from core.dates import YEAR_VALIDATORS
from core.models import CleanTextModel, ScopedRecord, VersionedModel
from facilities.models import Facility, FacilityKind, ServiceItem

from .querysets import ServiceStandardQuerySet, StandardCheckQuerySet

# The facilities that check themselves against the catalogue.
CHECKED_KINDS = (FacilityKind.STATION, FacilityKind.CENTRE)
ATTACHMENT_EXTENSIONS = ("jpg", "jpeg", "png", "pdf", "doc", "docx", "xls", "xlsx")
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024


class ServiceStandard(CleanTextModel):
    """服务标准: one item of the provincial catalogue, under one of the eight service lines."""

    SCOPE_FIELD = "code"
    HISTORY_KEY = "service-standard"

    code = models.CharField(
        "标准编号",
        max_length=32,
        primary_key=True,
        validators=[
            RegexValidator(
                r"^[a-z0-9]+(-[a-z0-9]+)*$",
                "标准编号只能由小写字母、数字和连字符组成，如 employment-01。",
            )
        ],
    )
    service_line = models.CharField(
        "服务类别", max_length=32, choices=ServiceItem.choices, db_index=True
    )
    name = models.CharField("服务项目", max_length=100)
    content = models.TextField("服务内容")
    standard = models.TextField("服务标准", help_text="开放时间、办理时限、人员配备、场地等要求。")
    check_method = models.TextField("检查方法")

    objects = ServiceStandardQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "服务标准"
        verbose_name_plural = "服务标准"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class CheckResult(models.TextChoices):
    MEETS = "meets", "达标"
    PARTLY = "partly", "部分达标"
    NOT_MET = "not_met", "未达标"


class CheckStatus(models.TextChoices):
    SUBMITTED = "submitted", "待街道审核"
    REVIEWED = "reviewed", "街道已审核"
    RETURNED = "returned", "街道已退回"


def validate_attachment_size(upload):
    if upload and upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError("附件不能超过5MB。")


class StandardCheck(ScopedRecord, VersionedModel):
    """服务标准自查: a station's or centre's yearly check of one catalogue item it provides."""

    SCOPE_FIELD = "facility__code"
    HISTORY_KEY = "standard-check"

    facility = models.ForeignKey(
        Facility, verbose_name="服务设施", on_delete=models.CASCADE, related_name="standard_checks"
    )
    standard = models.ForeignKey(
        ServiceStandard,
        verbose_name="服务标准",
        on_delete=models.PROTECT,
        related_name="checks",
        db_column="standard_code",
    )
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    result = models.CharField("自查结果", max_length=16, choices=CheckResult.choices)
    note = models.CharField("说明", max_length=500, blank=True)
    attachment = models.FileField(
        "照片或附件",
        upload_to="standard-checks/%Y/",
        blank=True,
        validators=[
            FileExtensionValidator(
                ATTACHMENT_EXTENSIONS, "附件只能是图片、PDF、Word 或 Excel 文件。"
            ),
            validate_attachment_size,
        ],
    )
    status = models.CharField(
        "审核状态",
        max_length=16,
        choices=CheckStatus.choices,
        default=CheckStatus.SUBMITTED,
        db_index=True,
    )
    review_note = models.CharField("审核意见", max_length=500, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "accounts.User",
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = StandardCheckQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "服务标准自查"
        verbose_name_plural = "服务标准自查"
        ordering = ["facility_id", "year", "standard_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "standard", "year"],
                name="one_check_per_facility_standard_year",
                violation_error_message="该设施该年度已有这一服务标准的自查记录。",
            ),
        ]
        indexes = [models.Index(fields=["year", "facility"], name="standard_check_year")]

    def __str__(self):
        return f"{self.year}年 {self.standard.name}" if self.standard_id else f"{self.year}年"

    def get_absolute_url(self):
        from django.urls import reverse

        url = reverse("standard-facility", args=[self.facility_id])
        return f"{url}?year={self.year}" if self.year else url

    def clean(self):
        facility = getattr(self, "facility", None) if self.facility_id else None
        if facility is not None and facility.kind not in CHECKED_KINDS:
            raise ValidationError(
                {"facility": "只有社区服务站和街道社区服务中心需要进行服务标准自查。"}
            )
