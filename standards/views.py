"""Pages of the service standards: the catalogue, a facility's self-checks, the street's review
queue and the measures per scope with drill-down."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from communities.scopes import scope_param, scope_path
from core import views as records
from core.policy import ADD, CHANGE, DELETE, policy_for
from core.scoping import code_is_under, user_scope_code
from core.services import StaleVersionError
from facilities.models import Facility, ServiceItem
from targets.params import current_plan_or_none, this_year, year_choices, year_or_default

from .forms import ReviewForm, StandardCheckForm
from .measures import facilities_checked, standards_summary
from .models import CHECKED_KINDS, ServiceStandard, StandardCheck
from .services import check_return, check_review, check_submit

REVIEWS_PER_PAGE = 50
REVIEWERS_ONLY = "只有街道及上级的民政干部和省级管理员可以审核服务标准自查。"


def line_order(standard):
    """Sort catalogue items as the plan lists the service lines (劳动就业 first), then by code."""
    return (LINE_RANK.get(standard.service_line, 99), standard.code)


LINE_RANK = {value: rank for rank, value in enumerate(ServiceItem.values)}


def page_year(request) -> tuple[int, list[int]]:
    """The year a page asks for (default: the plan's target year) and the years to offer."""
    plan = current_plan_or_none()
    default = plan.target_year if plan else this_year()
    return year_or_default(request.GET.get("year"), default), year_choices(plan)


def scope_crumbs(user, code: str) -> list[dict]:
    """The path from the province down to ``code``; the units inside the user's scope are links."""
    own = user_scope_code(user)
    return [
        {"code": item.code, "name": item.name, "linked": code_is_under(item.code, own)}
        for item in scope_path(code)
    ]


def catalogue(request):
    """The provincial catalogue, grouped by service line."""
    items = sorted(ServiceStandard.objects.all(), key=line_order)
    groups = []
    for value, label in ServiceItem.choices:
        rows = [i for i in items if i.service_line == value]
        groups.append({"code": value, "label": label, "items": rows})
    context = {
        "groups": groups,
        "count": len(items),
        "can_edit": policy_for(ServiceStandard).can(request.user, ADD),
    }
    return render(request, "standards/catalogue.html", context)


def overview(request):
    """Coverage and share meeting for a scope and year, its children, the stations missing a line."""
    scope = scope_param(request.user, request.GET.get("scope"))
    year, years = page_year(request)
    summary = standards_summary(scope.code, year, name=scope.name)
    facilities = []
    if len(scope.code) >= 9:
        # At a street or a community: every station and centre, down to its own self-check.
        in_year = Q(standard_checks__year=year)
        facilities = list(
            facilities_checked(scope.code, year)
            .annotate(
                provided=Count("standard_checks", filter=in_year),
                meets=Count("standard_checks", filter=in_year & Q(standard_checks__result="meets")),
            )
            .order_by("code", "kind", "name")
        )
    context = {
        "facilities": facilities,
        "scope": scope,
        "year": year,
        "years": years,
        "summary": summary,
        "crumbs": scope_crumbs(request.user, scope.code),
        "can_review": policy_for(StandardCheck).can(request.user, "review"),
    }
    return render(request, "standards/overview.html", context)


def _facility(request, pk) -> Facility:
    return get_object_or_404(
        Facility.objects.visible_to(request.user)
        .filter(kind__in=CHECKED_KINDS)
        .select_related("community", "street"),
        pk=pk,
    )


def facility_checks(request, pk):
    """One facility's self-check for a year: every catalogue item, checked or not."""
    facility = _facility(request, pk)
    year, years = page_year(request)
    policy = policy_for(StandardCheck)
    checks = {
        c.standard_id: c
        for c in StandardCheck.objects.filter(facility=facility, year=year).select_related(
            "reviewed_by"
        )
    }
    rows = []
    for standard in sorted(ServiceStandard.objects.all(), key=line_order):
        check = checks.get(standard.pk)
        rows.append(
            {
                "standard": standard,
                "check": check,
                "can_edit": check is not None and policy.can(request.user, CHANGE, check),
                "can_delete": check is not None and policy.can(request.user, DELETE, check),
                "can_submit": check is not None
                and "submit" in policy.transitions(request.user, check),
            }
        )
    context = {
        "facility": facility,
        "year": year,
        "years": years,
        "rows": rows,
        "provided": len(checks),
        "can_add": policy.can(request.user, ADD, facility.code),
        "community": facility.community,
        "street": facility.street,
    }
    return render(request, "standards/facility.html", context)


class CheckFormMixin(records.RecordFormMixin):
    model = StandardCheck
    form_class = StandardCheckForm
    template_name = "standards/check_form.html"

    def render_form(self, request, form, *, community=None, street=None, instance=None):
        facility = form.instance.facility
        return super().render_form(
            request,
            form,
            community=facility.community,
            street=facility.street,
            instance=instance,
        )

    def extra_context(self, form) -> dict:
        return {"facility": form.instance.facility}


class CheckCreateView(CheckFormMixin, records.RecordCreateView):
    """Record a self-check of one catalogue item for a facility the user writes for."""

    def get_facility(self, request, pk):
        facility = _facility(request, pk)
        self.policy.require(request.user, ADD, facility.code)
        return facility

    def get(self, request, pk):
        facility = self.get_facility(request, pk)
        initial = {"year": year_or_default(request.GET.get("year"), page_year(request)[0])}
        code = request.GET.get("standard", "")
        if code and ServiceStandard.objects.filter(pk=code).exists():
            initial["standard"] = code
        form = self.form_class(facility=facility, initial=initial)
        return self.render_form(request, form)

    def post(self, request, pk):
        facility = self.get_facility(request, pk)
        form = self.form_class(request.POST, request.FILES, facility=facility)
        return self.handle_post(request, form)


class CheckUpdateView(CheckFormMixin, records.RecordUpdateView):
    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("facility__community", "facility__street")
        )

    def post(self, request, pk):
        instance = self.get_object(request, pk)
        form = self.form_class(request.POST, request.FILES, instance=instance)
        return self.handle_post(request, form, instance=instance)


