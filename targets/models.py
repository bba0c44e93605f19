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
    start_year = models.PositiveSmallIntegerField("起始年度", validators=YEAR_VALIDATORS)
    target_year = models.PositiveSmallIntegerField("目标年度", validators=YEAR_VALIDATORS)
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


class CommunityFigures(models.Model):
    """One community's figures at the end of one year: every number the indicators need.

    Kept current by the one write path in the write's own transaction
    (``targets.figures``); ``manage.py check_figures`` compares it with the raw rows.
    Stored, never edited: the engine judges and rolls up from these rows.
    """

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        db_column="community_code",
        related_name="+",
        db_constraint=False,
    )
    year = models.PositiveSmallIntegerField("年度")
    street_code = models.CharField("所属街道代码", max_length=9)
    has_stats = models.BooleanField("有年度统计")
    stat_status = models.CharField("统计审核状态", max_length=16, blank=True)
    households = models.PositiveIntegerField("户数", null=True)
    residents = models.PositiveIntegerField("常住居民人数", null=True)
    party_members = models.PositiveIntegerField("党员人数", null=True)
    party_members_volunteering = models.PositiveIntegerField("参与志愿活动的党员人数", null=True)
    residents_volunteering = models.PositiveIntegerField("参与志愿活动的居民人数", null=True)
    station_max_area = models.DecimalField(
        "最大在用服务站面积（平方米）", max_digits=15, decimal_places=2, null=True
    )
    station_area = models.DecimalField("在用服务站面积（平方米）", max_digits=15, decimal_places=2)
    specialized_area = models.DecimalField(
        "在用专项设施面积（平方米）", max_digits=15, decimal_places=2
    )
    registered_volunteers = models.PositiveIntegerField("注册志愿者")
    party_member_volunteers = models.PositiveIntegerField("党员志愿者")
    social_organizations = models.PositiveIntegerField("社区社会组织")
    volunteer_organizations = models.PositiveIntegerField("志愿者组织")
    counted_workers = models.PositiveIntegerField("社区工作人员")
    certified_workers = models.PositiveIntegerField("持社会工作者职业资格")
    bachelor_workers = models.PositiveIntegerField("本科以上学历")
    college_workers = models.PositiveIntegerField("大专以上学历")
    digital_3d = models.BooleanField("三维数字社区已建成")
    service_hours = models.DecimalField(
        "已确认志愿服务时长（小时）", max_digits=15, decimal_places=1
    )
    serving_volunteers = models.PositiveIntegerField(
        "有已确认服务记录的志愿者",
        default=0,
        help_text="该年度至少有一条已确认服务记录的本社区志愿者人数。",
    )

    class Meta:
        verbose_name = "社区年度数据"
        verbose_name_plural = "社区年度数据"
        constraints = [
            models.UniqueConstraint(fields=["community", "year"], name="community_figures_unique")
        ]
        indexes = [models.Index(fields=["year", "community"], name="community_figures_year")]

    def __str__(self):
        return f"{self.community_id} {self.year}"


class StreetFigures(models.Model):
    """One street's service-centre figures at the end of one year (see ``CommunityFigures``)."""

    street = models.ForeignKey(
        "streets.Street",
        on_delete=models.CASCADE,
        db_column="street_code",
        related_name="+",
        db_constraint=False,
    )
    year = models.PositiveSmallIntegerField("年度")
    centres = models.PositiveIntegerField("在用服务中心")
    centre_max_area = models.DecimalField(
        "最大在用服务中心面积（平方米）", max_digits=15, decimal_places=2, null=True
    )
    centre_area = models.DecimalField("在用服务中心面积（平方米）", max_digits=15, decimal_places=2)

    class Meta:
        verbose_name = "街道年度数据"
        verbose_name_plural = "街道年度数据"
        constraints = [
            models.UniqueConstraint(fields=["street", "year"], name="street_figures_unique")
        ]
        indexes = [models.Index(fields=["year", "street"], name="street_figures_year")]

    def __str__(self):
        return f"{self.street_id} {self.year}"


MILLIONTHS = 10**6  # stored verdict amounts are whole millionths of their unit


class CommunityVerdicts(models.Model):
    """One community's verdicts at the end of one year, judged from its ``CommunityFigures``.

    Judged by the registry's own functions against the thresholds of the plan that was
    current (``plan_key``), in the same transaction as the figures (``targets.verdicts``), so
    a region is sums by code prefix in the database. Amounts are whole millionths, so the sums
    are exact on SQLite too. A column per community indicator and measure is added below from
    the registry: ``<code>_ok`` (1 compliant, 0 not, NULL missing data), ``<code>_gap`` and,
    for an indicator whose region value is a ratio of sums, ``<code>_num`` and ``<code>_den``.
    """

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        db_column="community_code",
        related_name="+",
        db_constraint=False,
    )
    year = models.PositiveSmallIntegerField("年度")
    plan_key = models.CharField("规划阈值指纹", max_length=40)
    fully_compliant = models.SmallIntegerField("全部达标")
    facility_area = models.BigIntegerField("在用服务站与专项设施面积（百万分之一平方米）")
    households = models.BigIntegerField("有统计数据时的户数")
    has_station = models.SmallIntegerField("有在用服务站")
    small_station = models.SmallIntegerField("服务站面积低于目标")
    volunteer_organizations = models.BigIntegerField("志愿者组织")
    registered_volunteers = models.BigIntegerField("注册志愿者")

    class Meta:
        verbose_name = "社区年度达标判定"
        verbose_name_plural = "社区年度达标判定"
        constraints = [
            models.UniqueConstraint(fields=["community", "year"], name="community_verdicts_unique")
        ]
        indexes = [models.Index(fields=["year", "community"], name="community_verdicts_year")]

    def __str__(self):
        return f"{self.community_id} {self.year}"


def _verdict_columns():
    from .registry import COMMUNITY_INDICATORS

    for indicator in COMMUNITY_INDICATORS:
        name = indicator.short_name
        yield f"{indicator.code}_ok", models.SmallIntegerField(f"{name}：达标", null=True)
        yield f"{indicator.code}_gap", models.BigIntegerField(f"{name}：差距（百万分之一）")
        if indicator.region_value == "ratio_of_sums":
            yield f"{indicator.code}_num", models.BigIntegerField(f"{name}：分子（百万分之一）")
            yield f"{indicator.code}_den", models.BigIntegerField(f"{name}：分母（百万分之一）")


for _name, _field in _verdict_columns():
    CommunityVerdicts.add_to_class(_name, _field)


class CommunityStars(models.Model):
    """How many of one community's volunteers stand at one star level now.

    A volunteer's level is reached by the confirmed hours of all years (``StarThreshold``);
    only volunteers with a confirmed record are counted (the others are at level 0). Kept
    current with the figures (``targets.figures``), judged against the thresholds whose
    fingerprint ``thresholds_key`` holds; a read for other thresholds counts the records.
    """

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        db_column="community_code",
        related_name="+",
        db_constraint=False,
    )
    level = models.PositiveSmallIntegerField("星级")
    volunteers = models.PositiveIntegerField("志愿者人数")
    thresholds_key = models.CharField("星级标准指纹", max_length=40)

    class Meta:
        verbose_name = "社区志愿者星级人数"
        verbose_name_plural = "社区志愿者星级人数"
        constraints = [
            models.UniqueConstraint(fields=["community", "level"], name="community_stars_unique")
        ]

    def __str__(self):
        return f"{self.community_id} {self.level}"
