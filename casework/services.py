"""The request pipeline's writes: one keyword-only atomic service per step.

Who may take a step is ``casework.policies.CasePolicy``; which states it leaves from is
``casework.workflow.CASE_WORKFLOW``; the step runs through ``core.workflow.transition_run``
(policy, version, state, history, audit), and each step appends one line to the request's
timeline (``CaseEvent``). ``user=None`` is the system itself (the automatic urging).
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from communities.models import Community
from core.policy import policy_for
from core.services import record_save
from core.workflow import transition_run

from . import calendar
from .models import Case, CaseEvent, EventKind, HandlingUnit, Satisfaction
from .workflow import CASE_WORKFLOW

MAX_EXTENSION_DAYS = 60


def _event(case, kind, *, user=None, unit=None, note="", automatic=False, on=None):
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        user=user,
        unit=unit,
        note=(note or "")[:2000],
        automatic=automatic,
        on=on or calendar.today(),
    )


def _step(case, user, name, expected_version, changes=None, detail=None):
    return transition_run(
        workflow=CASE_WORKFLOW,
        instance=case,
        user=user,
        name=name,
        expected_version=expected_version,
        changes=changes,
        audit_detail={"number": case.number, **(detail or {})},
    )


def _required(value: str, field: str, message: str, limit: int = 2000) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value[:limit]


def next_number(community_code: str, accepted_on) -> str:
    """The next number of a community and day: ``{code}{YYYYMMDD}{001…999}`` (call under a lock)."""
    prefix = f"{community_code}{accepted_on:%Y%m%d}"
    last = (
        Case.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last[len(prefix) :]) + 1 if last else 1
    if seq > 999:
        raise ValidationError({"accepted_on": "该社区当日受理编号已满（999件）。"})
    return f"{prefix}{seq:03d}"


def case_register(*, case: Case, user) -> Case:
    """受理: give the request its number and due date and save it (staff of the community or above)."""
    if case.accepted_on is None:
        case.accepted_on = calendar.today()
    if user is not None:
        policy_for(Case).require(user, "add", case.community_id)
    with transaction.atomic():
        if case.community_id:
            # One number at a time per community: lock the community's row.
            Community.objects.select_for_update().filter(pk=case.community_id).first()
        if case.category_id and case.accepted_on:
            case.compute_due_on()
            if case.community_id:
                case.number = next_number(case.community_id, case.accepted_on)
        saved = record_save(instance=case, user=user)
        _event(
            saved,
            EventKind.REGISTER,
            user=user,
            on=saved.accepted_on,
            note=saved.get_channel_display(),
        )
    return saved


def case_update(*, case: Case, user, expected_version: int | None = None) -> Case:
    """Correct a request's registration before it is dispatched (due date follows)."""
    with transaction.atomic():
        if case.category_id and case.accepted_on:
            case.compute_due_on()
        return record_save(instance=case, user=user, expected_version=expected_version)


def case_dispatch(*, case: Case, user, unit: HandlingUnit, expected_version=None) -> Case:
    """分派 to a unit of the request's own hierarchy (its community, street, county …)."""
    if unit is None or not case.community_id.startswith(unit.code):
        raise ValidationError({"handling_unit": "承办单位须为该诉求所在社区或其上级区划的单位。"})
    with transaction.atomic():
        saved = _step(
            case,
            user,
            "dispatch",
            expected_version,
            {"handling_unit": unit, "dispatcher_code": getattr(user, "scope_code", "") or ""},
            {"unit": unit.pk},
        )
        _event(saved, EventKind.DISPATCH, user=user, unit=unit, note=unit.name)
    return saved


def case_accept(*, case: Case, user, expected_version=None) -> Case:
    """签收 by the unit in charge."""
    with transaction.atomic():
        saved = _step(case, user, "accept", expected_version)
        _event(saved, EventKind.ACCEPT, user=user, unit=saved.handling_unit)
    return saved


def case_send_back(*, case: Case, user, reason: str, expected_version=None) -> Case:
    """退单: the unit sends the request back to its dispatcher with a reason (the clock runs on)."""
    policy_for(Case).require(user, "send_back", case)
    reason = _required(reason, "reason", "退单时必须填写退单理由。", 500)
    with transaction.atomic():
        unit = case.handling_unit
        saved = _step(
            case,
            user,
            "send_back",
            expected_version,
            {"handling_unit": None, "sent_back_count": case.sent_back_count + 1},
        )
        _event(saved, EventKind.SEND_BACK, user=user, unit=unit, note=reason)
    return saved


def case_escalate(*, case: Case, user, reason: str, expected_version=None) -> Case:
    """上报: the unit passes the request to the level above (the clock runs on)."""
    policy_for(Case).require(user, "escalate", case)
    reason = _required(reason, "reason", "上报时必须填写理由。", 500)
    unit = case.handling_unit
    # A department hands over to its division's own office; an office to the level above.
    parent = unit.code if unit.department else unit.parent_code
    if not parent:
        raise ValidationError({"reason": "省级承办单位没有上级，不能再上报。"})
    with transaction.atomic():
        above = HandlingUnit.objects.filter(code=parent, department="").first()
        if above is None:
            above = HandlingUnit(code=parent, department="")
            above.full_clean()
            above.save()
        saved = _step(
            case,
            user,
            "escalate",
            expected_version,
            {"handling_unit": above, "escalation_count": case.escalation_count + 1},
            {"unit": above.pk},
        )
        _event(
            saved, EventKind.ESCALATE, user=user, unit=above, note=f"上报至{above.name}：{reason}"
        )
    return saved


