"""Compliance dashboards: indicator cards, next-level chart, progress line, failing communities.

Every figure shown is the engine's result written by the registry at the API's precision, so
a page and the API always print the same numbers; percentages are the 4-place ratios with the
point moved.
"""

from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from communities.scopes import Scope, child_level, scope_param, scope_path
from core.dates import FIRST_YEAR
from core.scoping import CODE_LENGTHS, LEVEL_LABELS, prefix_q, user_scope_code
from streets.models import Division, Street
from volunteers.models import ServiceRecord, StarThreshold

from .engine import (
    DATA_ALL,
    DATA_CHOICES,
    community_rows,
    compute_region,
    compute_years,
    figures_hold,
    street_rows,
)
from .figures import star_counts
from .lists import (
    failing_count_rows,
    failing_count_workbook,
    failing_workbook,
    region_columns,
    region_names,
    regions_of,
)
from .maps import map_panel
from .models import CommunityFigures, Plan
from .params import current_plan_or_none, this_year, year_choices, year_or_default
from .presentation import closeness, indicator_card, percent
from .registry import (
    BASELINE_BY_CODE,
    COMMUNITY,
    COMMUNITY_INDICATORS,
    INDICATOR_BY_CODE,
    INDICATORS,
    Indicator,
    percent_number,
    threshold_of,
)
from .results import RegionResult
from .year_targets import SET, set_rates, targets_for
from .year_targets import path as target_path

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---------------------------------------------------------------------------------------------
# Parsing the request.


def no_plan(request, scope: Scope):
    """Say that there is no plan to measure against (instead of failing)."""
    return render(request, "targets/no_plan.html", {"scope": scope})


def years_offered(plan: Plan) -> list[int]:
    """Return the years the selector offers, newest first."""
    return year_choices(plan)[::-1]


def year_for(request, plan: Plan) -> int:
    """Return the ``?year=`` asked for, or the plan's target year (the current year at most)."""
    return year_or_default(request.GET.get("year"), min(plan.target_year, this_year()))


def data_for(request) -> str:
    """Return ``?data=`` (``all`` or ``approved``); ``all`` when blank or unusable."""
    value = request.GET.get("data")
    return value if value in DATA_CHOICES else DATA_ALL


def indicator_for(code: str | None) -> Indicator:
    """Return the indicator asked for, or the first one that applies below ``scope``."""
    if code in INDICATOR_BY_CODE:
        return INDICATOR_BY_CODE[code]
    return COMMUNITY_INDICATORS[0]


# ---------------------------------------------------------------------------------------------
# Links.


def dashboard_url(code: str, year: int, indicator: str | None = None) -> str:
    query = {"year": year}
    if indicator:
        query["indicator"] = indicator
    return f"{reverse('dashboard', args=[code])}?{urlencode(query)}"


def community_url(code: str, year: int) -> str | None:
    try:
        return f"{reverse('community-detail', args=[code])}?{urlencode({'year': year})}"
    except NoReverseMatch:
        return None


def drill_url(code: str, level: str, year: int, indicator: str) -> str | None:
    """Return where clicking a child leads: its dashboard, or a community's page."""
    if level == "community":
        return community_url(code, year)
    return dashboard_url(code, year, indicator)


def report_url(code: str, year: int, data: str = "all") -> str | None:
    """Return the address of the Excel compliance report for a scope and year."""
    query = {"scope": code, "year": year, **({"data": data} if data != "all" else {})}
    try:
        return f"{reverse('report-compliance')}?{urlencode(query)}"
    except NoReverseMatch:
        return None


def failing_url(code: str, indicator: str, year: int) -> str:
    return f"{reverse('failing-communities', args=[code, indicator])}?{urlencode({'year': year})}"


def breadcrumbs(request, scope: Scope, year: int, indicator: str | None = None) -> list[dict]:
    """Return the path from the user's own scope down to ``scope`` (nothing above the user)."""
    own = user_scope_code(request.user) or ""
    return [
        {"name": s.name, "url": dashboard_url(s.code, year, indicator), "code": s.code}
        for s in scope_path(scope.code)
        if len(s.code) >= len(own)
    ]


# ---------------------------------------------------------------------------------------------
# The indicator panel: bar chart of the next level down, the table of children, progress.


