"""Pages of the 民情流水线: registration, the unit's queue, a request's page, the 回访, the dashboard."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from communities.models import Community
from communities.scopes import child_level, scope_param
from core import views as records
from core.policy import policy_for
from core.scoping import LEVEL_LABELS, get_visible_or_404, user_scope_code
from core.services import StaleVersionError

from . import calendar, services
from .forms import CaseRegisterForm, DispatchForm, RateForm
from .measures import compute_measures, monthly_trend, parse_period, rate_text, year_period
from .models import Case, CaseStatus, HandlingUnit
from .policies import ancestors

QUEUE_LIMIT = 200
FIRST_YEAR = 2014


def _percent(value):
    return "—" if value is None else f"{value * 100:.1f}%"


# -- registration -----------------------------------------------------------------------------


def _desk_communities(user):
    scope = user_scope_code(user) or ""
    return Community.objects.under(scope).order_by("code") if scope else Community.objects.none()


@records.explain_forbidden
def register_view(request):
    """受理登记: the fast form for a window or the phone; the number is shown at once."""
    policy = policy_for(Case)
    policy.require(request.user, "add")
    communities = _desk_communities(request.user)
    form = CaseRegisterForm(
        request.POST or None,
        communities=communities,
        initial={"channel": "window", "category": "consultation", "accepted_on": calendar.today()},
    )
    if request.method == "POST" and form.is_valid():
        case = form.save(commit=False)
        try:
            case = services.case_register(case=case, user=request.user)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                f"已受理，受理编号 {case.number}，办理期限 {case.due_on:%Y年%m月%d日}。",
            )
            return redirect(case.get_absolute_url())
    return render(request, "casework/register.html", {"form": form})


# -- queue ------------------------------------------------------------------------------------


def _units_of(user):
    scope = user_scope_code(user)
    return list(HandlingUnit.objects.filter(code=scope)) if scope else []


def queue_view(request):
    """A unit's queue (待签收, 办理中, 即将超期, 已超期) and the desk's (待分派, 待回访); overdue first."""
    user = request.user
    scope = user_scope_code(user)
    if scope is None:
        raise Http404
    today = calendar.today()
    units = _units_of(user)
    mine = Case.objects.filter(handling_unit__in=units).select_related("category", "community")
    desk = Case.objects.under(scope).select_related("category", "community", "handling_unit")
    tabs = [
        ("todo", "待签收", mine.filter(status=CaseStatus.DISPATCHED)),
        ("doing", "办理中", mine.filter(status=CaseStatus.IN_PROGRESS)),
        ("soon", "即将超期", mine.due_soon(today)),
        ("late", "已超期", mine.overdue_open(today)),
        (
            "dispatch",
            "待分派",
            desk.filter(status__in=(CaseStatus.REGISTERED, CaseStatus.RETURNED)),
        ),
        ("rate", "待回访", desk.filter(status=CaseStatus.RESOLVED)),
    ]
    current = request.GET.get("tab") or "todo"
    if current not in {key for key, _, _ in tabs}:
        current = "todo"
    counts = {key: rows.count() for key, _, rows in tabs}
    rows = next(rows for key, _, rows in tabs if key == current)
    cases = list(rows.overdue_first(today)[:QUEUE_LIMIT])
    context = {
        "tabs": [(key, label, counts[key]) for key, label, _ in tabs],
        "current": current,
        "cases": cases,
        "units": units,
        "today": today,
        "limit": QUEUE_LIMIT,
    }
    return render(request, "casework/queue.html", context)


# -- a request's page -------------------------------------------------------------------------


def _dispatch_units(case):
    """Units of the request's own hierarchy: its community, street, county … and their departments."""
    return list(
        HandlingUnit.objects.filter(code__in=ancestors(case.community_id)).order_by(
            "-code", "department"
        )
    )


def case_view(request, pk):
    case = get_visible_or_404(Case, request.user, pk)
    policy = policy_for(Case)
    steps = set(policy.transitions(request.user, case))
    events = case.events.select_related("unit", "user").order_by("at", "id")
    context = {
        "case": case,
        "steps": steps,
        "events": events,
        "urgings": [e for e in events if e.kind == "urge"],
        "dispatch_form": DispatchForm(units=_dispatch_units(case)) if "dispatch" in steps else None,
        "rate_form": RateForm() if "rate" in steps else None,
        "today": calendar.today(),
    }
    return render(request, "casework/case.html", context)


STEP_SERVICES = {
    "dispatch": (services.case_dispatch, "已分派。"),
    "accept": (services.case_accept, "已签收。"),
    "send_back": (services.case_send_back, "已退单。"),
    "escalate": (services.case_escalate, "已上报上级。"),
    "resolve": (services.case_resolve, "已办结，请安排回访。"),
    "urge": (services.case_urge, "已催办。"),
    "extend": (services.case_extend, "已提交延期申请，等待上级审批。"),
    "grant_extension": (services.case_grant_extension, "已批准延期。"),
    "refuse_extension": (services.case_refuse_extension, "已不予延期。"),
}
TEXT_PARAMS = {
    "send_back": "reason",
    "escalate": "reason",
    "resolve": "resolution",
    "urge": "note",
    "grant_extension": "note",
    "refuse_extension": "note",
}


