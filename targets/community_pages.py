"""The page of one community (everything recorded about it, and its compliance) and of one street.

These pages show the records of every app and the compliance engine's verdicts, so they stand
on top of the layers; the records' own entry pages live in their apps.
"""

from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, Q, Sum, When
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import urlencode

from communities.models import Community, CommunityStat, SocialOrganization
from communities.views import breadcrumbs_for, stat_actions
from core.dates import FIRST_YEAR
from core.policy import ADD, policy_for
from facilities.models import Facility, FacilityKind
from streets.models import Street
from volunteers.models import ServiceRecord, StarThreshold, Volunteer, VolunteerOrganization
from workforce.models import Worker, WorkerRole

from .engine import community_rows, compute_years
from .params import current_plan_or_none, this_year, year_choices, year_or_default
from .registry import COMMUNITY_INDICATOR_COUNT, COMMUNITY_INDICATORS, threshold_of
from .search import MAX_QUERY, volunteer_filter

VOLUNTEERS_PER_PAGE = 10
# Workers listed serving first, then by rank (书记, 主任 … 楼院门栋长), as the choices run.
WORKER_ROLE_ORDER = Case(
    *[When(role=value, then=rank) for rank, value in enumerate(WorkerRole.values)],
    output_field=IntegerField(),
)


def plan_and_year(request):
    """Return the current plan (or None), the year asked for (default: the target year) and
    the years to choose from."""
    plan = current_plan_or_none()
    default = plan.target_year if plan else this_year()
    return plan, year_or_default(request.GET.get("year"), default), year_choices(plan)


def community_years(community: Community, plan) -> dict | None:
    """The community's ten indicators over the plan's years: met or not, per year (one pass)."""
    if plan is None:
        return None
    years = list(range(FIRST_YEAR, min(plan.target_year, this_year()) + 1))
    results = compute_years(scope_code=community.code, years=years, plan=plan)
    rows = []
    for indicator in COMMUNITY_INDICATORS:
        cells = []
        for year in years:
            item = results[year].indicator(indicator.code)
            missing = item.applicable and item.missing == item.applicable
            cells.append(
                {
                    "year": year,
                    "met": bool(item.applicable and item.compliant == item.applicable),
                    "missing": missing,
                }
            )
        rows.append({"code": indicator.code, "name": indicator.short_name, "cells": cells})
    counts = [
        {
            "year": year,
            "met": sum(1 for row in rows if row["cells"][i]["met"]),
            "width": round(100 * sum(1 for row in rows if row["cells"][i]["met"]) / len(rows), 1),
        }
        for i, year in enumerate(years)
    ]
    return {"years": years, "rows": rows, "counts": counts, "total": len(rows)}


def community_compliance(community: Community, year: int, plan) -> dict | None:
    """Return the community's verdict on each community indicator for ``year``."""
    if plan is None:
        return None
    rows = community_rows(scope_code=community.code, year=year, plan=plan)
    row = next((r for r in rows if r.code == community.code), None)
    if row is None:
        return None
    items = []
    for indicator in COMMUNITY_INDICATORS:
        unit = row.indicators.get(indicator.code)
        if unit is None:
            continue
        items.append(
            {
                "code": indicator.code,
                "name": indicator.name,
                "short_name": indicator.short_name,
                "threshold": indicator.threshold_label(threshold_of(plan, indicator.code)),
                "value": indicator.value_label(unit.value) or "—",
                "gap": indicator.shortfall_label(unit.gap),
                "compliant": unit.compliant,
                "missing": unit.value is None,
            }
        )
    return {
        "items": items,
        "indicator_count": COMMUNITY_INDICATOR_COUNT,
        "fully_compliant": row.fully_compliant,
        "missing_data": row.missing_data,
        "compliant_count": sum(1 for i in items if i["compliant"]),
    }


STAR_CHOICES = [(0, "未达星级"), (1, "一星"), (2, "二星"), (3, "三星"), (4, "四星"), (5, "五星")]


def register_filters(request) -> dict:
    """Read the register's filters: ``star`` (0–5), ``active`` (served in the last 12 months)
    and ``who`` (a name, the last four characters of the ID number or the whole number,
    matched as the header search does: ``targets.search.volunteer_filter``)."""
    raw = request.GET.get("star", "")
    star = int(raw) if raw.isdigit() and 0 <= int(raw) <= 5 else None
    active = request.GET.get("active") == "1"
    who = request.GET.get("who", "").strip().upper()[:MAX_QUERY]
    params = {}
    if star is not None:
        params["star"] = star
    if active:
        params["active"] = 1
    if who:
        params["who"] = who
    return {
        "star": star,
        "active": active,
        "who": who,
        # Digits that are neither four nor eighteen characters long find nobody.
        "who_filter": volunteer_filter(who, name_prefix=True) if who else None,
        "who_unusable": bool(who) and volunteer_filter(who) is None,
        "query": urlencode(params),
        "choices": STAR_CHOICES,
    }


def volunteer_record_summary(community: Community, year: int, stars=None) -> dict:
    """Volunteers by star level, confirmed hours per year and hours per registered volunteer."""
    by_star = dict(
        Volunteer.objects.filter(community=community)
        .registered_at(year)
        .with_star_level()
        .order_by()
        .values_list("star_level")
        .annotate(n=Count("pk"))
    )
    per_year = list(
        ServiceRecord.objects.filter(volunteer__community=community)
        .confirmed()
        .annotate(year=ExtractYear("served_on"))
        .order_by("year")
        .values("year")
        .annotate(hours=Sum("hours"), volunteers=Count("volunteer", distinct=True))
    )
    registered = sum(by_star.values())
    hours = next((row["hours"] for row in per_year if row["year"] == year), Decimal("0"))
    return {
        "by_star": [(label, by_star.get(level, 0)) for level, label in STAR_CHOICES],
        "per_year": per_year,
        "registered": registered,
        "hours": hours,
        "hours_per_volunteer": (hours / registered).quantize(Decimal("0.1"))
        if registered
        else None,
    }


