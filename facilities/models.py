"""Community service facilities: street centres, community stations, specialized facilities."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from communities.models import Community
from core.dates import YEAR_VALIDATORS
from core.models import CleanTextModel, Lifespan, ScopedRecord, VersionedModel
from streets.models import Street

from .querysets import FacilityFundingQuerySet, FacilityQuerySet

MAX_FLOOR_AREA = Decimal("100000")


class FacilityKind(models.TextChoices):
    CENTRE = "centre", "街道社区服务中心"
    STATION = "station", "社区服务站"
    SPECIALIZED = "specialized", "专项服务设施"


class SpecializedType(models.TextChoices):
    DAY_CARE = "day_care", "老年人日间照料中心"
    HEALTH = "health", "社区卫生服务站"
    CULTURE_SPORTS = "culture_sports", "文体活动室"
    CHILDREN = "children", "儿童活动场所"
    DISABILITY = "disability", "残疾人康复站"
    LIBRARY = "library", "图书阅览室"
    OTHER = "other", "其他"


class ConstructionMode(models.TextChoices):
    NEW_BUILD = "new_build", "新建"
    EXTENSION = "extension", "改扩建"
    PURCHASE = "purchase", "购置"
    REPURPOSE = "repurpose", "整合利用"


class ServiceItem(models.TextChoices):
    """The "一站式" public services of 甘政办发〔2012〕192号 一."""

    EMPLOYMENT = "employment", "劳动就业"
    SOCIAL_INSURANCE = "social_insurance", "社会保险"
    SOCIAL_ASSISTANCE = "social_assistance", "社会救助"
    PUBLIC_SECURITY = "public_security", "社会治安"
    SOCIAL_SECURITY = "social_security", "社会保障"
    HEALTH_FAMILY_PLANNING = "health_family_planning", "卫生计生"
    CULTURE_EDUCATION_SPORTS = "culture_education_sports", "文化教育体育"
    MIGRANT_MANAGEMENT = "migrant_management", "流动人口管理"


class Facility(ScopedRecord, Lifespan, VersionedModel):
    """社区服务设施: a street's service centre, a community's station or a specialized facility."""

    SCOPE_FIELD = "code"
    HISTORY_KEY = "facility"  # /history/facility/<pk>/
    LIFESPAN = ("opened_on", "closed_on")
    # Columns the row derives from others: an import's bulk update writes them too.
    DERIVED_FIELDS = ("code",)
    # JSON lists of choice codes, shown by their labels in the history.
    LIST_CHOICES = {"services": ServiceItem}

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("设施类型", max_length=16, choices=FacilityKind.choices, db_index=True)
    specialized_type = models.CharField(
        "专项设施类别", max_length=32, choices=SpecializedType.choices, blank=True
    )
    street = models.ForeignKey(
        Street,
        verbose_name="所属街道（服务中心）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="facilities",
        db_column="street_code",
    )
    community = models.ForeignKey(
        Community,
        verbose_name="所属社区（服务站、专项设施）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="facilities",
        db_column="community_code",
    )
    # The owner's official code (the street's for a centre, the community's otherwise), kept
    # on the row so that scoping and roll-ups are one indexed prefix filter.
    code = models.CharField("所属区划代码", max_length=12, db_index=True, editable=False)
    floor_area = models.DecimalField(
        "建筑面积（平方米）",
        max_digits=9,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0.01"), message="建筑面积必须大于0平方米。"),
            MaxValueValidator(MAX_FLOOR_AREA, message="建筑面积不能超过100000平方米。"),
        ],
    )
    opened_on = models.DateField(
        "投入使用日期", null=True, blank=True, help_text="规划或在建设施留空。"
    )
    closed_on = models.DateField("停用日期", null=True, blank=True)
    construction_mode = models.CharField(
        "建设方式",
        max_length=16,
        choices=ConstructionMode.choices,
        default=ConstructionMode.NEW_BUILD,
    )
    address = models.CharField("地址", max_length=200, blank=True)
    services = models.JSONField("一站式服务项目", default=list, blank=True)

    objects = FacilityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "社区服务设施"
        verbose_name_plural = "社区服务设施"
        ordering = ["code", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(floor_area__gt=0) & models.Q(floor_area__lte=MAX_FLOOR_AREA),
                name="facility_floor_area_range",
                violation_error_message="建筑面积必须大于0且不超过100000平方米。",
            ),
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(opened_on__isnull=True)
                | models.Q(closed_on__gte=models.F("opened_on")),
                name="facility_closed_after_opened",
                violation_error_message="停用日期不能早于投入使用日期。",
            ),
        ]
        indexes = [models.Index(fields=["kind", "code"], name="facility_kind_code")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.code = self.scope_code
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        if self.kind == FacilityKind.CENTRE:
            return f"{self.street.get_absolute_url()}#centres"
        return f"{self.community.get_absolute_url()}#facilities"

    @property
    def scope_code(self) -> str:
        """Return the owner's code: the street's for a centre, the community's otherwise."""
        if self.kind == FacilityKind.CENTRE:
            return self.street_id or ""
        return self.community_id or ""

    def is_in_service_at(self, year: int) -> bool:
        """Say whether the facility is in service on 31 December of ``year``."""
        return self.is_active_at(year)

    def clean_fields(self, exclude=None):
        # The stored code is the owner's, derived before the fields are checked.
        self.code = self.scope_code
        super().clean_fields(exclude)

    def clean(self):
        errors = self.lifespan_errors()
        if self.kind == FacilityKind.CENTRE:
            if not self.street_id:
                errors["street"] = "街道社区服务中心必须指定所属街道。"
            if self.community_id:
                errors["community"] = "街道社区服务中心属于街道，不能指定社区。"
        elif self.kind in (FacilityKind.STATION, FacilityKind.SPECIALIZED):
            if not self.community_id:
                errors["community"] = "社区服务站和专项服务设施必须指定所属社区。"
            if self.street_id and self.community_id:
                try:
                    street_of_community = self.community.street_id
                except Community.DoesNotExist:
                    street_of_community = None  # clean_fields() reports the unknown community
                if street_of_community is not None and street_of_community != self.street_id:
                    errors["street"] = "所属街道与社区所在街道不一致。"
        if self.kind != FacilityKind.SPECIALIZED and self.specialized_type:
            errors["specialized_type"] = "只有专项服务设施才有专项设施类别。"
        if self.kind == FacilityKind.SPECIALIZED and not self.specialized_type:
            errors["specialized_type"] = (
                "专项服务设施必须选择专项设施类别（如老年人日间照料中心、社区卫生服务站）。"
            )
        if self.closed_on and not self.opened_on:
            errors["closed_on"] = "未投入使用的设施不能有停用日期。"
        if not isinstance(self.services, list) or any(
            s not in ServiceItem.values for s in self.services
        ):
            errors["services"] = "服务项目无效，可选：" + "、".join(ServiceItem.labels) + "。"
        if errors:
            raise ValidationError(errors)


class FacilityFunding(ScopedRecord, CleanTextModel):
    """设施资金: one funding line (source, year, amount in 万元) of a facility."""

    SCOPE_FIELD = "facility__code"

    class Source(models.TextChoices):
        CENTRAL = "central", "中央预算内投资"
        PROVINCIAL = "provincial", "省级补助"
        LOCAL = "local", "市县自筹"
        LOTTERY = "lottery", "福彩公益金"
        SOCIAL = "social", "社会资金"

    facility = models.ForeignKey(
        Facility, verbose_name="设施", on_delete=models.CASCADE, related_name="fundings"
    )
    source = models.CharField("资金来源", max_length=16, choices=Source.choices)
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    amount_wan_yuan = models.DecimalField(
        "金额（万元）",
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), message="金额必须大于0。")],
    )

    objects = FacilityFundingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "设施资金"
        verbose_name_plural = "设施资金"
        ordering = ["facility_id", "year"]

    def __str__(self):
        return f"{self.get_source_display()} {self.year}年 {self.amount_wan_yuan}万元"

    def get_absolute_url(self):
        return self.facility.get_absolute_url()
