"""The real-name volunteer register: organisations, volunteers and their service records."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Right
from simple_history.models import HistoricalRecords

from communities.models import Community
from core.models import CleanTextModel, Lifespan, ScopedRecord, VersionedModel
from core.validators import (
    gender_mismatch_error,
    mask_id_number,
    mask_phone,
    normalize_id_number,
    validate_id_number,
    validate_phone,
)

from .duplicate_message import DUPLICATE_ELSEWHERE
from .querysets import (
    ServiceRecordQuerySet,
    StarThresholdQuerySet,
    TransferRequestQuerySet,
    VolunteerOrganizationQuerySet,
    VolunteerQuerySet,
)


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


class OrganizationRegistration(models.TextChoices):
    FILED = "filed", "备案"
    REGISTERED = "registered", "登记"


class RecordStatus(models.TextChoices):
    RECORDED = "recorded", "待确认"
    CONFIRMED = "confirmed", "已确认"
    DISPUTED = "disputed", "申请更正"
    REFUSED = "refused", "不予确认"


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", "待审核"
    APPROVED = "approved", "已同意"
    REFUSED = "refused", "未同意"
    WITHDRAWN = "withdrawn", "已撤回"


class Rating(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"


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
    registration_status = models.CharField(
        "登记状态",
        max_length=16,
        choices=OrganizationRegistration.choices,
        default=OrganizationRegistration.FILED,
        blank=True,
    )
    registration_number = models.CharField(
        "登记证号", max_length=50, blank=True, help_text="在民政部门登记的，填写登记证书号。"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="负责人（平台用户）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_volunteer_organizations",
        help_text="负责人是平台用户时，可确认本组织记录的志愿服务。",
    )
    manager_name = models.CharField("负责人姓名", max_length=50, blank=True)
    contact_phone = models.CharField(
        "联系电话", max_length=20, blank=True, validators=[validate_phone]
    )

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

    @property
    def manager_label(self) -> str:
        """Return the manager's name as a certificate prints it."""
        if self.manager_name:
            return self.manager_name
        if self.manager_id:
            return self.manager.get_full_name() or self.manager.get_username()
        return ""

    def clean(self):
        errors = self.lifespan_errors()
        if not self.registration_status:
            self.registration_status = OrganizationRegistration.FILED
        number = (self.registration_number or "").strip()
        self.registration_number = number
        if self.registration_status == OrganizationRegistration.REGISTERED and not number:
            errors["registration_number"] = "已在民政部门登记的组织须填写登记证号。"
        if errors:
            raise ValidationError(errors)


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
        # Neutral: says nothing of where the number is registered (volunteers.duplicates).
        error_messages={"unique": DUPLICATE_ELSEWHERE},
    )
    # The last four characters of the ID number, kept by the database itself and indexed:
    # what a resident reads out at the window ("尾号1234"), found without a scan.
    id_tail = models.GeneratedField(
        verbose_name="身份证号码后四位",
        expression=Right("id_number", 4),
        output_field=models.CharField(max_length=4),
        db_persist=True,
        db_index=True,
    )
    phone = models.CharField("联系电话", max_length=20, blank=True, validators=[validate_phone])
    is_party_member = models.BooleanField("是否党员", default=False)
    registered_on = models.DateField("注册日期")
    left_on = models.DateField("退出日期", null=True, blank=True)
    service_categories = models.JSONField("服务类别", default=list, blank=True)

    objects = VolunteerQuerySet.as_manager()
    # Personal data stays out of the history tables (PIPL): it is stored once.
    history = HistoricalRecords(excluded_fields=["id_number", "id_tail", "phone"])

    class Meta:
        verbose_name = "注册志愿者"
        verbose_name_plural = "注册志愿者"
        ordering = ["community_id", "id"]
        indexes = [
            models.Index(fields=["community", "registered_on"], name="volunteer_community_reg"),
            # Search: by name, and by the last four characters of the ID number (the digits a
            # resident reads out), without a scan of a million rows.
            models.Index(fields=["name"], name="volunteer_name"),
            # Departed volunteers only (a few percent): the compliance engine counts those
            # registered by a date from the index above and subtracts those gone from this one.
            models.Index(
                fields=["community", "left_on", "registered_on"],
                name="volunteer_community_left",
                condition=models.Q(left_on__isnull=False),
            ),
            # Party members only: a community's party-member volunteers by year are counted
            # from this index, not from every volunteer of the community (a registration's
            # figures upkeep).
            models.Index(
                fields=["community", "registered_on", "left_on"],
                name="volunteer_community_party",
                condition=models.Q(is_party_member=True),
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
        mismatch = gender_mismatch_error(self.gender, self.id_number)
        if mismatch:
            errors["gender"] = mismatch
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


class ServiceRecord(ScopedRecord, VersionedModel):
    """志愿服务记录 (《志愿服务记录与证明出具办法（试行）》): one activity of one volunteer.

    Hours are those of actual service, without travel. Only ``confirmed`` records count
    towards a volunteer's hours, star level and certificates; the organisation that recorded
    the service is the one that confirms and certifies it (谁记录谁证明).
    """

    SCOPE_FIELD = "volunteer__community_id"
    HISTORY_KEY = "service-record"  # /history/service-record/<pk>/

    volunteer = models.ForeignKey(
        Volunteer, verbose_name="志愿者", on_delete=models.CASCADE, related_name="service_records"
    )
    organization = models.ForeignKey(
        VolunteerOrganization,
        verbose_name="记录组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_records",
        help_text="记录本次服务的志愿者组织；留空表示由社区记录。",
    )
    activity = models.CharField("活动名称", max_length=200)
    served_on = models.DateField("服务日期")
    place = models.CharField("服务地点", max_length=200, blank=True)
    people_served = models.PositiveIntegerField("服务对象人数", default=0)
    beneficiaries = models.CharField(
        "服务对象", max_length=100, blank=True, help_text="如：老人、残疾人、优抚对象、儿童。"
    )
    content = models.TextField("服务内容", max_length=2000, blank=True)
    hours = models.DecimalField(
        "服务时长（小时）",
        max_digits=5,
        decimal_places=1,
        validators=[
            MinValueValidator(Decimal("0.5"), message="服务时长至少0.5小时。"),
            MaxValueValidator(Decimal("24"), message="单次服务时长不能超过24小时。"),
        ],
        help_text="实际服务时间，不含往返路途时间；以0.5小时为单位。",
    )
    category = models.CharField("服务类别", max_length=32, choices=ServiceCategory.choices)
    leader = models.CharField("活动负责人", max_length=50, blank=True)
    rating = models.CharField("服务评价", max_length=16, choices=Rating.choices, blank=True)
    recorder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        "状态",
        max_length=16,
        choices=RecordStatus.choices,
        default=RecordStatus.RECORDED,
        editable=False,
    )
    status_reason = models.CharField(
        "更正或不予确认理由", max_length=500, blank=True, editable=False
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True, editable=False)

    objects = ServiceRecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "志愿服务记录"
        verbose_name_plural = "志愿服务记录"
        ordering = ["-served_on"]
        indexes = [
            models.Index(fields=["volunteer", "status", "served_on"], name="service_record_count"),
        ]

    def __str__(self):
        return f"{self.served_on} {self.activity}"

    def get_absolute_url(self):
        return self.volunteer.get_absolute_url()

    @property
    def counts(self) -> bool:
        """Say whether the record counts towards hours, stars and certificates."""
        return self.status == RecordStatus.CONFIRMED

    @property
    def issuer_label(self) -> str:
        """Return the recording organisation's name (the community's when none)."""
        if self.organization_id:
            return self.organization.name
        return self.volunteer.community.name

    def clean(self):
        errors = {}
        if self.hours is not None and (self.hours * 2) % 1:
            errors["hours"] = "服务时长以0.5小时为单位。"
        if self.organization_id and self.volunteer_id:
            try:
                org_community = self.organization.community_id
            except VolunteerOrganization.DoesNotExist:
                org_community = None
            if org_community is not None and org_community != self.volunteer.community_id:
                errors["organization"] = "记录组织必须是志愿者所在社区的志愿者组织。"
        if self.served_on and self.volunteer_id:
            volunteer = self.volunteer
            if volunteer.registered_on and self.served_on < volunteer.registered_on:
                errors["served_on"] = "服务日期不能早于志愿者注册日期。"
        if errors:
            raise ValidationError(errors)


class StarThreshold(CleanTextModel):
    """星级志愿者的累计服务时长门槛: plan data, kept by provincial administrators."""

    level = models.PositiveSmallIntegerField(
        "星级", primary_key=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    name = models.CharField("名称", max_length=20)
    min_hours = models.DecimalField(
        "累计服务时长不少于（小时）",
        max_digits=7,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )

    objects = StarThresholdQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "星级志愿者标准"
        verbose_name_plural = "星级志愿者标准"
        ordering = ["level"]

    def __str__(self):
        return f"{self.name}（{self.min_hours}小时）"


class TransferRequest(ScopedRecord, VersionedModel):
    """志愿者转移申请: the receiving community asks for a volunteer registered elsewhere.

    Staff of the receiving community name the volunteer by the full ID number they hold and
    learn nothing else of the registration before the transfer is approved; the official of
    the level that covers both communities, or of the sending street, approves or refuses it
    (``volunteers.policies.TransferRequestPolicy``). On approval the volunteer, with their
    history and service records, moves to the receiving community.
    """

    SCOPE_FIELD = "to_community_id"
    HISTORY_KEY = "volunteer-transfer"  # /history/volunteer-transfer/<pk>/

    volunteer = models.ForeignKey(
        Volunteer,
        verbose_name="志愿者",
        on_delete=models.CASCADE,
        related_name="transfer_requests",
        editable=False,
    )
    from_community = models.ForeignKey(
        Community,
        verbose_name="转出社区",
        on_delete=models.PROTECT,
        related_name="transfers_out",
        db_column="from_community_code",
        editable=False,
    )
    to_community = models.ForeignKey(
        Community,
        verbose_name="转入社区",
        on_delete=models.PROTECT,
        related_name="transfers_in",
        db_column="to_community_code",
    )
    reason = models.CharField(
        "申请理由", max_length=500, help_text="如：该志愿者已迁入本社区居住。"
    )
    status = models.CharField(
        "状态",
        max_length=16,
        choices=TransferStatus.choices,
        default=TransferStatus.REQUESTED,
        editable=False,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True, editable=False)
    decision_reason = models.CharField("审核意见", max_length=500, blank=True, editable=False)

    objects = TransferRequestQuerySet.as_manager()
    # Who is asked for stays out of the history, which the asking side reads before approval;
    # neither field changes after the request is made.
    history = HistoricalRecords(excluded_fields=["volunteer", "from_community"])

    class Meta:
        verbose_name = "志愿者转移申请"
        verbose_name_plural = "志愿者转移申请"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer"],
                condition=models.Q(status="requested"),
                name="volunteer_transfer_one_open",
                violation_error_message="该志愿者已有待审核的转移申请。",
            ),
        ]

    def __str__(self):
        return f"志愿者转移申请 #{self.pk}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("volunteer-transfer-detail", args=[self.pk])

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.volunteer.id_number) if self.volunteer_id else ""

    def clean(self):
        if (
            self.from_community_id
            and self.to_community_id
            and self.from_community_id == self.to_community_id
        ):
            raise ValidationError({"to_community": "该志愿者已在本社区登记，无需转移。"})
