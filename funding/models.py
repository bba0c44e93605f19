"""专项经费 (budget lines per region, year, cost type and source) and yearly interim targets."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from communities.models import StatStatus
from core.dates import YEAR_VALIDATORS
from core.models import ScopedRecord, VersionedModel
from core.scoping import CODE_LENGTHS, LEVEL_BY_LENGTH, LEVEL_LABELS
from streets.models import Division, Street

from .querysets import BudgetLineQuerySet, YearlyTargetQuerySet

# The levels of government that keep a budget: province, prefecture, county, street.
BUDGET_LEVELS = ("province", "prefecture", "county", "street")
BUDGET_LENGTHS = {CODE_LENGTHS[level] for level in BUDGET_LEVELS}


class CostType(models.TextChoices):
    FACILITIES = "facilities", "设施建设与维护"
    WORKER_PAY = "worker_pay", "服务人员报酬"
    RUNNING = "running", "服务运行经费"
    INFORMATISATION = "informatisation", "服务信息化"


class FundSource(models.TextChoices):
    FISCAL = "fiscal", "财政补助"
    TRANSFER = "transfer", "委托单位转移支付"
    SERVICE_INCOME = "service_income", "服务收入"
    SOCIAL = "social", "社会捐赠与投资"


def region_errors(code: str) -> str | None:
    """Say why ``code`` is no province, prefecture, county or street (None: it is one)."""
    if not code or not code.isascii() or not code.isdigit() or len(code) not in BUDGET_LENGTHS:
        return "区划代码应为省、市州、县区（2、4、6位）或街道（乡镇，9位）代码。"
    level = LEVEL_BY_LENGTH[len(code)]
    if level == "street":
        exists = Street.objects.filter(code=code).exists()
    else:
        exists = Division.objects.filter(code=code, level=level).exists()
    if not exists:
        return f"未找到该{LEVEL_LABELS[level]}：{code}。"
    return None


AMOUNT = {
    "max_digits": 12,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0"), message="金额不能为负数。")],
    "default": Decimal("0"),
}


class BudgetLine(ScopedRecord, VersionedModel):
    """专项经费预算: one line of a government's community-service budget for one year."""

    SCOPE_FIELD = "region_code"
    HISTORY_KEY = "budget-line"  # /history/budget-line/<pk>/

    region_code = models.CharField("区划代码", max_length=9, db_index=True)
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    cost_type = models.CharField("支出类别", max_length=16, choices=CostType.choices)
    source = models.CharField("资金来源", max_length=16, choices=FundSource.choices)
    budgeted_wan_yuan = models.DecimalField("预算安排（万元）", **AMOUNT)
    allocated_wan_yuan = models.DecimalField("已拨付（万元）", **AMOUNT)
    spent_wan_yuan = models.DecimalField("已支出（万元）", **AMOUNT)
    status = models.CharField(
        "审核状态",
        max_length=16,
        choices=StatStatus.choices,
        default=StatStatus.DRAFT,
        db_index=True,
    )
    return_reason = models.CharField("退回原因", max_length=500, blank=True)
    submitted_at = models.DateTimeField("上报时间", null=True, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "accounts.User",
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = BudgetLineQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "专项经费预算"
        verbose_name_plural = "专项经费预算"
        ordering = ["region_code", "year", "cost_type", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "year", "cost_type", "source"],
                name="one_budget_line_per_region_year_cost_source",
                violation_error_message="该区划该年度已有同一支出类别、同一资金来源的预算。",
            ),
            models.CheckConstraint(
                condition=models.Q(budgeted_wan_yuan__gte=0)
                & models.Q(allocated_wan_yuan__gte=0)
                & models.Q(spent_wan_yuan__gte=0),
                name="budget_amounts_not_negative",
                violation_error_message="金额不能为负数。",
            ),
        ]
        indexes = [models.Index(fields=["year", "region_code"], name="budget_year_region")]

    def __str__(self):
        return (
            f"{self.region_code} {self.year}年 {self.get_cost_type_display()}"
            f"（{self.get_source_display()}）"
        )

    def get_absolute_url(self):
        return reverse("funding", args=[self.region_code]) + f"?year={self.year}"

    @property
    def is_locked(self) -> bool:
        return self.status in (StatStatus.SUBMITTED, StatStatus.APPROVED)

    def clean(self):
        errors = {}
        problem = region_errors(self.region_code or "")
        if problem:
            errors["region_code"] = problem
        budgeted, allocated, spent = (
            self.budgeted_wan_yuan,
            self.allocated_wan_yuan,
            self.spent_wan_yuan,
        )
        if None not in (allocated, budgeted) and allocated > budgeted:
            errors["allocated_wan_yuan"] = "已拨付金额不能超过预算安排。"
        if None not in (spent, allocated) and spent > allocated:
            errors["spent_wan_yuan"] = "已支出金额不能超过已拨付金额。"
        if errors:
            raise ValidationError(errors)


class YearlyTarget(ScopedRecord, VersionedModel):
    """年度目标: the share of units a region is to reach in one year for one indicator."""

    SCOPE_FIELD = "region_code"
    HISTORY_KEY = "yearly-target"

    plan = models.ForeignKey(
        "targets.Plan", verbose_name="规划", on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.CharField("指标代码", max_length=32)
    region_code = models.CharField("区划代码", max_length=9, db_index=True)
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    rate = models.DecimalField(
        "目标达标率",
        max_digits=5,
        decimal_places=4,
        validators=[
            MinValueValidator(Decimal("0"), message="目标达标率应在0到1之间。"),
            MaxValueValidator(Decimal("1"), message="目标达标率应在0到1之间。"),
        ],
        help_text="0到1之间的四位小数，如 0.7000 表示70%。",
    )

    objects = YearlyTargetQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度目标"
        verbose_name_plural = "年度目标"
        ordering = ["plan_id", "indicator", "region_code", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "indicator", "region_code", "year"],
                name="one_yearly_target_per_plan_indicator_region_year",
                violation_error_message="该规划该指标该区划该年度的目标已存在。",
            ),
        ]

    def __str__(self):
        return f"{self.region_code} {self.year}年 {self.indicator} {self.rate}"

    def clean(self):
        from targets.registry import INDICATOR_BY_CODE

        errors = {}
        if self.indicator not in INDICATOR_BY_CODE:
            errors["indicator"] = f"未知的指标代码：{self.indicator}。"
        problem = region_errors(self.region_code or "")
        if problem:
            errors["region_code"] = problem
        if errors:
            raise ValidationError(errors)