def children_panel(region: RegionResult, scope: Scope, indicator: Indicator, year: int) -> dict:
    """Build the chart and table rows of the next level down for one indicator."""
    rows = []
    for child in region.children:
        item = child.indicator(indicator.code)
        rows.append(
            {
                "code": child.code,
                "name": child.name,
                "url": drill_url(child.code, child.level, year, indicator.code),
                "applicable": item.applicable,
                "compliant": item.compliant,
                "missing": item.missing,
                "rate": item.rate,
                "rate_label": percent(item.rate),
                "rate_number": percent_number(item.rate),
                "value_label": indicator.value_label(item.value),
                "gap_label": indicator.gap_label(item.gap),
                "colour": closeness(item.rate),
                "community_count": child.community_count,
                "full_count": child.fully_compliant_count,
                "full_rate_label": percent(child.fully_compliant_rate),
            }
        )
    chart = {
        "indicator": indicator.short_name,
        "level": LEVEL_LABELS.get(child_level(scope.level) or "", ""),
        "bars": [
            {
                "code": r["code"],
                "name": r["name"],
                "value": r["rate_number"],
                "label": r["rate_label"] or "不适用",
                "detail": f"达标 {r['compliant']} / 应达标 {r['applicable']}，缺数据 {r['missing']}",
                "colour": r["colour"],
                "url": r["url"],
            }
            for r in rows
        ],
    }
    has_bars = any(r["rate"] is not None for r in rows)
    return {
        "rows": rows,
        "chart": chart,
        "has_bars": has_bars,
        "map": map_panel(scope.code, scope.level, chart["bars"]) if rows else None,
    }


def progress_years(plan: Plan, year: int) -> list[int]:
    """Return the years of the progress line: 2010 to the target year (or the chosen one)."""
    last = min(max(plan.target_year, year), this_year())
    return list(range(FIRST_YEAR, last + 1))


def progress_chart(scope: Scope, plan: Plan, year: int) -> dict:
    """Return every indicator's yearly compliance rate (and region share), and full compliance.

    One engine pass covers all the indicators, so the page fetches this once and switching
    indicators redraws the line from it.
    """
    years = progress_years(plan, year)
    results = compute_years(scope_code=scope.code, years=years, plan=plan)
    regions = [results[y] for y in years]
    found = set_rates(plan, [scope.code], years)
    indicators = {}
    for indicator in INDICATORS:
        items = [region.indicator(indicator.code) for region in regions]
        # The target path beside the actual: set yearly targets, else the straight line.
        targets, any_set = target_path(
            plan,
            scope.code,
            indicator.code,
            years,
            {y: i.rate for y, i in zip(years, items, strict=True)},
            found,
        )
        indicators[indicator.code] = {
            "target_name": "年度目标" if any_set else "年度目标（未制定，按直线推算）",
            "targets": targets,
            # Short legend entries: the section's title names the indicator.
            "rate_name": "达标率",
            "rates": [percent_number(i.rate) for i in items],
            "value_name": "全域比例" if indicator.is_percentage else None,
            "values": [percent_number(i.value) for i in items] if indicator.is_percentage else None,
        }
    return {
        "years": [str(y) for y in years],
        "indicators": indicators,
        "full_name": "全部达标社区占比",
        "full": [percent_number(region.fully_compliant_rate) for region in regions],
        "target_year": str(plan.target_year),
    }


def panel_context(
    request, scope: Scope, plan: Plan, year: int, indicator: Indicator, region: RegionResult
) -> dict:
    """Everything the indicator panel (chart, children table) shows; progress loads apart."""
    return {
        "scope": scope,
        "year": year,
        "indicator": indicator,
        "indicators": INDICATORS,
        "panel": children_panel(region, scope, indicator, year),
        "child_level_name": LEVEL_LABELS.get(child_level(scope.level) or "", ""),
        "failing_url": failing_url(scope.code, indicator.code, year),
        "chart_url": reverse("dashboard-chart", args=[scope.code]),
        # The progress line costs an engine pass over six years: the page fetches it once,
        # after it has shown, and redraws it from memory when another indicator is chosen.
        "progress_url": f"{reverse('dashboard-progress', args=[scope.code])}?year={year}",
        "first_year": FIRST_YEAR,
        "last_year": progress_years(plan, year)[-1],
    }


# ---------------------------------------------------------------------------------------------
# Views.


