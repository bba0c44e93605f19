"""Every step of the pipeline, and every refusal: wrong state, wrong unit, outside the scope."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditLog
from casework import services as s
from casework.models import CaseEvent, CaseStatus, HandlingUnit
from core.services import StaleVersionError

pytestmark = pytest.mark.django_db
D = datetime.date


def kinds(case):
    return list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))


def test_the_whole_pipeline(register, units, users):
    case = register(category="help", accepted_on=D(2015, 9, 30))
    assert case.status == CaseStatus.REGISTERED
    case = s.case_dispatch(
        case=case, user=users["desk"], unit=units["street"], expected_version=case.version
    )
    assert case.status == CaseStatus.DISPATCHED and case.handling_unit == units["street"]
    case = s.case_accept(case=case, user=users["street_staff"])
    assert case.status == CaseStatus.IN_PROGRESS
    case = s.case_resolve(case=case, user=users["street_official"], resolution="已更换灯泡")
    assert case.status == CaseStatus.RESOLVED and case.resolved_on is not None
    assert case.resolve_working_days > 0
    case = s.case_rate(case=case, user=users["desk"], satisfaction="satisfied")
    assert case.status == CaseStatus.CLOSED and case.satisfaction == "satisfied"
    assert kinds(case) == ["register", "dispatch", "accept", "resolve", "rate"]
    # History and audit written for each step.
    assert case.history.count() >= 5
    steps = (
        AuditLog.objects.filter(action="transition")
        .order_by("pk")
        .values_list("detail__transition", flat=True)
    )
    assert list(steps) == ["dispatch", "accept", "resolve", "rate"]


def test_dissatisfied_reopens(register, units, users):
    case = register()
    case = s.case_dispatch(case=case, user=users["desk"], unit=units["community"])
    case = s.case_accept(case=case, user=users["desk"])
    case = s.case_resolve(case=case, user=users["desk"], resolution="答复")
    case = s.case_rate(case=case, user=users["desk"], satisfaction="dissatisfied")
    assert case.status == CaseStatus.IN_PROGRESS
    assert case.reopen_count == 1 and case.resolved_on is None
    assert kinds(case)[-1] == "reopen"


def test_send_back_then_dispatch_again(register, units, users):
    case = register()
    case = s.case_dispatch(case=case, user=users["desk"], unit=units["street"])
    with pytest.raises(ValidationError):
        s.case_send_back(case=case, user=users["street_staff"], reason="  ")
    case = s.case_send_back(case=case, user=users["street_staff"], reason="不属于本街道职责")
    assert case.status == CaseStatus.RETURNED and case.handling_unit is None
    assert case.sent_back_count == 1
    due = case.due_on
    case = s.case_dispatch(case=case, user=users["desk"], unit=units["county_dept"])
    assert case.status == CaseStatus.DISPATCHED and case.due_on == due  # the clock runs on


def test_escalate_to_the_level_above(register, units, users):
    case = register()
    case = s.case_dispatch(case=case, user=users["desk"], unit=units["community"])
    case = s.case_accept(case=case, user=users["desk"])
    case = s.case_escalate(case=case, user=users["desk"], reason="需街道协调")
    assert case.status == CaseStatus.DISPATCHED
    assert case.handling_unit == units["street"]
    assert case.escalation_count == 1
    # A department escalates to its division's own office.
    case = s.case_escalate(case=case, user=users["street_staff"], reason="需县里协调")
    assert case.handling_unit.code == "620102" and case.handling_unit.department == ""


def test_escalate_creates_the_unit_above_when_missing(register, users, community):
    unit = HandlingUnit(code=community.code)
    unit.full_clean()
    unit.save()
    case = register()
    case = s.case_dispatch(case=case, user=users["desk"], unit=unit)
    case = s.case_escalate(case=case, user=users["desk"], reason="需街道协调")
    assert case.handling_unit.code == "620102016"
    assert case.handling_unit.name == "街道620102016"


def test_extension_request_grant_and_refuse(register, units, users):
    case = register(category="help", accepted_on=D(2015, 9, 30))  # due 13 Oct
    case = s.case_dispatch(case=case, user=users["desk"], unit=units["street"])
    with pytest.raises(ValidationError):  # not yet signed for
        s.case_extend(case=case, user=users["street_staff"], working_days=3, reason="需现场勘查")
    case = s.case_accept(case=case, user=users["street_staff"])
    with pytest.raises(ValidationError):
        s.case_grant_extension(case=case, user=users["county_official"])  # nothing asked
    case = s.case_extend(case=case, user=users["street_staff"], working_days=3, reason="需现场勘查")
    assert case.extension_requested_days == 3
    with pytest.raises(ValidationError):  # one request at a time
        s.case_extend(case=case, user=users["street_staff"], working_days=2, reason="再延")
    with pytest.raises(PermissionDenied):  # the unit's own level cannot grant it
        s.case_grant_extension(case=case, user=users["street_official"])
    case = s.case_grant_extension(case=case, user=users["county_official"], note="同意")
    assert case.extension_days == 3 and case.extension_requested_days is None
    assert case.due_on == D(2015, 10, 16)
    case = s.case_extend(case=case, user=users["street_staff"], working_days=5, reason="再延")
    case = s.case_refuse_extension(case=case, user=users["pref_official"])
    assert case.due_on == D(2015, 10, 16) and case.extension_days == 3
    assert kinds(case)[-4:] == ["extend", "grant_extension", "extend", "refuse_extension"]


def test_urge_by_an_official_above(register, units, users):
    case = register()
    case = s.case_urge(case=case, user=users["street_official"], note="请尽快分派")
    assert case.urge_count == 1 and case.status == CaseStatus.REGISTERED
    with pytest.raises(PermissionDenied):
        s.case_urge(case=case, user=users["desk"])  # staff do not urge
    with pytest.raises(PermissionDenied):
        s.case_urge(case=case, user=users["other_pref"])  # outside the scope


def test_refused_wrong_state(register, units, users):
    case = register()
    with pytest.raises(ValidationError) as exc:
        s.case_accept(case=case, user=users["admin"])
    assert "不能执行该操作（签收）" in str(exc.value)
    with pytest.raises(ValidationError):
        s.case_resolve(case=case, user=users["admin"], resolution="x")
    with pytest.raises(ValidationError):
        s.case_rate(case=case, user=users["desk"], satisfaction="satisfied")
    case = s.case_dispatch(case=case, user=users["desk"], unit=units["street"])
    with pytest.raises(ValidationError):  # dispatched twice
        s.case_dispatch(case=case, user=users["desk"], unit=units["county"])
    case = s.case_accept(case=case, user=users["street_staff"])
    case = s.case_resolve(case=case, user=users["street_staff"], resolution="好")
    case = s.case_rate(case=case, user=users["desk"], satisfaction="basically_satisfied")
    with pytest.raises(ValidationError):  # closed requests are not urged
        s.case_urge(case=case, user=users["street_official"])


def test_refused_wrong_unit(register, units, users):
    case = register()
    case = s.case_dispatch(case=case, user=users["desk"], unit=units["street"])
    for name in ("desk", "county_official", "neighbour"):
        with pytest.raises(PermissionDenied):
            s.case_accept(case=case, user=users[name])
    case = s.case_accept(case=case, user=users["street_staff"])
    with pytest.raises(PermissionDenied):
        s.case_resolve(case=case, user=users["desk"], resolution="答复")
    with pytest.raises(PermissionDenied):
        s.case_send_back(case=case, user=users["county_official"], reason="x")
    with pytest.raises(PermissionDenied):
        s.case_extend(case=case, user=users["desk"], working_days=2, reason="x")


def test_refused_outside_scope(register, units, users, community):
    case = register()
    with pytest.raises(PermissionDenied):
        s.case_dispatch(case=case, user=users["neighbour"], unit=units["street"])
    with pytest.raises(PermissionDenied):
        s.case_dispatch(case=case, user=users["other_pref"], unit=units["street"])
    with pytest.raises(PermissionDenied):
        register(user=users["neighbour"])
    other = HandlingUnit(code="620201001")
    other.full_clean()
    other.save()
    with pytest.raises(ValidationError):  # a unit outside the request's own hierarchy
        s.case_dispatch(case=case, user=users["admin"], unit=other)


def test_stale_version_is_refused(register, units, users):
    case = register()
    with pytest.raises(StaleVersionError):
        s.case_dispatch(
            case=case, user=users["desk"], unit=units["street"], expected_version=case.version + 1
        )


def test_auto_urge_the_working_day_before_and_after(register, units, users):
    case = register(category="help", accepted_on=D(2015, 9, 30))  # due Tue 13 Oct 2015
    assert s.auto_urge(today=D(2015, 10, 10)) == 0  # makeup Saturday: due is two days on
    # Mon 12 Oct is the working day before: urged once, not twice the same day.
    from unittest import mock

    with mock.patch("casework.calendar.today", return_value=D(2015, 10, 12)):
        assert s.auto_urge(today=D(2015, 10, 12)) == 1
        assert s.auto_urge(today=D(2015, 10, 12)) == 0
    assert s.auto_urge(today=D(2015, 10, 13)) == 0  # the due date itself
    assert s.auto_urge(today=D(2015, 10, 17)) == 0  # a Saturday
    assert s.auto_urge(today=D(2015, 10, 14)) == 1  # after it, every working day
    case.refresh_from_db()
    assert case.urge_count == 2
    event = CaseEvent.objects.filter(case=case, kind="urge").first()
    assert event.automatic and event.user is None


def test_personal_data_is_masked(register):
    case = register(resident_name="王小明", resident_phone="13812345678")
    assert case.resident_name_masked == "王**"
    assert case.resident_phone_masked == "138****5678"
    # The history keeps no name or phone.
    assert not hasattr(case.history.first(), "resident_phone")


def test_the_urge_command(register, units, users):
    import io

    from django.core.management import call_command

    register(category="help", accepted_on=D(2015, 9, 30))  # due 13 Oct 2015
    out = io.StringIO()
    call_command("casework_urge", "--date", "2015-10-12", stdout=out)
    assert "已自动催办 1 件" in out.getvalue()
    out = io.StringIO()
    call_command("casework_urge", "--date", "2015-10-03", stdout=out)
    assert "不是工作日" in out.getvalue()


def test_compliance_workbook_has_the_casework_sheet(register, users):
    import io

    from openpyxl import load_workbook

    from targets.plans import current_plan
    from targets.report import build_compliance_workbook

    register(accepted_on=D(2015, 3, 2))
    out = io.BytesIO()
    build_compliance_workbook(scope_code="620102", year=2015, plan=current_plan(), out=out)
    wb = load_workbook(io.BytesIO(out.getvalue()), read_only=True)
    assert "民情流水线" in wb.sheetnames
    rows = list(wb["民情流水线"].iter_rows(values_only=True))
    assert rows[2][0] == "620102" and rows[2][2] == 1
