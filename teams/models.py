"""Community teams: sub-committees of the residents' committee, the training plan and the
public-interest projects entrusted to volunteer organisations (plan 三(四), 三(五))."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from communities.models import Community
from core.dates import YEAR_VALIDATORS
from core.models import Lifespan, ScopedRecord, VersionedModel
from facilities.models import ServiceItem
from funding.models import BudgetLine
from streets.models import Division, Street
from volunteers.models import VolunteerOrganization
from workforce.models import Worker

from .querysets import CommitteeQuerySet, EntrustedProjectQuerySet, TrainingPlanQuerySet


class CommitteeKind(models.TextChoices):
    MEDIATION = "mediation", "人民调解委员会"
    SECURITY = "security", "治安保卫委员会"
    PUBLIC_HEALTH = "public_health", "公共卫生委员会"
    WELFARE = "welfare", "社会福利委员会"
    CULTURE = "culture", "文化教育委员会"
    OTHER = "other", "其他委员会"


class Committee(ScopedRecord, Lifespan, VersionedModel):
    """居民委员会下属委员会: one sub-committee of a community and its chair."""

    SCOPE_FIELD = "community_id"
    HISTORY_KEY = "committee"
    LIFESPAN = ("established_on", "dissolved_on")

    community = models.ForeignKey(
        Community,
        verbose_name="社区",
        on_delete=models.PROTECT,
        related_name="committees",
        db_column="community_code",
    )
    kind = models.CharField("委员会", max_length=16, choices=CommitteeKind.choices, db_index=True)
    chair = models.ForeignKey(
        Worker,
        verbose_name="主任委员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chaired_committees",
    )
    established_on = models.DateField("成立日期")
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)

    objects = CommitteeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "下属委员会"
        verbose_name_plural = "下属委员会"
        ordering = ["community_id", "kind"]
        indexes = [models.Index(fields=["community", "kind"], name="committee_community_kind")]

    def __str__(self):
        return self.get_kind_display()

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("teams-community", args=[self.community_id])

    def clean(self):
        errors = self.lifespan_errors()
        if self.chair_id and self.community_id and self.chair.community_id != self.community_id:
            errors["chair"] = "主任委员必须是本社区的社区工作者。"
        if errors:
            raise ValidationError(errors)


def region_exists(code: str) -> bool:
    """Say whether ``code`` names a division (province, prefecture, county) or a street."""
    if len(code) == 9:
        return Street.objects.filter(code=code).exists()
    return Division.objects.filter(code=code).exists()


class TrainingPlan(ScopedRecord, VersionedModel):
    """人才培养发展计划: a region's planned training of community workers for one year."""

    SCOPE_FIELD = "region_code"
    HISTORY_KEY = "training-plan"

    region_code = models.CharField("区划代码", max_length=9, db_index=True)
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    courses = models.PositiveSmallIntegerField("计划培训班次", default=0)
    hours_per_worker = models.DecimalField(
        "人均培训学时",
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0"), message="人均培训学时不能为负数。")],
    )
    share_to_train = models.DecimalField(
        "培训覆盖比例",
        max_digits=5,
        decimal_places=4,
        validators=[
            MinValueValidator(Decimal("0"), message="培训覆盖比例应在0到1之间。"),
            MaxValueValidator(Decimal("1"), message="培训覆盖比例应在0到1之间。"),
        ],
        help_text="应参加培训的社区工作者占比，如 0.8 表示80%。",
    )

    objects = TrainingPlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "社区工作者培训计划"
        verbose_name_plural = "社区工作者培训计划"
        ordering = ["region_code", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "year"],
                name="one_training_plan_per_region_year",
                violation_error_message="该区划该年度已有培训计划。",
            ),
        ]

    def __str__(self):
        return f"{self.region_code} {self.year}年培训计划"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("teams-training") + f"?scope={self.region_code}&year={self.year}"

    def clean(self):
        code = self.region_code or ""
        if len(code) not in (2, 4, 6, 9) or not code.isdigit() or not region_exists(code):
            raise ValidationError({"region_code": "区划代码应为已登记的省、市州、县区或街道代码。"})


