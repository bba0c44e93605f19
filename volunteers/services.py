"""Service records: entry (one or many volunteers of one activity) and the confirmation flow.

Who may take each step is ``volunteers.policies.ServiceRecordPolicy``; which states a step
leaves from is ``volunteers.workflow.RECORD_WORKFLOW``; each step runs through
``core.workflow.transition_run`` (version, history, audit).
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.policy import ADD, policy_for
from core.scoping import code_is_under, user_scope_code
from core.services import record_save
from core.validators import normalize_id_number, validate_id_number
from core.workflow import transition_run

from .models import ServiceRecord, TransferRequest, Volunteer
from .workflow import RECORD_WORKFLOW, TRANSFER_WORKFLOW

REASON_MAX = 500
#: The fields one activity shares between all its volunteers in a bulk entry.
ACTIVITY_FIELDS = (
    "organization",
    "activity",
    "served_on",
    "place",
    "people_served",
    "beneficiaries",
    "content",
    "category",
    "leader",
    "rating",
)
BULK_MAX = 500


class BulkEntryError(ValidationError):
    """A bulk entry's problems: those of the shared fields, and those of each line by index."""

    def __init__(self, shared: dict, lines: dict[int, dict]):
        flat = {name: list(messages) for name, messages in shared.items()}
        for index, problems in lines.items():
            for name, messages in problems.items():
                flat[f"volunteers[{index}].{name}"] = list(messages)
        super().__init__(flat)
        self.shared = shared
        self.lines = lines

    def as_body(self) -> dict:
        """Return the API's 400 body: shared fields, and ``volunteers`` as ``{index: errors}``."""
        body = dict(self.shared)
        if self.lines:
            body["volunteers"] = {str(i): p for i, p in sorted(self.lines.items())}
        return body


def service_record_create(*, volunteer: Volunteer, user, data: dict) -> ServiceRecord:
    """Record one volunteer's service as ``user`` (the recorder)."""
    record = ServiceRecord(volunteer=volunteer, recorder=user, **data)
    return record_save(instance=record, user=user)


def _parse_hours(value) -> Decimal | None:
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        return None
    return hours if hours.is_finite() else None


def service_records_bulk_create(
    *, user, activity: dict, lines: list[dict], volunteers=None
) -> list[ServiceRecord]:
    """Record one activity for many volunteers at once: all lines are saved, or none.

    ``activity`` holds the shared fields (``ACTIVITY_FIELDS``); each line is
    ``{"volunteer": id or Volunteer, "hours": "2.5"}``. Every problem is reported by line
    (``BulkEntryError``) and nothing is saved.
    """
    volunteers = volunteers if volunteers is not None else policy_for(Volunteer).visible_to(user)
    if not lines:
        raise BulkEntryError({"volunteers": ["请至少填写一名志愿者。"]}, {})
    if len(lines) > BULK_MAX:
        raise BulkEntryError({"volunteers": [f"一次最多录入{BULK_MAX}名志愿者。"]}, {})
    ids = []
    for line in lines:
        ref = line.get("volunteer")
        ids.append(ref.pk if isinstance(ref, Volunteer) else ref)
    known = {
        v.pk: v
        for v in volunteers.filter(
            pk__in=[i for i in ids if isinstance(i, int) and 0 < i < 2**63]
        ).select_related("community")
    }
    shared = {name: activity[name] for name in ACTIVITY_FIELDS if name in activity}
    records, errors, seen = [], {}, set()
    for index, (line, pk) in enumerate(zip(lines, ids, strict=True)):
        problems = {}
        volunteer = known.get(pk) if isinstance(pk, int) else None
        if volunteer is None:
            problems["volunteer"] = ["志愿者不存在或不在您的管辖范围内。"]
        elif pk in seen:
            problems["volunteer"] = ["同一活动中该志愿者重复出现。"]
        seen.add(pk)
        hours = _parse_hours(line.get("hours"))
        if hours is None:
            problems["hours"] = ["请填写有效的服务时长。"]
        if not problems:
            record = ServiceRecord(volunteer=volunteer, recorder=user, hours=hours, **shared)
            if not policy_for(ServiceRecord).can(user, ADD, record.scope_code):
                problems["volunteer"] = ["您无权为该志愿者记录服务。"]
            else:
                try:
                    record.full_clean(exclude=["version"])
                except ValidationError as exc:
                    problems.update(exc.message_dict)
                records.append(record)
        if problems:
            errors[index] = problems
    if errors:
        shared_errors = {}
        for problems in errors.values():
            for name in list(problems):
                if name in shared:
                    shared_errors.setdefault(name, problems.pop(name))
        raise BulkEntryError(shared_errors, {i: p for i, p in errors.items() if p})
    with transaction.atomic():
        return [record_save(instance=record, user=user) for record in records]


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason[:REASON_MAX]


def service_record_confirm(
    *, record: ServiceRecord, user, expected_version: int | None = None
) -> ServiceRecord:
    """Confirm a recorded (or corrected) record: from now on it counts."""
    return transition_run(
        workflow=RECORD_WORKFLOW,
        instance=record,
        user=user,
        name="confirm",
        expected_version=expected_version,
        changes={"confirmed_by": user, "confirmed_at": timezone.now(), "status_reason": ""},
        audit_action="record_change",
    )


