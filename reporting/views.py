"""填报进度: the reporting rates of one scope and year, its children (bar chart) and the late list."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from communities import cycle
from communities.models import StatStatus
from communities.scopes import scope_path
from core import views as records
from core.scoping import LEVEL_LABELS, user_scope_code
from targets.params import year_choices, year_or_default

from .messages import unread_count, urge
from .models import Message
from .params import default_year, reporting_params
from .quality import SEVERITY_LABELS, rules_for, scope_problems
from .rates import late_communities, reporting_rates, staff_names
from .services import UnitBlocked, approve_unit

LATE_PER_PAGE = 50
STATUS_LABELS = {None: "未填报", **dict(StatStatus.choices)}


def progress_url(code: str, year: int) -> str:
    return f"{reverse('reporting-progress', args=[code])}?{urlencode({'year': year})}"


def percent(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def figures(rates) -> dict:
    return {
        "expected": rates.expected,
        "entered": rates.entered,
        "submitted": rates.submitted,
        "approved": rates.approved,
        "on_time": rates.on_time,
        "submitted_rate": percent(rates.submitted_rate),
        "approved_rate": percent(rates.approved_rate),
        "on_time_rate": percent(rates.on_time_rate),
    }


def community_url(code: str, year: int) -> str:
    return f"{reverse('community-detail', args=[code])}?{urlencode({'year': year})}"


def child_url(child, year) -> str:
    if child.level == "community":
        return community_url(child.code, year)
    return progress_url(child.code, year)


def page_year(request, key="year") -> int:
    """The year a page asks for; the latest period's when blank or unusable (pages never 400)."""
    source = request.POST if request.method == "POST" else request.GET
    return year_or_default(source.get(key), default_year())


def late_label(community) -> str:
    if community.first_submitted_at and community.stat_status in ("submitted", "approved"):
        return "逾期上报"
    return STATUS_LABELS.get(community.stat_status, community.stat_status)


