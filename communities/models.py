"""Communities (社区居委会), their yearly statistics and their social organisations."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.dates import YEAR_VALIDATORS
from core.models import CleanTextModel, Lifespan, ScopedRecord, VersionedModel, not_in_future_error
from core.scoping import CODE_LENGTHS
from streets.models import Street, check_code

from .querysets import CommunityQuerySet, CommunityStatQuerySet, SocialOrganizationQuerySet


class Community(ScopedRecord, CleanTextModel):
    """社区居委会: an urban residents' committee under a street."""

    SCOPE_FIELD = "code"
    PAST_DATES = ("digital_3d_completed_on",)  # core.models.past_date_fields
    HISTORY_KEY = "community"  # /history/community/<pk>/

    code = models.CharField("社区代码", max_length=12, primary_key=True)
    name = models.CharField("名称", max_length=64)
    street = models.ForeignKey(
        Street,
        verbose_name="所属街道（乡镇）",
        on_delete=models.PROTECT,
        related_name="communities",
        db_column="street_code",
    )
    digital_3d_completed_on = models.DateField("三维数字社区建成日期", null=True, blank=True)
    resident_groups = models.PositiveSmallIntegerField(
        "居民小组数", default=0, help_text="社区划分的居民小组个数；每个小组应配一名居民小组长。"
    )

    objects = CommunityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "社区"
        verbose_name_plural = "社区"
        ordering = ["code"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("community-detail", args=[self.code])

    def clean(self):
        check_code(self.code, CODE_LENGTHS["community"], self.street_id, "社区")
        future = not_in_future_error(self, "digital_3d_completed_on")
        if future:
            raise ValidationError({"digital_3d_completed_on": future})


class StatStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已上报"
    APPROVED = "approved", "已审核"
    RETURNED = "returned", "已退回"


# Plausibility: the largest communities of the province count some tens of thousands of
# residents; a figure above this is a typing error (an extra digit), never a community.
MAX_RESIDENTS = 200_000


def count_bound(label: str) -> list:
    """Return the plausibility bound of one count of a community's year (Chinese message)."""
    return [
        MaxValueValidator(
            MAX_RESIDENTS, message=f"{label}不能超过{MAX_RESIDENTS}，请核对是否多填了位数。"
        )
    ]


class CommunityStat(ScopedRecord, VersionedModel):
    """社区年度统计: households, residents, party members and participation for one year."""

    SCOPE_FIELD = "community_id"
    HISTORY_KEY = "stat"  # /history/stat/<pk>/

    community = models.ForeignKey(
        Community,
        verbose_name="社区",
        on_delete=models.PROTECT,
        related_name="stats",
        db_column="community_code",
    )
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    households = models.PositiveIntegerField("户数", validators=count_bound("户数"))
    residents = models.PositiveIntegerField("常住居民人数", validators=count_bound("常住居民人数"))
    party_members = models.PositiveIntegerField("党员人数", validators=count_bound("党员人数"))
    party_members_volunteering = models.PositiveIntegerField(
        "参与志愿活动的党员人数", validators=count_bound("参与志愿活动的党员人数")
    )
    residents_volunteering = models.PositiveIntegerField(
        "参与志愿活动的居民人数", validators=count_bound("参与志愿活动的居民人数")
    )
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
    # The reporting cycle (communities/cycle.py): the levels the row must pass, fixed at
    # submission; the approvals so far ({"level", "user", "at"}); the first submission.
    # Written by the workflow only (no form edits them).
    approval_levels = models.JSONField("审核层级", default=list, blank=True, editable=False)
    approvals = models.JSONField("已审核层级", default=list, blank=True, editable=False)
    approved_levels = models.PositiveSmallIntegerField("已审核层级数", default=0, editable=False)
    first_submitted_at = models.DateTimeField("首次上报时间", null=True, blank=True, editable=False)
    submitted_on_time = models.BooleanField("按时上报", null=True, blank=True, editable=False)

    objects = CommunityStatQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "社区年度统计"
        verbose_name_plural = "社区年度统计"
        ordering = ["community_id", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "year"],
                name="one_stat_per_community_year",
                violation_error_message="该社区该年度的统计数据已存在。",
            ),
            models.CheckConstraint(
                condition=models.Q(party_members_volunteering__lte=models.F("party_members")),
                name="party_volunteering_within_party_members",
                violation_error_message="参与志愿活动的党员人数不能超过党员人数。",
            ),
            models.CheckConstraint(
                condition=models.Q(residents_volunteering__lte=models.F("residents")),
                name="residents_volunteering_within_residents",
                violation_error_message="参与志愿活动的居民人数不能超过常住居民人数。",
            ),
            models.CheckConstraint(
                condition=models.Q(party_members__lte=models.F("residents")),
                name="party_members_within_residents",
                violation_error_message="党员人数不能超过常住居民人数。",
            ),
        ]
        indexes = [models.Index(fields=["year", "community"], name="stat_year_community")]

    def __str__(self):
        try:
            name = self.community.name
        except Community.DoesNotExist:
            name = self.community_id or ""
        return f"{name} {self.year}年".strip()

    def get_absolute_url(self):
        return reverse("stat-detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        """Say whether staff may no longer edit it (submitted or approved)."""
        return self.status in (StatStatus.SUBMITTED, StatStatus.APPROVED)

    def clean(self):
        errors = {}
        if None not in (self.party_members_volunteering, self.party_members):
            if self.party_members_volunteering > self.party_members:
                errors["party_members_volunteering"] = "参与志愿活动的党员人数不能超过党员人数。"
        if None not in (self.residents_volunteering, self.residents):
            if self.residents_volunteering > self.residents:
                errors["residents_volunteering"] = "参与志愿活动的居民人数不能超过常住居民人数。"
        if None not in (self.party_members, self.residents) and self.party_members > self.residents:
            errors["party_members"] = "党员人数不能超过常住居民人数。"
        if None not in (self.households, self.residents) and self.households > self.residents:
            errors["households"] = "户数不能超过常住居民人数。"
        if errors:
            raise ValidationError(errors)


class SocialOrganizationCategory(models.TextChoices):
    PUBLIC_WELFARE = "public_welfare", "公益慈善类"
    ELDERLY = "elderly", "养老服务类"
    CULTURE_SPORTS = "culture_sports", "文体娱乐类"
    MUTUAL_AID = "mutual_aid", "邻里互助类"
    EDUCATION = "education", "教育培训类"
    HEALTH = "health", "卫生健康类"
    MEDIATION = "mediation", "治安调解类"
    OTHER = "other", "其他"


class SocialOrganization(ScopedRecord, Lifespan, VersionedModel):
    """社区社会组织: a community-based social organisation."""

    SCOPE_FIELD = "community_id"
    HISTORY_KEY = "social-organization"  # /history/social-organization/<pk>/

    community = models.ForeignKey(
        Community,
        verbose_name="社区",
        on_delete=models.PROTECT,
        related_name="social_organizations",
        db_column="community_code",
    )
    name = models.CharField("名称", max_length=100)
    category = models.CharField(
        "类别", max_length=32, choices=SocialOrganizationCategory.choices, default="other"
    )
    registered_on = models.DateField("成立（登记）日期")
    dissolved_on = models.DateField("注销日期", null=True, blank=True)

    objects = SocialOrganizationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "社区社会组织"
        verbose_name_plural = "社区社会组织"
        ordering = ["community_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"],
                name="social_org_unique_name",
                violation_error_message="该社区已有同名的社会组织。",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{self.community.get_absolute_url()}#social-organizations"
