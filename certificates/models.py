"""志愿服务证明: certificates of a volunteer's confirmed service, issued by the recording organisation.

《志愿服务记录与证明出具办法（试行）》 (2020): the organisation that recorded the service
certifies it (谁记录谁证明); a certificate shows the volunteer's identity, the hours and content
of the service, the issuing organisation with its 负责人, 经办人 and contact, a number and a
date. What a certificate says is frozen when it is issued (``content``): later changes of the
records do not alter it. It can be revoked, with a reason.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from communities.models import Community
from core.models import ScopedRecord, VersionedModel
from core.scoping import ScopedQuerySet
from volunteers.models import Volunteer, VolunteerOrganization


class CertificateStatus(models.TextChoices):
    VALID = "valid", "有效"
    REVOKED = "revoked", "已撤销"


def mask_name(name: str) -> str:
    """Return a name as the public page shows it: the first character and one star (王*)."""
    name = (name or "").strip()
    return f"{name[0]}*" if name else ""


class CertificateQuerySet(ScopedQuerySet):
    def valid(self):
        return self.filter(status=CertificateStatus.VALID)


class Certificate(ScopedRecord, VersionedModel):
    """志愿服务证明: one volunteer, one issuer, one period; numbered ``{社区代码}-{年}-{序号}``."""

    SCOPE_FIELD = "community_id"
    HISTORY_KEY = "certificate"

    number = models.CharField("证明编号", max_length=32, unique=True, editable=False)
    community = models.ForeignKey(
        Community,
        verbose_name="社区",
        on_delete=models.PROTECT,
        related_name="certificates",
        db_column="community_code",
        editable=False,
    )
    year = models.PositiveSmallIntegerField("出具年度", editable=False)
    serial = models.PositiveIntegerField("序号", editable=False)
    volunteer = models.ForeignKey(
        Volunteer, verbose_name="志愿者", on_delete=models.PROTECT, related_name="certificates"
    )
    organization = models.ForeignKey(
        VolunteerOrganization,
        verbose_name="出具组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
        help_text="留空表示由社区出具（社区记录的服务）。",
    )
    period_from = models.DateField("服务起始日期")
    period_to = models.DateField("服务截止日期")
    hours = models.DecimalField("服务时长（小时）", max_digits=8, decimal_places=1, editable=False)
    issued_on = models.DateField("出具日期", editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    check_code = models.CharField("校验码", max_length=8, editable=False)
    content = models.JSONField("证明内容（出具时固定）", default=dict, editable=False)
    status = models.CharField(
        "状态",
        max_length=16,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
        editable=False,
    )
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True, editable=False)
    revoke_reason = models.CharField("撤销原因", max_length=500, blank=True, editable=False)

    objects = CertificateQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["content"])

    class Meta:
        verbose_name = "志愿服务证明"
        verbose_name_plural = "志愿服务证明"
        ordering = ["-issued_on", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "year", "serial"], name="certificate_unique_serial"
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("certificate-detail", args=[self.number])

    @property
    def is_valid(self) -> bool:
        return self.status == CertificateStatus.VALID

    @property
    def masked_name(self) -> str:
        return mask_name(self.content.get("volunteer_name", ""))

    @property
    def issuer_name(self) -> str:
        return self.content.get("issuer", "")
