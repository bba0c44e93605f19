"""Issuing and revoking certificates (志愿服务证明).

A certificate sums the volunteer's confirmed records of one issuer (an organisation, or the
community for the records it made itself) over a period, and freezes what it says in
``content``. Its number is ``{社区代码}-{年度}-{6位序号}``, the serial counted per community
and year; a short check code printed on it opens the public verification page.
"""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from core.policy import policy_for
from core.services import record_save
from core.workflow import transition_run
from volunteers.models import ServiceCategory, ServiceRecord, Volunteer, VolunteerOrganization
from workforce.models import Worker, WorkerRole

from .models import Certificate
from .workflow import CERTIFICATE_WORKFLOW

# No 0/O, 1/I/L: the code is typed from paper.
CHECK_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CHECK_LENGTH = 6
MAIN_ACTIVITIES = 8  # what fits on the one A4 page beside the issuer's block


def check_code_new() -> str:
    """Return a fresh random check code."""
    return "".join(secrets.choice(CHECK_ALPHABET) for _ in range(CHECK_LENGTH))


def certificate_number(community_code: str, year: int, serial: int) -> str:
    """Return a certificate's number: ``620102016001-2015-000001``."""
    return f"{community_code}-{year}-{serial:06d}"


def _user_label(user) -> str:
    if user is None:
        return ""
    return (user.get_full_name() or user.get_username()).strip()


def _community_head(community, day) -> str:
    """Return the community's director (居委会主任) on ``day``, the 负责人 when it issues."""
    worker = (
        Worker.objects.filter(community=community, role=WorkerRole.DIRECTOR, hired_on__lte=day)
        .exclude(left_on__lte=day)
        .order_by("-hired_on")
        .first()
    )
    return worker.name if worker else ""


def certificate_content(
    *, volunteer: Volunteer, organization, period_from, period_to, handler: str, contact: str, day
) -> dict:
    """Return what the certificate says, from the issuer's confirmed records of the period."""
    records = ServiceRecord.objects.filter(
        volunteer=volunteer,
        organization=organization,
        status="confirmed",
        served_on__gte=period_from,
        served_on__lte=period_to,
    )
    totals = records.aggregate(hours=Sum("hours"), count=Count("pk"))
    if not totals["count"]:
        raise ValidationError(
            {
                "period_to": "该期间没有本组织已确认的服务记录，不能出具证明（只有已确认的记录计入）。"
            }
        )
    by_category = [
        {
            "category": row["category"],
            "label": ServiceCategory(row["category"]).label,
            "hours": f"{row['total']:.1f}",
        }
        for row in records.order_by()
        .values("category")
        .annotate(total=Sum("hours"))
        .order_by("-total")
    ]
    main = [
        {"served_on": r.served_on.isoformat(), "activity": r.activity, "hours": f"{r.hours:.1f}"}
        for r in records.order_by("-hours", "served_on")[:MAIN_ACTIVITIES]
    ]
    community = volunteer.community
    if organization is not None:
        issuer = organization.name
        head = organization.manager_label
        registration = f"{organization.get_registration_status_display()}" + (
            f"（{organization.registration_number}）" if organization.registration_number else ""
        )
        contact = contact or organization.contact_phone
    else:
        issuer = community.name
        head = _community_head(community, day)
        registration = ""
    return {
        "volunteer_name": volunteer.name,
        "gender": volunteer.get_gender_display(),
        "id_number_masked": volunteer.id_number_masked,
        "registered_on": volunteer.registered_on.isoformat(),
        "community": community.name,
        "issuer": issuer,
        "issuer_registration": registration,
        "head": head,
        "handler": handler,
        "contact": contact,
        "period_from": period_from.isoformat(),
        "period_to": period_to.isoformat(),
        "hours": f"{totals['hours']:.1f}",
        "record_count": totals["count"],
        "by_category": by_category,
        "main_activities": main,
        "issued_on": day.isoformat(),
    }


def certificate_issue(
    *,
    volunteer: Volunteer,
    user,
    period_from,
    period_to,
    organization: VolunteerOrganization | None = None,
    contact: str = "",
    issued_on=None,
) -> Certificate:
    """Issue a certificate of ``volunteer``'s confirmed service with ``organization`` (or the community)."""
    policy = policy_for(Certificate)
    if user is not None and not policy.can_issue(user, volunteer, organization):
        raise PermissionDenied(policy.message("add"))
    day = issued_on or timezone.localdate()
    errors = {}
    if organization is not None and organization.community_id != volunteer.community_id:
        errors["organization"] = "出具组织必须是志愿者所在社区的志愿者组织。"
    if period_from and period_to and period_to < period_from:
        errors["period_to"] = "服务截止日期不能早于起始日期。"
    if period_to and period_to > day:
        errors["period_to"] = "服务截止日期不能晚于出具日期。"
    if errors:
        raise ValidationError(errors)
    content = certificate_content(
        volunteer=volunteer,
        organization=organization,
        period_from=period_from,
        period_to=period_to,
        handler=_user_label(user),
        contact=(contact or "").strip()[:50],
        day=day,
    )
    community_code = volunteer.community_id
    for _attempt in range(5):
        try:
            with transaction.atomic():
                last = Certificate.objects.filter(
                    community_id=community_code, year=day.year
                ).aggregate(last=Max("serial"))["last"]
                serial = (last or 0) + 1
                certificate = Certificate(
                    number=certificate_number(community_code, day.year, serial),
                    community_id=community_code,
                    year=day.year,
                    serial=serial,
                    volunteer=volunteer,
                    organization=organization,
                    period_from=period_from,
                    period_to=period_to,
                    hours=content["hours"],
                    issued_on=day,
                    issued_by=user,
                    check_code=check_code_new(),
                    content=content,
                )
                return record_save(instance=certificate, user=user)
        except IntegrityError:
            continue  # another issue took the serial; count again
    raise ValidationError("证明编号分配冲突，请稍后重试。")


def certificate_revoke(
    *, certificate: Certificate, user, reason: str, expected_version: int | None = None
) -> Certificate:
    """Revoke a certificate with a reason; the verification page then says so."""
    policy_for(Certificate).require(user, "revoke", certificate)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "撤销证明时必须填写原因。"})
    return transition_run(
        workflow=CERTIFICATE_WORKFLOW,
        instance=certificate,
        user=user,
        name="revoke",
        expected_version=expected_version,
        changes={"revoked_at": timezone.now(), "revoke_reason": reason[:500]},
        audit_action="record_change",
    )