@records.explain_forbidden
def progress(request, code):
    """填报进度 of one scope: the figures, a bar per child (click to drill down), the late list."""
    query = reporting_params(request.user, {"scope": code, "year": page_year(request)})
    scope, year, period = query.scope, query.year, query.period
    rates = reporting_rates(scope, year)
    children = [
        {"code": c.code, "name": c.name, "url": child_url(c, year), **figures(c)}
        for c in rates.children
    ]
    bars = [
        {
            "name": c.name,
            "url": child_url(c, year),
            "submitted": float(c.submitted_rate or 0) * 100,
            "approved": float(c.approved_rate or 0) * 100,
            "label": f"已上报 {c.submitted}/{c.expected}，已审核 {c.approved}",
        }
        for c in rates.children
    ]
    page = Paginator(late_communities(scope.code, year), LATE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    names = staff_names(c.code for c in page.object_list)
    late = [
        {
            "code": c.code,
            "name": c.name,
            "street": c.street.name,
            "status": c.stat_status,
            "status_label": late_label(c),
            "submitted_at": c.first_submitted_at,
            "staff": "、".join(names.get(c.code, [])) or "—",
            "url": community_url(c.code, year),
        }
        for c in page.object_list
    ]
    own = user_scope_code(request.user) or ""
    level = cycle.user_level(request.user)
    context = {
        "scope": scope,
        "year": year,
        "years": list(reversed(year_choices())),
        "period": period,
        "levels": [cycle.LEVEL_NAMES[x] for x in (period.approval_levels if period else [])],
        "level_name": LEVEL_LABELS.get(scope.level, ""),
        "child_level_name": LEVEL_LABELS.get(rates.children[0].level, "") if rates.children else "",
        "total": figures(rates),
        "children": children,
        "bars": {"bars": bars},
        "late": late,
        "page_obj": page,
        "breadcrumbs": [
            {"name": s.name, "url": progress_url(s.code, year), "code": s.code}
            for s in scope_path(scope.code)
            if len(s.code) >= len(own)
        ],
        "can_approve_unit": bool(
            period and level in period.approval_levels and request.user.is_official
        )
        and scope.level != "community",
        "my_level": cycle.LEVEL_NAMES.get(level or "", ""),
        "can_urge": request.user.is_official or request.user.is_admin,
    }
    return render(request, "reporting/progress.html", context)


@require_POST
@records.explain_forbidden
def approve_unit_view(request, code):
    """整体审核: approve every row under the unit at the official's level (DHIS2's rule)."""
    query = reporting_params(request.user, {"scope": code, "year": page_year(request)})
    back = progress_url(query.scope.code, query.year)
    try:
        result = approve_unit(scope_code=query.scope.code, year=query.year, user=request.user)
    except UnitBlocked as exc:
        shown = "、".join(exc.blocking[:20]) + (" 等" if len(exc.blocking) > 20 else "")
        messages.error(
            request,
            f"还有 {len(exc.blocking)} 个社区尚未完成下级审核或尚未上报，不能整体审核：{shown}。",
        )
        return redirect(back)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect(back)
    level = cycle.LEVEL_NAMES[result.level]
    if result.approved:
        messages.success(
            request, f"已在{level}一级审核通过 {len(result.approved)} 个社区的年度统计。"
        )
    else:
        messages.info(request, f"没有等待{level}一级审核的统计。")
    return redirect(back)


@records.explain_forbidden
def quality(request, code):
    """数据质量: the data-quality problems of the year's rows under a scope, by rule."""
    query = reporting_params(request.user, {"scope": code, "year": page_year(request)})
    found = scope_problems(query.scope.code, query.year, query.period)
    by_rule = {}
    for rule in rules_for(query.period):
        by_rule[rule.code] = {
            "rule": rule,
            "severity": SEVERITY_LABELS.get(rule.severity, rule.severity),
            "rows": [],
        }
    for stat, community, problem in found:
        by_rule[problem.rule]["rows"].append(
            {"stat": stat, "community": community, "problem": problem}
        )
    own = user_scope_code(request.user) or ""
    context = {
        "scope": query.scope,
        "year": query.year,
        "years": list(reversed(year_choices())),
        "period": query.period,
        "groups": list(by_rule.values()),
        "total": len(found),
        "breadcrumbs": [
            {
                "name": s.name,
                "url": reverse("reporting-quality", args=[s.code]) + f"?year={query.year}",
            }
            for s in scope_path(query.scope.code)
            if len(s.code) >= len(own)
        ],
        "progress_url": progress_url(query.scope.code, query.year),
    }
    return render(request, "reporting/quality.html", context)


# --- 站内消息 ------------------------------------------------------------------------------

MESSAGES_PER_PAGE = 30


def inbox(request):
    """站内消息: the signed-in user's messages, newest first."""
    rows = Message.objects.filter(recipient=request.user)
    page = Paginator(rows, MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "items": page.object_list, "unread": unread_count(request.user)}
    return render(request, "reporting/inbox.html", context)


def inbox_count(request):
    """The unread count for the header (loaded by htmx after the page, so pages cost no query)."""
    count = unread_count(request.user)
    response = render(request, "reporting/_unread.html", {"count": count})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def inbox_open(request, pk):
    """Open one message: mark it read and go where it points (a local page)."""
    item = get_object_or_404(Message, pk=pk, recipient=request.user)
    if item.read_at is None:
        item.read_at = timezone.now()
        item.save(update_fields=["read_at"])
    target = item.url if item.url.startswith("/") and not item.url.startswith("//") else ""
    return redirect(target or reverse("inbox"))


@require_POST
def inbox_read_all(request):
    Message.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    messages.success(request, "已将全部消息标为已读。")
    return redirect(reverse("inbox"))


@require_POST
@records.explain_forbidden
def urge_view(request, code):
    """催报: message every community under the scope that has not submitted yet."""
    query = reporting_params(request.user, {"scope": code, "year": page_year(request)})
    if not request.user.is_official and not request.user.is_admin:
        raise PermissionDenied("只有民政干部和省级管理员可以催报。")
    sent = urge(scope_code=query.scope.code, year=query.year, user=request.user)
    if sent:
        messages.success(request, f"已向尚未上报的社区工作人员发送 {sent} 条催报消息。")
    else:
        messages.info(request, "没有需要催报的社区（或今天已经催报过）。")
    return redirect(progress_url(query.scope.code, query.year))


def summary(request, code):
    """The reporting figure of a dashboard's header (an htmx fragment, loaded after the page)."""
    query = reporting_params(request.user, {"scope": code, "year": page_year(request)})
    rates = reporting_rates(query.scope, query.year)
    context = {
        "scope": query.scope,
        "year": query.year,
        "period": query.period,
        "total": figures(rates),
        "url": progress_url(query.scope.code, query.year),
    }
    return render(request, "reporting/_summary.html", context)
