"""Service record pages: bulk entry of one activity, the community's records to confirm, the
volunteer's own record (hours, stars, hours by category, records)."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from communities.models import Community
from core.policy import ADD, policy_for
from core.services import StaleVersionError
from core.views import explain_forbidden

from . import services
from .forms import ActivityForm, ReasonForm
from .models import RecordStatus, ServiceCategory, ServiceRecord, StarThreshold, Volunteer

RECORDS_PER_PAGE = 50
BULK_VOLUNTEERS_MAX = 1000
STEPS = {
    "confirm": services.service_record_confirm,
    "dispute": services.service_record_dispute,
    "refuse": services.service_record_refuse,
}


def _community(request, code) -> Community:
    return get_object_or_404(Community.objects.visible_to(request.user), code=code)


@explain_forbidden
def service_record_bulk(request, code):
    """Enter one activity for many volunteers of the community at once."""
    community = _community(request, code)
    policy_for(ServiceRecord).require(request.user, ADD, community.code)
    today = timezone.localdate()
    volunteers = list(
        Volunteer.objects.filter(community=community)
        .active_at(today.year)
        .select_related("organization")
        .order_by("organization__name", "name", "id")[:BULK_VOLUNTEERS_MAX]
    )
    form = ActivityForm(request.POST or None, community=community)
    line_errors, entered = {}, {}
    if request.method == "POST":
        lines = []
        for volunteer in volunteers:
            raw = (request.POST.get(f"hours-{volunteer.pk}") or "").strip()
            if raw:
                entered[volunteer.pk] = raw
                lines.append({"volunteer": volunteer.pk, "hours": raw})
        if form.is_valid():
            try:
                records = services.service_records_bulk_create(
                    user=request.user,
                    activity=form.cleaned_data,
                    lines=lines,
                    volunteers=Volunteer.objects.filter(community=community),
                )
            except services.BulkEntryError as exc:
                for name, problems in exc.shared.items():
                    target = name if name in form.fields else None
                    for problem in problems:
                        form.add_error(target, problem)
                line_errors = {
                    lines[i]["volunteer"]: "；".join(m for ms in p.values() for m in ms)
                    for i, p in exc.lines.items()
                }
            else:
                messages.success(
                    request,
                    f"已录入{len(records)}条服务记录，待记录人以外的工作人员或组织负责人确认后计入时长。",
                )
                return redirect("service-record-list", community.code)
    for volunteer in volunteers:
        volunteer.entered = entered.get(volunteer.pk, "")
        volunteer.error = line_errors.get(volunteer.pk, "")
    return render(
        request,
        "volunteers/service_record_bulk.html",
        {
            "community": community,
            "form": form,
            "volunteers": volunteers,
            "line_errors": line_errors,
        },
    )


def service_record_list(request, code):
    """List the community's service records, to confirm, settle or follow."""
    community = _community(request, code)
    status = request.GET.get("status", "")
    records = (
        policy_for(ServiceRecord)
        .visible_to(request.user)
        .filter(volunteer__community=community)
        .select_related("volunteer", "organization", "recorder", "organization__manager")
        .order_by("-served_on", "-id")
    )
    if status in RecordStatus.values:
        records = records.filter(status=status)
    page = Paginator(records, RECORDS_PER_PAGE).get_page(request.GET.get("page"))
    policy = policy_for(ServiceRecord)
    for record in page:
        record.steps = policy.transitions(request.user, record)
    return render(
        request,
        "volunteers/service_record_list.html",
        {
            "community": community,
            "page_obj": page,
            "records": page,
            "status": status,
            "statuses": RecordStatus.choices,
            "can_add": policy.can(request.user, ADD, community.code),
        },
    )


@explain_forbidden
def service_record_step(request, pk, step):
    """Take one step (confirm, dispute, refuse) on a record, from the list's buttons."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    record = get_object_or_404(
        policy_for(ServiceRecord).visible_to(request.user).select_related("volunteer"), pk=pk
    )
    service = STEPS.get(step)
    if service is None:
        return HttpResponseNotAllowed(["POST"])
    form = ReasonForm(request.POST)
    form.is_valid()
    params = {"record": record, "user": request.user}
    params["expected_version"] = form.cleaned_data.get("version")
    if step != "confirm":
        params["reason"] = form.cleaned_data.get("reason", "")
    try:
        service(**params)
        messages.success(request, f"服务记录（{record.volunteer.name} {record.served_on}）已处理。")
    except StaleVersionError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or "service-record-list", record.volunteer.community_id)


def volunteer_record(request, pk):
    """Show a volunteer's own record: hours, stars, hours by category and records."""
    today = timezone.localdate()
    volunteer = get_object_or_404(
        policy_for(Volunteer)
        .visible_to(request.user)
        .select_related("community", "organization")
        .with_star_level()
        .with_hours_in(today.year),
        pk=pk,
    )
    confirmed = volunteer.service_records.confirmed()
    by_category = [
        (ServiceCategory(code).label, hours)
        for code, hours in sorted(confirmed.hours_by_category().items(), key=lambda kv: -kv[1])
    ]
    thresholds = list(StarThreshold.objects.all())
    next_star = next((t for t in thresholds if t.min_hours > volunteer.confirmed_hours), None)
    records = list(
        volunteer.service_records.select_related("organization", "recorder").order_by(
            "-served_on", "-id"
        )[:100]
    )
    active_since = today - datetime.timedelta(days=365)
    return render(
        request,
        "volunteers/volunteer_record.html",
        {
            "volunteer": volunteer,
            "community": volunteer.community,
            "by_category": by_category,
            "thresholds": thresholds,
            "next_star": next_star,
            "records": records,
            "is_active": confirmed.filter(served_on__gt=active_since).exists(),
            "this_year": today.year,
        },
    )
