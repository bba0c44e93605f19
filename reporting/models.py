"""Reporting periods (填报周期): the plan data of one year's collection of statistics."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from communities.cycle import APPROVAL_LEVELS, YearRules
from core.dates import YEAR_VALIDATORS

DEFAULT_LEVELS = ["street", "county"]
DEFAULT_REMINDER_DAYS = 7


def default_opens_on(year: int) -> datetime.date:
    return datetime.date(year, 12, 1)


def default_due_on(year: int) -> datetime.date:
    """31 January of the next year."""
    return datetime.date(year + 1, 1, 31)


def default_levels() -> list[str]:
    return list(DEFAULT_LEVELS)


class ReportingPeriod(models.Model):
    """一个年度的填报周期: when entry opens, the due date and the approval levels in order."""

    year = models.PositiveSmallIntegerField("年度", primary_key=True, validators=YEAR_VALIDATORS)
    opens_on = models.DateField("开始填报日期")
    due_on = models.DateField(
        "截止日期", help_text="默认为次年1月31日；当日24时（北京时间）前首次上报为按时。"
    )
    approval_levels = models.JSONField(
        "审核层级",
        default=default_levels,
        help_text="自下而上依次审核的层级：street 街道、county 县区、prefecture 市州、province 省。",
    )
    reminder_days = models.PositiveSmallIntegerField(
        "提前提醒天数",
        default=DEFAULT_REMINDER_DAYS,
        help_text="截止日期前多少天提醒尚未上报的社区。",
    )
    quality_rules = models.JSONField(
        "数据质量规则",
        default=dict,
        blank=True,
        help_text='按规则代码覆盖默认的严重程度和阈值，如 {"party_share": {"threshold": "0.3"}}。',
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "填报周期"
        verbose_name_plural = "填报周期"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年度填报"

    def save(self, *args, **kwargs):
        if self.year and self.opens_on is None:
            self.opens_on = default_opens_on(self.year)
        if self.year and self.due_on is None:
            self.due_on = default_due_on(self.year)
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        levels = self.approval_levels
        if not isinstance(levels, list) or not levels:
            errors["approval_levels"] = "请至少设置一个审核层级。"
        elif any(level not in APPROVAL_LEVELS for level in levels):
            errors["approval_levels"] = "审核层级只能是 street、county、prefecture、province。"
        elif len(set(levels)) != len(levels):
            errors["approval_levels"] = "审核层级不能重复。"
        elif [APPROVAL_LEVELS.index(level) for level in levels] != sorted(
            APPROVAL_LEVELS.index(level) for level in levels
        ):
            errors["approval_levels"] = "审核层级应自下而上排列（街道、县区、市州、省）。"
        if self.opens_on and self.due_on and self.due_on < self.opens_on:
            errors["due_on"] = "截止日期不能早于开始填报日期。"
        if self.year and self.due_on and self.due_on.year < self.year:
            errors["due_on"] = "截止日期不能早于该年度。"
        if errors:
            raise ValidationError(errors)

    @property
    def rules(self) -> YearRules:
        return YearRules(levels=tuple(self.approval_levels), due_on=self.due_on)


def year_rules(year: int) -> YearRules:
    """The rules ``communities.cycle`` asks for (installed by ReportingConfig.ready)."""
    period = ReportingPeriod.objects.filter(year=year).first()
    return period.rules if period else YearRules()


class Message(models.Model):
    """站内消息: a note to one user (a returned row, a reminder, rows waiting, 催报).

    ``key`` names the event; a second message with the same key is never written, so the
    reminder command can run every day and a double click sends nothing twice.
    """

    recipient = models.ForeignKey(
        "accounts.User", verbose_name="收件人", on_delete=models.CASCADE, related_name="messages"
    )
    key = models.CharField("消息标识", max_length=200, unique=True)
    kind = models.CharField(
        "类别",
        max_length=16,
        choices=[
            ("returned", "退回"),
            ("reminder", "填报提醒"),
            ("waiting", "待审核"),
            ("urge", "催报"),
        ],
    )
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="message_unread")]

    def __str__(self):
        return self.subject