class ProjectRating(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class EntrustedProject(ScopedRecord, VersionedModel):
    """项目委托: a public-interest service project entrusted to a volunteer organisation."""

    SCOPE_FIELD = "code"
    HISTORY_KEY = "entrusted-project"
    DERIVED_FIELDS = ("code",)

    community = models.ForeignKey(
        Community,
        verbose_name="委托社区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entrusted_projects",
        db_column="community_code",
    )
    street = models.ForeignKey(
        Street,
        verbose_name="委托街道",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entrusted_projects",
        db_column="street_code",
    )
    code = models.CharField("所属区划代码", max_length=12, db_index=True, editable=False)
    organization = models.ForeignKey(
        VolunteerOrganization,
        verbose_name="承接志愿服务组织",
        on_delete=models.PROTECT,
        related_name="entrusted_projects",
    )
    name = models.CharField("项目名称", max_length=100)
    service_line = models.CharField("服务类别", max_length=32, choices=ServiceItem.choices)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期", null=True, blank=True)
    funding_wan_yuan = models.DecimalField(
        "经费（万元）",
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"), message="经费不能为负数。")],
    )
    budget_line = models.ForeignKey(
        BudgetLine,
        verbose_name="经费来源预算",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entrusted_projects",
        help_text="可选：本社区（街道）或上级区划、与项目开始同一年度的专项经费预算项目。",
    )
    target_beneficiaries = models.PositiveIntegerField("计划受益人数", default=0)
    achieved_beneficiaries = models.PositiveIntegerField("实际受益人数", default=0)
    rating = models.CharField("成效评价", max_length=16, choices=ProjectRating.choices, blank=True)

    objects = EntrustedProjectQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "委托服务项目"
        verbose_name_plural = "委托服务项目"
        ordering = ["code", "-starts_on", "name"]

    def __str__(self):
        return self.name

    @property
    def scope_code(self) -> str:
        return self.community_id or self.street_id or ""

    def get_absolute_url(self):
        from django.urls import reverse

        if self.community_id:
            return reverse("teams-community", args=[self.community_id]) + "#projects"
        return reverse("teams-overview") + f"?scope={self.street_id}#projects"

    def runs_in(self, year: int) -> bool:
        return self.starts_on <= datetime.date(year, 12, 31) and (
            self.ends_on is None or self.ends_on >= datetime.date(year, 1, 1)
        )

    def save(self, *args, **kwargs):
        self.code = self.scope_code
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        self.code = self.scope_code
        super().clean_fields(exclude)

    def clean(self):
        errors = {}
        if bool(self.community_id) == bool(self.street_id):
            errors["community"] = "委托单位须为一个社区或一个街道（二者选一）。"
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "结束日期不能早于开始日期。"
        if self.organization_id and self.scope_code and not errors:
            org_code = self.organization.community_id
            if not org_code.startswith(self.scope_code):
                place = "本社区" if self.community_id else "本街道"
                errors["organization"] = f"承接组织“{self.organization}”不是{place}的志愿服务组织。"
        problem = self.budget_line_error()
        if problem:
            errors["budget_line"] = problem
        if errors:
            raise ValidationError(errors)

    def budget_line_error(self) -> str | None:
        """Say why the linked budget line does not fund this project (None: it may)."""
        if not self.budget_line_id or not self.scope_code:
            return None
        line = self.budget_line
        if not self.scope_code.startswith(line.region_code):
            return f"预算“{line}”不是本社区（街道）或上级区划的预算，不能作为该项目的经费来源。"
        if self.starts_on and line.year != self.starts_on.year:
            return (
                f"预算“{line}”是{line.year}年的预算，"
                f"项目于{self.starts_on.year}年开始，应选择{self.starts_on.year}年的预算。"
            )
        return None