def dashboard(request, code):
    """达标概览: the compliance of one scope in one year, with drill-down to the next level."""
    scope = scope_param(request.user, code)  # 404 alike for unknown and outside
    plan = current_plan_or_none()
    if plan is None:
        return no_plan(request, scope)
    year = year_for(request, plan)
    if scope.level == "community":
        url = community_url(scope.code, year)
        if url is None:
            raise Http404("社区页面不可用")
        return redirect(url)
    indicator = indicator_for(request.GET.get("indicator"))
    data = data_for(request)
    result = compute_region(
        scope_code=scope.code, year=year, plan=plan, with_children=True, data=data
    )
    cards = [indicator_card(item) for item in result.indicators]
    year_targets = targets_for(result, plan).get(scope.code, {})
    for card, item in zip(cards, result.indicators, strict=True):
        target = year_targets.get(item.code)
        if target is not None and target.rate is not None:
            card["year_target_label"] = percent(target.rate)
            card["year_target_set"] = target.source == SET
            card["on_track"] = target.on_track(item.rate)
    for card in cards:
        card["selected"] = card["code"] == indicator.code
        card["select_url"] = dashboard_url(scope.code, year, card["code"])
        card["failing_url"] = failing_url(scope.code, card["code"], year)
    stats_indicators = [i for i in result.indicators if INDICATOR_BY_CODE[i.code].needs_stats]
    stats_missing = bool(stats_indicators) and all(
        i.applicable > 0 and i.missing == i.applicable for i in stats_indicators
    )
    street_centre = next(c for c in cards if c["code"] == "street_centre")
    baseline = [
        {
            "code": b.code,
            "name": b.name,
            "count": b.count,
            "rate": b.rate,
            "published": b.published,
            "rate_label": percent(b.rate),
            "plan_words": baseline_words(b.code),
        }
        for b in result.baseline
    ]
    context = {
        "scope": scope,
        "plan": plan,
        "year": year,
        "years": years_offered(plan),
        "indicator": indicator,
        "cards": cards,
        "full_count": result.fully_compliant_count,
        "full_rate_label": percent(result.fully_compliant_rate),
        "community_count": result.community_count,
        "subdistrict_count": street_centre["applicable"],
        "stats_missing": stats_missing,
        "is_empty": result.community_count == 0 and street_centre["applicable"] == 0,
        "baseline": baseline,
        "breadcrumbs": breadcrumbs(request, scope, year, indicator.code),
        "level_name": LEVEL_LABELS[scope.level],
        "report_url": report_url(scope.code, year, data),
        "data": data,
        "data_choices": DATA_CHOICES,
    }
    registered = next(
        (b.count for b in result.baseline if b.code == "registered_volunteer_count"), 0
    )
    context["volunteer_service"] = volunteer_service(
        request.user, scope.code, year, registered, plan
    )
    context.update(panel_context(request, scope, plan, year, indicator, result))
    return render(request, "targets/dashboard.html", context)


STAR_LABELS = ("一星", "二星", "三星", "四星", "五星")


def volunteer_service(user, code: str, year: int, registered: int, plan: Plan | None) -> dict:
    """Confirmed service hours per year, volunteers by star level, hours per registered volunteer.

    Beside the plan's registered-volunteer target (注册志愿者达到居民10%): how much the
    registered volunteers actually serve. Only confirmed records count.
    """
    records = ServiceRecord.objects.visible_to(user).under(code).confirmed()
    if plan is not None and figures_hold([year], plan):
        # The figures hold each community's confirmed hours and serving volunteers per year.
        per_year = [
            row
            for row in CommunityFigures.objects.filter(prefix_q("community_id", code))
            .order_by("year")
            .values("year")
            .annotate(hours=Sum("service_hours"), volunteers=Sum("serving_volunteers"))
            if row["hours"]
        ]
    else:
        per_year = records.hours_by_year()
    # Each community's volunteers by star level are kept with its figures; counted from the
    # records when the thresholds changed since.
    stars = star_counts(code)
    if stars is None:
        stars = records.star_counts(StarThreshold.objects.pairs())
    hours = next((row["hours"] for row in per_year if row["year"] == year), Decimal("0"))
    return {
        "per_year": per_year,
        "stars": [(label, stars.get(level, 0)) for level, label in enumerate(STAR_LABELS, 1)],
        "hours": hours,
        "registered": registered,
        "hours_per_volunteer": (hours / registered).quantize(Decimal("0.01"))
        if registered
        else None,
    }


def baseline_words(code: str) -> str:
    """Return the plan's own sentence for a baseline figure."""
    baseline = BASELINE_BY_CODE.get(code)
    return baseline.plan_words if baseline else ""