@require_POST
@records.explain_forbidden
def step_view(request, pk, name):
    """Take one step from the request's page (POST only)."""
    case = get_visible_or_404(Case, request.user, pk)
    if name not in STEP_SERVICES:
        raise Http404
    service, done = STEP_SERVICES[name]
    params = {}
    if name in TEXT_PARAMS:
        params[TEXT_PARAMS[name]] = request.POST.get(TEXT_PARAMS[name], "")
    if name == "extend":
        params.update(
            working_days=request.POST.get("working_days"), reason=request.POST.get("reason", "")
        )
    if name == "dispatch":
        raw = request.POST.get("handling_unit", "")
        unit = HandlingUnit.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        if unit is None:
            messages.error(request, "请选择承办单位。")
            return redirect(case.get_absolute_url())
        params["unit"] = unit
    _run(request, case, service, done, **params)
    return redirect(case.get_absolute_url())


def _run(request, case, service, done, **params) -> bool:
    version = request.POST.get("version")
    try:
        service(
            case=case,
            user=request.user,
            expected_version=int(version) if (version or "").isdigit() else None,
            **params,
        )
    except StaleVersionError as error:
        messages.error(request, error.message)
        return False
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return False
    messages.success(request, done)
    return True


@records.explain_forbidden
def rate_view(request, pk):
    """回访: record the resident's rating (不满意 reopens the request)."""
    case = get_visible_or_404(Case, request.user, pk)
    policy_for(Case).require(request.user, "rate", case)
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        value = form.cleaned_data["satisfaction"]
        text = (
            "居民不满意，已退回承办单位重新办理。"
            if value == "dissatisfied"
            else "已记录回访，诉求办结。"
        )
        if _run(request, case, services.case_rate, text, satisfaction=value):
            return redirect(case.get_absolute_url())
    return render(request, "casework/rate.html", {"case": case, "form": form})


# -- dashboard --------------------------------------------------------------------------------


def home_view(request):
    code = user_scope_code(request.user)
    if code is None:
        raise PermissionDenied
    return redirect("casework-dashboard", code=code)


def dashboard_view(request, code):
    """民情流水线 of a scope: the measures as cards, the children, the monthly trend, the overdue list."""
    scope = scope_param(request.user, code)
    today = calendar.today()
    raw_year = request.GET.get("year")
    year = int(raw_year) if (raw_year or "").isdigit() and 2000 <= int(raw_year) <= 2100 else None
    if year is None:
        latest = (
            Case.objects.under(scope.code)
            .order_by("-accepted_on")
            .values_list("accepted_on", flat=True)
            .first()
        )
        year = latest.year if latest else today.year
    period = (
        parse_period(month=request.GET.get("month"))
        if request.GET.get("month")
        else year_period(year)
    )
    if period is None:
        period = year_period(year)
    m = compute_measures(scope.code, period, today=today)
    t = m.total
    cards = [
        ("受理", t.received, "件"),
        ("办结", t.resolved, "件"),
        ("已回访", t.closed, "件"),
        ("未办结", t.open, "件"),
        ("超期未办结", t.overdue_open, "件"),
        ("按期办结率", _percent(t.on_time_rate), ""),
        ("满意率", _percent(t.satisfaction_rate), ""),
        ("重办率", _percent(t.reopen_rate), ""),
        ("退单率", _percent(t.sent_back_rate), ""),
        (
            "办结用时中位数",
            "—" if t.median_working_days is None else t.median_working_days,
            "个工作日",
        ),
    ]
    below = child_level(scope.level)
    children = [
        {
            "code": f.code,
            "name": f.name,
            "received": f.received,
            "resolved": f.resolved,
            "overdue_open": f.overdue_open,
            "on_time_rate": rate_text(f.on_time_rate),
            "url": reverse("casework-dashboard", args=[f.code]) + f"?year={year}",
        }
        for f in m.children
    ]
    overdue = list(
        Case.objects.under(scope.code)
        .overdue_open(today)
        .select_related("category", "community", "handling_unit")
        .order_by("due_on", "number")[:50]
    )
    years = list(range(FIRST_YEAR, max(today.year, year) + 1))
    context = {
        "scope": scope,
        "level_name": LEVEL_LABELS.get(scope.level, ""),
        "child_level_name": LEVEL_LABELS.get(below, "") if below else "",
        "period": period,
        "year": year,
        "years": years,
        "cards": cards,
        "measures": m,
        "by_category": m.by_category,
        "by_channel": m.by_channel,
        "children": children,
        "chart": {
            "children": children,
            "trend": monthly_trend(scope.code, year),
        },
        "overdue": overdue,
        "today": today,
        "can_register": policy_for(Case).can(request.user, "add", scope.code)
        and len(scope.code) >= 9,
        "export_url": reverse("casework-export") + f"?scope={scope.code}&year={year}",
    }
    return render(request, "casework/dashboard.html", context)


@records.explain_forbidden
def import_view(request):
    """导入纸质登记的诉求（模板），全部成功才保存。"""
    from core.xlsx.reading import ImportFileError

    from .imports import import_cases

    policy_for(Case).require(request.user, "add")
    result = None
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = "请选择要导入的文件。"
        else:
            try:
                result = import_cases(upload, user=request.user)
            except ImportFileError as exc:
                error = exc.message
            else:
                if result.ok:
                    messages.success(request, f"已导入 {result.created} 件诉求。")
                    return redirect("case-queue")
    return render(request, "casework/import.html", {"result": result, "error": error})
