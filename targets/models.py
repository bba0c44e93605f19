"""Plans (规划) with their thresholds, stored as data."""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from core.dates import YEAR_VALIDATORS
from core.models import CleanTextModel


class Plan(CleanTextModel):
    """社区服务体系建设规划: a target year and one threshold per indicator."""

    code = models.SlugField("规划代码", max_length=32, primary_key=True)
    name = models.CharField("规划名称", max_length=64)
    title = models.CharField("文件名称", max_length=200, blank=True)
    document_number = models.CharField("文号", max_length=64, blank=True)
    start_year = models.PositiveSmallIntegerField(
        "起始年度", validators=YEAR_VALIDATORS
    )
    target_year = models.PositiveSmallIntegerField(
        "目标年度", validators=YEAR_VALIDATORS
    )
    thresholds = models.JSONField(
        "达标阈值", default=dict, help_text="指标代码 → 阈值（十进制字符串）。"
    )
    baseline_year = models.PositiveSmallIntegerField("基期年度", null=True, blank=True)
    baseline = models.JSONField("规划公布的基期数据", default=dict, blank=True)
    is_current = models.BooleanField("当前规划", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "规划"
        verbose_name_plural = "规划"
        ordering = ["start_year"]

    def __str__(self):
        return self.name

    def clean(self):
        from .registry import threshold_errors

        errors = {}
        problems = threshold_errors(self.thresholds)
        if problems:
            errors["thresholds"] = problems
        if self.start_year and self.target_year and self.target_year < self.start_year:
            errors["target_year"] = "目标年度不能早于起始年度。"
        if errors:
            raise ValidationError(errors)