def service_record_dispute(
    *, record: ServiceRecord, user, reason: str, expected_version: int | None = None
) -> ServiceRecord:
    """Enter the volunteer's request to correct a record; it stops counting until settled."""
    policy_for(ServiceRecord).require(user, "dispute", record)
    reason = _reason(reason, "申请更正时必须填写理由。")
    return transition_run(
        workflow=RECORD_WORKFLOW,
        instance=record,
        user=user,
        name="dispute",
        expected_version=expected_version,
        changes={"status_reason": reason},
        audit_action="record_change",
    )


def service_record_refuse(
    *, record: ServiceRecord, user, reason: str, expected_version: int | None = None
) -> ServiceRecord:
    """Refuse a record (or settle a correction request by refusing it) with a reason."""
    policy_for(ServiceRecord).require(user, "refuse", record)
    reason = _reason(reason, "不予确认时必须填写理由。")
    return transition_run(
        workflow=RECORD_WORKFLOW,
        instance=record,
        user=user,
        name="refuse",
        expected_version=expected_version,
        changes={"status_reason": reason, "confirmed_by": user, "confirmed_at": timezone.now()},
        audit_action="record_change",
    )


# -- 志愿者转移 ---------------------------------------------------------------------------------

TRANSFER_NOT_FOUND = "未找到可转移的志愿者登记，请核对身份证号码；未在全省登记的志愿者可直接登记。"
TRANSFER_ALREADY_HERE = "该志愿者已在您的管辖范围内登记，无需转移。"


def transfer_request_create(*, user, to_community, id_number: str, reason: str) -> TransferRequest:
    """Ask, as staff of ``to_community``, for the volunteer registered under ``id_number``.

    The asking user learns nothing of the registration but that a request was made: every
    lookup outside their scope counts towards the day's limit of duplicates
    (``volunteers.duplicates``), so that requests are no cheaper a probe than the register.
    """
    from .duplicates import duplicate_id_hit, require_not_stopped

    policy = policy_for(TransferRequest)
    policy.require(user, ADD, to_community.pk)
    require_not_stopped(user)
    number = normalize_id_number(id_number or "")
    validate_id_number_field(number)
    reason = _reason(reason, "请填写申请理由（如：该志愿者已迁入本社区居住）。")
    volunteer = Volunteer.objects.filter(id_number=number).first()
    if volunteer is not None and code_is_under(volunteer.community_id, user_scope_code(user)):
        raise ValidationError({"id_number": TRANSFER_ALREADY_HERE})
    duplicate_id_hit(user=user, channel="transfer")
    if volunteer is None:
        raise ValidationError({"id_number": TRANSFER_NOT_FOUND})
    transfer = TransferRequest(
        volunteer=volunteer,
        from_community_id=volunteer.community_id,
        to_community=to_community,
        reason=reason,
        requested_by=user,
    )
    return record_save(instance=transfer, user=user)


def validate_id_number_field(number: str) -> None:
    try:
        validate_id_number(number)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None


def _decision(user, reason: str) -> dict:
    return {"decided_by": user, "decided_at": timezone.now(), "decision_reason": reason}


def transfer_approve(
    *, transfer: TransferRequest, user, reason: str = "", expected_version: int | None = None
) -> TransferRequest:
    """Approve a transfer: the volunteer, with their history and service records, moves."""
    reason = (reason or "").strip()[:REASON_MAX]
    with transaction.atomic():
        saved = transition_run(
            workflow=TRANSFER_WORKFLOW,
            instance=transfer,
            user=user,
            name="approve",
            expected_version=expected_version,
            changes=_decision(user, reason),
            audit_action="record_change",
        )
        volunteer = Volunteer.objects.select_for_update().get(pk=saved.volunteer_id)
        if volunteer.community_id != saved.from_community_id:
            raise ValidationError({"status": "该志愿者的登记社区已变化，请撤回后重新申请。"})
        volunteer.community_id = saved.to_community_id
        # An organisation belongs to one community: the volunteer leaves the old one's.
        volunteer.organization = None
        record_save(
            instance=volunteer,
            user=user,
            step="transfer_approve",
            reason=f"志愿者转移：{saved.from_community_id} → {saved.to_community_id}（申请 #{saved.pk}）",
        )
    return saved


def transfer_refuse(
    *, transfer: TransferRequest, user, reason: str, expected_version: int | None = None
) -> TransferRequest:
    """Refuse a transfer with a reason; the volunteer stays where they are registered."""
    reason = _reason(reason, "不同意转移时必须填写理由。")
    return transition_run(
        workflow=TRANSFER_WORKFLOW,
        instance=transfer,
        user=user,
        name="refuse",
        expected_version=expected_version,
        changes=_decision(user, reason),
        audit_action="record_change",
    )


def transfer_withdraw(
    *, transfer: TransferRequest, user, expected_version: int | None = None
) -> TransferRequest:
    """Withdraw a request that still waits for a decision."""
    return transition_run(
        workflow=TRANSFER_WORKFLOW,
        instance=transfer,
        user=user,
        name="withdraw",
        expected_version=expected_version,
        audit_action="record_change",
    )