def dashboard_chart(request, code):
    """The indicator panel alone, for htmx when another indicator is chosen."""
    scope = scope_param(request.user, code)
    if scope.level == "community":
        raise Http404("社区没有下级")
    plan = current_plan_or_none()
    if plan is None:
        return no_plan(request, scope)
    year = year_for(request, plan)
    indicator = indicator_for(request.GET.get("indicator"))
    data = data_for(request)
    result = compute_region(
        scope_code=scope.code, year=year, plan=plan, with_children=True, data=data
    )
    context = panel_context(request, scope, plan, year, indicator, result)
    context["data"] = data
    response = render(request, "targets/_indicator_panel.html", context)
    response["Vary"] = "HX-Request"
    # The address bar follows the choice, so a reload or a shared link shows the same panel.
    response["HX-Push-Url"] = dashboard_url(scope.code, year, indicator.code)
    return response


def dashboard_progress(request, code):
    """The progress line's data (JSON) for every indicator over the years."""
    scope = scope_param(request.user, code)
    if scope.level == "community":
        raise Http404("社区的历年情况见社区页面")
    plan = current_plan_or_none()
    if plan is None:
        return no_plan(request, scope)
    year = year_for(request, plan)
    return JsonResponse(
        progress_chart(scope, plan, year), json_dumps_params={"ensure_ascii": False}
    )


SORTS = {
    "code": lambda r: r["code"],
    "name": lambda r: r["name"],
    "value": lambda r: (r["value_sort"] is None, r["value_sort"] or 0),
    "gap": lambda r: (r["gap_sort"] is None, r["gap_sort"] or 0),
}
SORT_LABELS = {"code": "代码", "name": "名称", "value": "本单位数值", "gap": "差距"}


def failing_communities(request, code, indicator):
    """未达标社区: the communities (or 街道 for the centre target) failing one indicator."""
    scope = scope_param(request.user, code)
    if indicator not in INDICATOR_BY_CODE:
        raise Http404("没有这个指标")
    ind = INDICATOR_BY_CODE[indicator]
    plan = current_plan_or_none()
    if plan is None:
        return no_plan(request, scope)
    year = year_for(request, plan)
    if ind.level == COMMUNITY:
        units = community_rows(scope_code=scope.code, year=year, plan=plan)
        unit_level = "community"
    else:
        units = street_rows(scope_code=scope.code, year=year, plan=plan)
        unit_level = "street"
    columns = region_columns(scope.level, unit_level)
    applicable = [u for u in units if u.indicators[indicator].applicable]
    failing_units = [u for u in applicable if not u.indicators[indicator].compliant]
    names = region_names([u.code for u in failing_units], columns)
    rows = []
    for unit in failing_units:
        figure = unit.indicators[indicator]
        rows.append(
            {
                "code": unit.code,
                "name": unit.name,
                "regions": regions_of(unit.code, columns, names),
                "value_label": ind.value_label(figure.value),
                # Sorted and summed as printed, so the total is the sum of the rows shown.
                "value_sort": ind.round_value(figure.value),
                "gap_label": ind.gap_label(figure.gap),
                "gap_sort": ind.round_gap(figure.gap),
                "missing": figure.value is None,
                "url": (
                    community_url(unit.code, year)
                    if ind.level == COMMUNITY
                    else dashboard_url(unit.code, year, indicator)
                ),
            }
        )
    sort = request.GET.get("sort", "-gap")
    key = sort.lstrip("-")
    if key not in SORTS:
        sort, key = "-gap", "gap"
    descending = sort.startswith("-")
    rows.sort(key=SORTS["code"])
    if key == "gap" or key == "value":
        # Rows without data go last whichever way the figures are sorted.
        with_data = [r for r in rows if r[f"{key}_sort"] is not None]
        without = [r for r in rows if r[f"{key}_sort"] is None]
        with_data.sort(key=SORTS[key], reverse=descending)
        rows = with_data + without
    else:
        rows.sort(key=SORTS[key], reverse=descending)
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    sort_links = []
    for field, label in SORT_LABELS.items():
        if key == field:
            next_sort = field if descending else f"-{field}"
            mark = "▼" if descending else "▲"
        else:
            next_sort = f"-{field}" if field in ("gap", "value") else field
            mark = ""
        sort_links.append(
            {
                "field": field,
                "label": label,
                "mark": mark,
                "url": "?" + urlencode({"year": year, "sort": next_sort}),
            }
        )
    total_gap = sum((r["gap_sort"] for r in rows if r["gap_sort"] is not None), Decimal(0))
    unit_name = "社区" if ind.level == COMMUNITY else "街道"
    if request.GET.get("format") == "xlsx":
        title = f"{scope.name}{year}年「{ind.short_name}」未达标{unit_name}名单"
        subtitle = f"{plan.name}规划 · {ind.name}（标准 {ind.threshold_label(threshold_of(plan, ind.code))}） · 共 {len(rows)} 个"
        out = failing_workbook(
            title=title, subtitle=subtitle, columns=columns, rows=rows, unit_name=unit_name
        )
        return FileResponse(out, as_attachment=True, filename=f"{title}.xlsx", content_type=XLSX)
    context = {
        "scope": scope,
        "plan": plan,
        "year": year,
        "years": years_offered(plan),
        "indicator": ind,
        "indicator_threshold": ind.threshold_label(threshold_of(plan, ind.code)),
        "indicators": INDICATORS,
        "unit_name": unit_name,
        "region_headings": [label for _, label in columns],
        "xlsx_url": "?" + urlencode({"year": year, "sort": sort, "format": "xlsx"}),
        "applicable_count": len(applicable),
        "failing_count": len(rows),
        "missing_count": sum(1 for r in rows if r["missing"]),
        "total_gap_label": ind.gap_label(total_gap) if rows else None,
        "page": page,
        "sort": sort,
        "sort_key": key,
        "sort_links": sort_links,
        "page_query": urlencode({"year": year, "sort": sort}),
        "breadcrumbs": breadcrumbs(request, scope, year, indicator),
        "dashboard_url": dashboard_url(scope.code, year, indicator),
        "narrower": narrower_scopes(scope, rows, indicator, year),
    }
    return render(request, "targets/failing.html", context)