def case_resolve(*, case: Case, user, resolution: str, expected_version=None) -> Case:
    """办结 with the answer given to the resident."""
    policy_for(Case).require(user, "resolve", case)
    resolution = _required(resolution, "resolution", "办结时必须填写办理结果。")
    today = calendar.today()
    with transaction.atomic():
        saved = _step(
            case,
            user,
            "resolve",
            expected_version,
            {
                "resolution": resolution,
                "resolved_on": today,
                "resolve_working_days": calendar.working_days_between(case.accepted_on, today),
            },
        )
        _event(saved, EventKind.RESOLVE, user=user, unit=saved.handling_unit, note=resolution)
    return saved


def case_rate(*, case: Case, user, satisfaction: str, expected_version=None) -> Case:
    """回访: record the resident's rating; 不满意 reopens the request for the same unit."""
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": "满意度应为满意、基本满意或不满意。"})
    today = calendar.today()
    with transaction.atomic():
        if satisfaction == Satisfaction.DISSATISFIED:
            saved = _step(
                case,
                user,
                "reopen",
                expected_version,
                {
                    "satisfaction": satisfaction,
                    "rated_on": today,
                    "reopen_count": case.reopen_count + 1,
                    "resolved_on": None,
                    "resolve_working_days": None,
                },
                {"satisfaction": satisfaction},
            )
            _event(
                saved,
                EventKind.REOPEN,
                user=user,
                unit=saved.handling_unit,
                note="居民不满意，重新办理",
            )
        else:
            saved = _step(
                case,
                user,
                "rate",
                expected_version,
                {"satisfaction": satisfaction, "rated_on": today},
                {"satisfaction": satisfaction},
            )
            _event(saved, EventKind.RATE, user=user, note=saved.get_satisfaction_display())
    return saved


def case_urge(*, case: Case, user, note: str = "", expected_version=None, automatic=False) -> Case:
    """催办 an open request (an official above it, or the system)."""
    today = calendar.today()
    with transaction.atomic():
        saved = _step(
            case,
            user,
            "urge",
            expected_version,
            {"urge_count": case.urge_count + 1, "last_urged_on": today},
        )
        text = (note or "").strip() or ("系统自动催办" if automatic else "请抓紧办理")
        _event(
            saved,
            EventKind.URGE,
            user=user,
            unit=saved.handling_unit,
            note=text,
            automatic=automatic,
        )
    return saved


def case_extend(*, case: Case, user, working_days, reason: str, expected_version=None) -> Case:
    """延期申请 by the unit: a number of working days and a reason, for the level above to decide."""
    policy_for(Case).require(user, "extend", case)
    try:
        days = int(working_days)
    except (TypeError, ValueError):
        days = 0
    if isinstance(working_days, bool) or not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ValidationError({"working_days": f"延期天数应为1至{MAX_EXTENSION_DAYS}个工作日。"})
    reason = _required(reason, "reason", "申请延期时必须填写理由。", 500)
    if case.extension_requested_days is not None:
        raise ValidationError({"working_days": "已有待审批的延期申请。"})
    with transaction.atomic():
        saved = _step(
            case,
            user,
            "extend",
            expected_version,
            {"extension_requested_days": days, "extension_reason": reason},
        )
        _event(
            saved,
            EventKind.EXTEND,
            user=user,
            unit=saved.handling_unit,
            note=f"申请延期{days}个工作日：{reason}",
        )
    return saved


def _decide_extension(case, user, name, expected_version, note):
    policy_for(Case).require(user, name, case)
    if case.extension_requested_days is None:
        raise ValidationError({"status": "该诉求没有待审批的延期申请。"})
    granted = name == "grant_extension"
    days = case.extension_requested_days
    changes = {"extension_requested_days": None, "extension_reason": ""}
    if granted:
        probe = Case(
            accepted_on=case.accepted_on,
            category=case.category,
            extension_days=case.extension_days + days,
        )
        probe.compute_due_on()
        changes.update(
            extension_days=probe.extension_days,
            due_on=probe.due_on,
            calendar_note=probe.calendar_note,
        )
    with transaction.atomic():
        saved = _step(case, user, name, expected_version, changes, {"working_days": days})
        text = f"{'批准' if granted else '不予'}延期{days}个工作日" + (f"：{note}" if note else "")
        _event(
            saved,
            EventKind.GRANT_EXTENSION if granted else EventKind.REFUSE_EXTENSION,
            user=user,
            unit=saved.handling_unit,
            note=text,
        )
    return saved


def case_grant_extension(*, case: Case, user, note: str = "", expected_version=None) -> Case:
    """批准延期 (an official of a level above the unit): the due date moves on."""
    return _decide_extension(case, user, "grant_extension", expected_version, (note or "").strip())


def case_refuse_extension(*, case: Case, user, note: str = "", expected_version=None) -> Case:
    """不予延期 (an official of a level above the unit): the due date stays."""
    return _decide_extension(case, user, "refuse_extension", expected_version, (note or "").strip())


def auto_urge(*, today=None) -> int:
    """Urge, as the system, every open request due the next working day or already overdue.

    Runs on working days only; a request is urged at most once a day.
    """
    today = today or calendar.today()
    if not calendar.is_working_day(today):
        return 0
    tomorrow, _ = calendar.add_working_days(today, 1)
    from django.db.models import Q

    rows = (
        Case.objects.open()
        .filter(Q(due_on=tomorrow) | Q(due_on__lt=today))
        .exclude(last_urged_on=today)
        .select_related("handling_unit")
    )
    count = 0
    for case in rows.iterator(chunk_size=500):
        case_urge(case=case, user=None, automatic=True)
        count += 1
    return count