def chosen_year(request, year: int) -> int | None:
    """Return ``year`` if the request asked for it explicitly (``?year=``), else None."""
    return year if request.GET.get("year") == str(year) else None


def write_flags(user, community: Community) -> dict:
    """Say what ``user`` may add on a community's page (its records, its street's centre)."""
    return {
        "can_write": policy_for(Volunteer).can(user, ADD, community.code),
        "can_write_street": policy_for(Facility).can(user, ADD, community.street_id),
        "can_approve": policy_for(CommunityStat).can(user, "approve", community.code),
    }


# --- community page ----------------------------------------------------------------------


def community_detail(request, code):
    """Show everything recorded about one community, and its compliance for a year."""
    user = request.user
    community = get_object_or_404(
        Community.objects.visible_to(user).select_related("street"), code=code
    )
    register = register_filters(request)
    stars = StarThreshold.objects.pairs()
    # Only confirmed service records count towards hours and stars.
    listed = (
        Volunteer.objects.visible_to(user)
        .filter(community=community)
        .select_related("organization")
        .with_star_level()
    )
    if register["star"] is not None:
        listed = listed.with_star(register["star"], stars)
    if register["active"]:
        listed = listed.active_in_last_year(timezone.localdate())
    if register["who_filter"] is not None:
        listed = listed.filter(register["who_filter"])
    elif register["who_unusable"]:
        listed = listed.none()
    volunteers = Paginator(
        listed.annotate(service_hours=F("confirmed_hours")).order_by("-registered_on", "-id"),
        VOLUNTEERS_PER_PAGE,
    ).get_page(request.GET.get("vpage"))
    if request.headers.get("HX-Request") and request.GET.get("part") == "volunteers":
        return render(
            request,
            "targets/includes/volunteers.html",
            {
                "community": community,
                "volunteers": volunteers,
                "register": register,
                "can_write": policy_for(Volunteer).can(user, ADD, code),
            },
        )
    plan, year, years = plan_and_year(request)
    stats = list(
        CommunityStat.objects.visible_to(user)
        .filter(community=community)
        .select_related("reviewed_by")
        .order_by("-year")
    )
    for stat in stats:
        stat.actions = stat_actions(stat, user)
    facilities = list(
        # The street's centre is shown only to those who may see the street.
        Facility.objects.visible_to(user)
        .filter(Q(community=community) | Q(kind=FacilityKind.CENTRE, street_id=community.street_id))
        .annotate(funding_wan_yuan=Sum("fundings__amount_wan_yuan"))
        .order_by("kind", "name")
    )
    for facility in facilities:
        facility.in_service = facility.is_in_service_at(year)
    social_organizations = list(
        SocialOrganization.objects.visible_to(user).filter(community=community).order_by("name")
    )
    workers = list(
        Worker.objects.visible_to(user)
        .filter(community=community)
        .annotate(training_hours=Sum("trainings__hours"))
        .order_by(F("left_on").asc(nulls_first=True), WORKER_ROLE_ORDER, "name")
    )
    context = {
        "community": community,
        "street": community.street,
        "breadcrumbs": breadcrumbs_for(user, community.code, chosen_year(request, year)),
        "year": year,
        "years": years,
        "plan": plan,
        "compliance": community_compliance(community, year, plan),
        "over_years": community_years(community, plan),
        "stats": stats,
        "stat_years": {s.year for s in stats},
        "facilities": [f for f in facilities if f.kind != FacilityKind.CENTRE],
        "centres": [f for f in facilities if f.kind == FacilityKind.CENTRE],
        "volunteer_organizations": VolunteerOrganization.objects.visible_to(user)
        .filter(community=community)
        .with_activity(year)
        .select_related("manager")
        .order_by("name"),
        "volunteers": volunteers,
        "register": register,
        "volunteer_record": volunteer_record_summary(community, year, stars),
        "social_organizations": social_organizations,
        "workers": workers,
        "year_stat": next((s for s in stats if s.year == year), None),
        **write_flags(user, community),
    }
    return render(request, "targets/community_detail.html", context)


def street_communities(request, code):
    """List a street's communities with the state of their statistics for a year."""
    user = request.user
    street = get_object_or_404(Street.objects.visible_to(user).select_related("county"), code=code)
    plan, year, years = plan_and_year(request)
    communities = list(
        Community.objects.visible_to(user)
        .filter(street=street)
        .annotate(
            volunteer_count=Count("volunteers", distinct=True),
        )
        .order_by("code")
    )
    stats = {
        s.community_id: s
        for s in CommunityStat.objects.visible_to(user).filter(community__street=street, year=year)
    }
    for community in communities:
        community.stat = stats.get(community.code)
    centres = Facility.objects.filter(kind=FacilityKind.CENTRE, street=street).order_by("name")
    context = {
        "street": street,
        "breadcrumbs": breadcrumbs_for(user, street.code, chosen_year(request, year)),
        "communities": communities,
        "centres": centres,
        "year": year,
        "years": years,
        "can_write": policy_for(Facility).can(user, ADD, street.code),
    }
    return render(request, "targets/street_communities.html", context)