def narrower_scopes(scope: Scope, rows: list[dict], indicator: str, year: int) -> list[dict]:
    """Return the next level down with how many failing units each holds (one query)."""
    level = child_level(scope.level)
    if level in ("prefecture", "county"):
        children = Division.objects.under(scope.code).filter(level=level)
    elif level == "street":
        children = Street.objects.filter(county_id=scope.code)
    else:
        return []
    length = CODE_LENGTHS[level]
    failing: dict[str, int] = {}
    for row in rows:
        failing[row["code"][:length]] = failing.get(row["code"][:length], 0) + 1
    return [
        {
            "code": code,
            "name": name,
            "failing": failing.get(code, 0),
            "url": failing_url(code, indicator, year),
        }
        for code, name in children.order_by("code").values_list("code", "name")
    ]


def failing_count(request, code):
    """未达标指标数: the communities under a scope by how many community targets they fail."""
    scope = scope_param(request.user, code)
    if scope.level == "community":
        raise Http404("社区的指标情况见社区页面")
    plan = current_plan_or_none()
    if plan is None:
        return no_plan(request, scope)
    year = year_for(request, plan)
    units = community_rows(scope_code=scope.code, year=year, plan=plan)
    columns = region_columns(scope.level, "community")
    names = region_names([u.code for u in units], columns)
    rows = failing_count_rows(units, names, columns)
    if request.GET.get("format") == "xlsx":
        title = f"{scope.name}{year}年社区未达标指标数名单"
        subtitle = f"{plan.name}规划 · 社区十项指标 · 未全部达标社区 {len(rows)} 个 / 共 {len(units)} 个"
        out = failing_count_workbook(title=title, subtitle=subtitle, columns=columns, rows=rows)
        return FileResponse(out, as_attachment=True, filename=f"{title}.xlsx", content_type=XLSX)
    for row in rows:
        row.url = community_url(row.code, year)
    by_count: dict[int, int] = {}
    for row in rows:
        by_count[row.failing_count] = by_count.get(row.failing_count, 0) + 1
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "scope": scope,
        "plan": plan,
        "year": year,
        "years": years_offered(plan),
        "page": page,
        "community_count": len(units),
        "failing_community_count": len(rows),
        "by_count": sorted(by_count.items(), reverse=True),
        "region_headings": [label for _, label in columns],
        "page_query": urlencode({"year": year}),
        "xlsx_url": "?" + urlencode({"year": year, "format": "xlsx"}),
        "breadcrumbs": breadcrumbs(request, scope, year),
        "dashboard_url": dashboard_url(scope.code, year),
    }
    return render(request, "targets/failing_count.html", context)