class CheckDeleteView(records.RecordDeleteView):
    model = StandardCheck


def attachment(request, pk):
    """The self-check's photo or file, for those who may see the check (404 otherwise)."""
    check = get_object_or_404(StandardCheck.objects.visible_to(request.user), pk=pk)
    if not check.attachment:
        raise Http404("该自查没有附件。")
    try:
        handle = check.attachment.open("rb")
    except FileNotFoundError:
        raise Http404("附件文件已不存在。") from None
    name = check.attachment.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)


def reviews(request):
    """The self-checks waiting for the street's review, oldest first."""
    user = request.user
    policy_for(StandardCheck).require(user, "review", message=REVIEWERS_ONLY)
    year, years = page_year(request)
    queue = (
        StandardCheck.objects.visible_to(user)
        .awaiting_review()
        .filter(year=year)
        .select_related("facility", "standard")
        .order_by("updated_at", "id")
    )
    page = Paginator(queue, REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "checks": page.object_list, "year": year, "years": years}
    return render(request, "standards/reviews.html", context)


def _next_url(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _step(request, pk, service, done: str, **params):
    check = get_object_or_404(
        StandardCheck.objects.visible_to(request.user).select_related("facility"), pk=pk
    )
    form = ReviewForm(request.POST)
    version = form.data.get("version")
    try:
        service(
            check=check,
            user=request.user,
            expected_version=int(version) if str(version or "").isdigit() else None,
            **params,
        )
    except StaleVersionError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"{check.facility.name}“{check.standard_id}”{done}。")
    return redirect(_next_url(request, reverse("standard-reviews")))


@require_POST
@records.explain_forbidden
def review(request, pk):
    return _step(request, pk, check_review, "已审核通过", note=request.POST.get("note", ""))


@require_POST
@records.explain_forbidden
def return_check(request, pk):
    return _step(request, pk, check_return, "已退回", note=request.POST.get("note", ""))


@require_POST
@records.explain_forbidden
def submit(request, pk):
    return _step(request, pk, check_submit, "已重新提交")
