"""The real-name volunteer register: organisations, volunteers and their service records."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from communities.models import Community
from core.models import CleanTextModel, Lifespan, ScopedRecord, VersionedModel
from core.validators import (
    mask_id_number,
    mask_phone,
    normalize_id_number,
    validate_id_number,
    validate_phone,
)

from .querysets import ServiceRecordQuerySet, VolunteerOrganizationQuerySet, VolunteerQuerySet


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class ServiceCategory(models.TextChoices):
    SOCIAL_ASSISTANCE = "social_assistance", "社会救助"
    DISABILITY = "disability", "助残"
    VETERANS = "veterans", "优抚"
    EMPLOYMENT = "employment", "就业"
    ELDERLY = "elderly", "为老"
    CULTURE_SPORTS = "culture_sports", "文体"
    EDUCATION = "education", "助学"
    ENVIRONMENT = "environment", "环保"
    SAFETY = "safety", "治安"
    HEALTH = "health", "医疗卫生"


class VolunteerOrganization(ScopedRecord, Lifespan, VersionedModel):
    """社区志愿者组织."""

    SCOPE_FIELD = "community_id"
    HISTORY_KEY = "volunteer-organization"  # /history/volunteer-organization/<pk>/

    community = models.ForeignKey(
        Community,
        verbose_name="社区",
        on_delete=models.PROTECT,
        related_name="volunteer_organizations",
        db_column="community_code",
    )
    name = models.CharField("名称", max_length=100)
    registered_on = models.DateField("成立日期")
    dissolved_on = models.DateField("解散日期", null=True, blank=True)

    objects = VolunteerOrganizationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "志愿者组织"
        verbose_name_plural = "志愿者组织"
        ordering = ["community_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"],
                name="volunteer_org_unique_name",
                violation_error_message="该社区已有同名的志愿者组织。",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{self.community.get_absolute_url()}#volunteer-organizations"


class Volunteer(ScopedRecord, Lifespan, VersionedModel):
    """注册志愿者: one entry of the real-name register; the ID number is unique in the province."""

    SCOPE_FIELD = "community_id"
    HISTORY_KEY = "volunteer"  # /history/volunteer/<pk>/
    LIFESPAN = ("registered_on", "left_on")
    LIST_CHOICES = {"service_categories": ServiceCategory}

    community = models.ForeignKey(
        Community,
        verbose_name="社区",
        on_delete=models.PROTECT,
        related_name="volunteers",
        db_column="community_code",
    )
    organization = models.ForeignKey(
        VolunteerOrganization,
        verbose_name="志愿者组织",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteers",
    )
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=8, choices=Gender.choices)
    id_number = models.CharField(
        "身份证号码",
        max_length=18,
        unique=True,
        validators=[validate_id_number],
        # Neutral: says nothing of where the number is registered (volunteers.services).
        error_messages={
            "unique": "该身份证号码不能在此登记；如该志愿者已迁入本社区，请联系所在街道办理志愿者转移。"
        },
    )
    phone = models.CharField("联系电话", max_length=20, blank=True, validators=[validate_phone])
    is_party_member = models.BooleanField("是否党员", default=False)
    registered_on = models.DateField("注册日期")
    left_on = models.DateField("退出日期", null=True, blank=True)
    service_categories = models.JSONField("服务类别", default=list, blank=True)

    objects = VolunteerQuerySet.as_manager()
    # Personal data stays out of the history tables (PIPL): it is stored once.
    history = HistoricalRecords(excluded_fields=["id_number", "phone"])

    class Meta:
        verbose_name = "注册志愿者"
        verbose_name_plural = "注册志愿者"
        ordering = ["community_id", "id"]
        indexes = [
            models.Index(fields=["community", "registered_on"], name="volunteer_community_reg"),
            # Departed volunteers only (a few percent): the compliance engine counts those
            # registered by a date from the index above and subtracts those gone from this one.
            models.Index(
                fields=["community", "left_on", "registered_on"],
                name="volunteer_community_left",
                condition=models.Q(left_on__isnull=False),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{self.community.get_absolute_url()}#volunteers"

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    def clean(self):
        errors = self.lifespan_errors()
        self.id_number = normalize_id_number(self.id_number)
        if self.organization_id and self.community_id:
            try:
                organization_community = self.organization.community_id
            except VolunteerOrganization.DoesNotExist:
                organization_community = None  # clean_fields() reports the unknown organisation
            if organization_community is not None and organization_community != self.community_id:
                errors["organization"] = "志愿者组织必须属于同一社区。"
        cats = self.service_categories
        if not isinstance(cats, list) or any(c not in ServiceCategory.values for c in cats):
            errors["service_categories"] = (
                "服务类别无效，可选：" + "、".join(ServiceCategory.labels) + "。"
            )
        if errors:
            raise ValidationError(errors)


class ServiceRecord(ScopedRecord, CleanTextModel):
    """志愿服务记录: one activity of a volunteer, for the service-hours record."""

    SCOPE_FIELD = "volunteer__community_id"

    volunteer = models.ForeignKey(
        Volunteer, verbose_name="志愿者", on_delete=models.CASCADE, related_name="service_records"
    )
    served_on = models.DateField("服务日期")
    hours = models.DecimalField(
        "服务时长（小时）",
        max_digits=5,
        decimal_places=1,
        validators=[
            MinValueValidator(Decimal("0.5"), message="服务时长至少0.5小时。"),
            MaxValueValidator(Decimal("24"), message="单次服务时长不能超过24小时。"),
        ],
    )
    category = models.CharField("服务类别", max_length=32, choices=ServiceCategory.choices)
    activity = models.CharField("活动内容", max_length=200)

    objects = ServiceRecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "志愿服务记录"
        verbose_name_plural = "志愿服务记录"
        ordering = ["-served_on"]

    def __str__(self):
        return f"{self.served_on} {self.activity}"

    def get_absolute_url(self):
        return self.volunteer.get_absolute_url()
