"""Yearly statistics entry, the approval workflow, the approvals queue and social organisations."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from communities.scopes import scope_path
from core import views as records
from core.dates import FIRST_YEAR
from core.policy import CHANGE, DELETE, policy_for
from core.scoping import code_is_under, user_scope_code
from core.services import StaleVersionError, record_save
from streets.models import Division, Street

from . import cycle
from .forms import CommunityForm, CommunityStatForm, ReturnForm, SocialOrganizationForm
from .models import Community, CommunityStat, SocialOrganization
from .services import stat_approve, stat_return, stat_save, stat_submit

APPROVALS_ONLY = "审核待办仅供民政干部和省级管理员使用。"
APPROVALS_PER_PAGE = 25


# --- helpers -----------------------------------------------------------------------------


def breadcrumbs_for(user, code: str, year: int | None = None) -> list[dict]:
    """Return the path from the province down to ``code``; links only inside the user's scope.

    With ``year`` (the year the user chose), the links lead back to that year's pages.
    """
    scope = user_scope_code(user)
    query = f"?year={year}" if year is not None else ""
    crumbs = []
    for item in scope_path(code):
        linked = code_is_under(item.code, scope) and item.code != code
        if item.level == "community":
            url = None
        elif item.level == "street" and linked:
            url = ("street-communities", item.code)
        else:
            url = ("dashboard", item.code) if linked else None
        crumbs.append({"code": item.code, "name": item.name, "url": url, "query": query})
    return crumbs


def stat_actions(stat: CommunityStat, user) -> dict:
    """Say which buttons a stats row offers ``user`` (the statistics' policy decides)."""
    policy = policy_for(CommunityStat)
    steps = policy.transitions(user, stat)
    return {
        "edit": policy.can(user, CHANGE, stat),
        "delete": policy.can(user, DELETE, stat),
        **{name: name in steps for name in ("submit", "approve", "return")},
    }


# --- yearly statistics -------------------------------------------------------------------


def previous_stat(stat: CommunityStat, year) -> CommunityStat | None:
    """Return the community's latest row before ``year`` (any row if no year), for reference."""
    rows = CommunityStat.objects.filter(community_id=stat.community_id).order_by("-year")
    if stat.pk is not None:
        rows = rows.exclude(pk=stat.pk)
    try:
        rows = rows.filter(year__lt=int(year))
    except (TypeError, ValueError):
        pass
    return rows.first()


class StatCreateView(records.RecordCreateView):
    model = CommunityStat
    form_class = CommunityStatForm

    def form_kwargs(self, **parent):
        kwargs = super().form_kwargs(**parent)
        year = self.request.GET.get("year")
        if year and year.isdigit() and not self.request.method == "POST":
            kwargs["initial"] = {"year": int(year)}
        return kwargs

    def get(self, request, code):
        year = request.GET.get("year", "")
        if year.isdigit():
            existing = (
                CommunityStat.objects.visible_to(request.user)
                .filter(community_id=code, year=int(year))
                .first()
            )
            if existing is not None:
                messages.info(request, f"{existing.year}年度统计已录入，可在此查看或修改。")
                return redirect("stat-detail", existing.pk)
        return super().get(request, code)

    def save(self, form, user):
        return stat_save(stat=form.instance, user=user)

    def extra_context(self, form):
        return {"reference": previous_stat(form.instance, form["year"].value())}

    def owner_url(self, instance):
        if instance.pk:
            return reverse("stat-detail", args=[instance.pk])
        return f"{instance.community.get_absolute_url()}#stats"


class StatUpdateView(records.RecordUpdateView):
    model = CommunityStat
    form_class = CommunityStatForm

    def save(self, form, user):
        return stat_save(stat=form.instance, user=user, expected_version=form.expected_version)

    def extra_context(self, form):
        return {"reference": previous_stat(form.instance, form.instance.year)}


class StatDeleteView(records.RecordDeleteView):
    model = CommunityStat

    def owner_url(self, instance):
        return f"{instance.community.get_absolute_url()}#stats"


def stat_detail(request, pk):
    """Show one year's statistics, its approval state and the actions open to the user."""
    stat = get_object_or_404(
        CommunityStat.objects.visible_to(request.user).select_related(
            "community__street", "reviewed_by"
        ),
        pk=pk,
    )
    context = {
        "stat": stat,
        "community": stat.community,
        "breadcrumbs": breadcrumbs_for(request.user, stat.community_id),
        "actions": stat_actions(stat, request.user),
        "return_form": ReturnForm(initial={"version": stat.version}),
        "quality_warnings": cycle.problems(stat),
        "approval_steps": [
            {
                "level": cycle.LEVEL_NAMES.get(a.get("level"), a.get("level")),
                "user": a.get("user"),
                "at": parse_datetime(a.get("at") or ""),
            }
            for a in stat.approvals or []
        ],
        "waiting_for": cycle.LEVEL_NAMES.get(cycle.next_level(stat) or "", ""),
    }
    return render(request, "communities/stat_detail.html", context)


def _stat_for_action(request, pk) -> CommunityStat:
    return get_object_or_404(
        CommunityStat.objects.visible_to(request.user).select_related("community"), pk=pk
    )


def _posted_version(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _next_url(request, default: str) -> str:
    """Return the page to go back to: a local path from the form, else ``default``."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _run_transition(request, stat, action, success: str, **kwargs):
    try:
        action(stat=stat, user=request.user, expected_version=_posted_version(request), **kwargs)
    except StaleVersionError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, success)
        return True
    return False


@require_POST
@records.explain_forbidden
def stat_submit_view(request, pk):
    """上报: staff send a draft or returned row for approval."""
    stat = _stat_for_action(request, pk)
    policy_for(CommunityStat).require(request.user, "submit", stat)
    warnings = cycle.warnings_of(stat) if not request.POST.get("confirm_warnings") else []
    if warnings:  # data-quality warnings: asked once, then listed for the approver
        context = {
            "stat": stat,
            "community": stat.community,
            "warnings": warnings,
            "next": request.POST.get("next", ""),
        }
        return render(request, "communities/stat_submit_confirm.html", context)
    _run_transition(
        request,
        stat,
        stat_submit,
        f"已上报{stat.community.name}{stat.year}年度统计，等待上级审核。",
    )
    return redirect(_next_url(request, stat.community.get_absolute_url() + "#stats"))


@require_POST
@records.explain_forbidden
def stat_approve_view(request, pk):
    """审核通过: an official above the community approves a submitted row."""
    stat = _stat_for_action(request, pk)
    policy_for(CommunityStat).require(request.user, "approve", stat)
    _run_transition(
        request, stat, stat_approve, f"已审核通过{stat.community.name}{stat.year}年度统计。"
    )
    return redirect(_next_url(request, stat.community.get_absolute_url() + "#stats"))


@records.explain_forbidden
def stat_return_view(request, pk):
    """退回: an official sends a row back to the community with a reason."""
    stat = _stat_for_action(request, pk)
    policy_for(CommunityStat).require(request.user, "return", stat)
    form = ReturnForm(request.POST or None, initial={"version": stat.version})
    if request.method == "POST" and form.is_valid():
        done = _run_transition(
            request,
            stat,
            stat_return,
            f"已将{stat.community.name}{stat.year}年度统计退回社区修改。",
            reason=form.cleaned_data["reason"],
        )
        if done:
            return redirect(_next_url(request, stat.community.get_absolute_url() + "#stats"))
    context = {
        "stat": stat,
        "community": stat.community,
        "form": form,
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    return render(request, "communities/stat_return.html", context)


# --- approvals queue ---------------------------------------------------------------------


#: The region filters of the approvals queue, coarsest first: (parameter, label, length of
#: the codes offered, length of the code they lie under).
AREA_FILTERS = (
    ("prefecture", "市州", 4, 2),
    ("county", "县区", 6, 4),
    ("street", "街道（乡镇）", 9, 6),
)
NAME_FILTER_MAX = 40


def area_filters(user, params) -> tuple[str, list[dict]]:
    """Return the chosen area's code and the region filters that fit the user's level.

    A province user chooses a 市州, then a 县区 of it, then a 街道; a prefecture official a
    县区 and a 街道; a county official a 街道; a street official none. Each menu lists the
    areas under the user's scope and the coarser choice; a value outside them is ignored.
    """
    scope = user_scope_code(user) or ""
    chosen, filters = scope, []
    for name, label, length, parent_length in AREA_FILTERS:
        if len(scope) >= length:
            continue  # the user's own area is at or below this level
        if len(chosen) != parent_length:
            break  # the coarser menu is unchosen: this one waits for it
        if length == 9:
            options = Street.objects.filter(county_id=chosen)
        else:
            options = Division.objects.filter(parent_id=chosen)
        options = list(options.order_by("code").values_list("code", "name"))
        value = params.get(name, "")
        if value not in {code for code, _ in options}:
            value = ""
        filters.append({"name": name, "label": label, "options": options, "value": value})
        if not value:
            break
        chosen = value
    return chosen, filters


@records.explain_forbidden
def approvals(request):
    """List the statistics waiting for the official's approval, oldest first.

    Filters: the year, the region menus that fit the user's level and the community's name.
    """
    user = request.user
    policy_for(CommunityStat).require(user, "approve", message=APPROVALS_ONLY)
    queue = (
        CommunityStat.objects.visible_to(user)
        .awaiting_approval(None if user.is_admin else cycle.user_level(user))
        .select_related("community__street__county__parent")
        .order_by("submitted_at", "id")
    )
    year = request.GET.get("year", "")
    if year.isdigit() and len(year) == 4:
        queue = queue.filter(year=int(year))
    else:
        year = ""
    area, filters = area_filters(user, request.GET)
    if area and area != user_scope_code(user):
        queue = queue.under(area)
    name = request.GET.get("q", "").strip()[:NAME_FILTER_MAX]
    if name:
        queue = queue.filter(community__name__contains=name)
    page = Paginator(queue, APPROVALS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "stats": page.object_list,
        "year": year,
        "years": list(range(timezone.localdate().year, FIRST_YEAR - 1, -1)),
        "area_filters": filters,
        "name": name,
        "filtered": bool(year or name or (area and area != user_scope_code(user))),
        # 东关街道 or 城关镇 exist in several counties: a province user reads the 市州 too.
        "show_prefecture": len(user_scope_code(user) or "") < 4,
    }
    return render(request, "communities/approvals.html", context)


@require_POST
@records.explain_forbidden
def approvals_bulk(request):
    """批量审核通过: approve the ticked rows, each at the version the official saw."""
    user = request.user
    policy_for(CommunityStat).require(user, "approve", message=APPROVALS_ONLY)
    ids = [int(v) for v in request.POST.getlist("stat") if v.isdigit()][:APPROVALS_PER_PAGE]
    stats = CommunityStat.objects.visible_to(user).filter(pk__in=ids).select_related("community")
    approved, refused = 0, []
    for stat in stats:
        try:
            stat_approve(
                stat=stat,
                user=user,
                expected_version=_int_or_none(request.POST.get(f"version-{stat.pk}")),
            )
        except (StaleVersionError, ValidationError, PermissionDenied):
            refused.append(f"{stat.community.name}{stat.year}年")
        else:
            approved += 1
    if approved:
        messages.success(request, f"已审核通过 {approved} 条年度统计。")
    if refused:
        messages.error(
            request, "以下统计已被他人处理或已变更，未审核：" + "、".join(refused) + "。"
        )
    if not approved and not refused:
        messages.warning(request, "请先勾选要审核通过的统计。")
    return redirect(_next_url(request, reverse("approvals")))


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- social organisations ----------------------------------------------------------------


class SocialOrganizationCreateView(records.RecordCreateView):
    model = SocialOrganization
    form_class = SocialOrganizationForm


class SocialOrganizationUpdateView(records.RecordUpdateView):
    model = SocialOrganization
    form_class = SocialOrganizationForm


class SocialOrganizationDeleteView(records.RecordDeleteView):
    model = SocialOrganization


# --- the community itself ----------------------------------------------------------------


class CommunityUpdateView(records.RecordUpdateView):
    model = Community
    form_class = CommunityForm

    def parents(self, instance) -> dict:
        return {"community": instance}

    def owner_url(self, instance) -> str:
        return f"{instance.get_absolute_url()}#compliance"

    def save(self, form, user):
        return record_save(instance=form.instance, user=user)
