"""资金投入: the money of one scope in one year, by cost type and source, the plan's rule per
child (the falling ones listed), a chart over the years and drill-down to the next level."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from communities.scopes import scope_param, scope_path
from core.dates import FIRST_YEAR
from core.policy import ADD, policy_for
from core.scoping import LEVEL_LABELS, user_scope_code
from targets.params import this_year, year_or_default

from .models import BudgetLine, CostType, FundSource
from .payload import money
from .rollups import FALLING, TREND_LABELS, summarise, yearly_series

CHART_FIRST_YEAR = 2011  # the 十二五 plan's first budget year


def funding_url(code: str, year: int) -> str:
    return f"{reverse('funding', args=[code])}?{urlencode({'year': year})}"


def breadcrumbs(request, code: str, year: int) -> list[dict]:
    own = user_scope_code(request.user) or ""
    return [
        {"name": s.name, "url": funding_url(s.code, year), "code": s.code}
        for s in scope_path(code)
        if len(s.code) >= len(own)
    ]


def _rows(totals, choices) -> list[dict]:
    rows = []
    for choice in choices:
        amounts = totals[choice.value]
        rows.append(
            {
                "code": choice.value,
                "label": choice.label,
                "budgeted": money(amounts["budgeted"]),
                "allocated": money(amounts["allocated"]),
                "spent": money(amounts["spent"]),
            }
        )
    return rows


def _number(value):
    return None if value is None else float(value)


def funding_page(request, code):
    scope = scope_param(request.user, code)  # 404 alike for unknown and outside
    default_year = this_year() - 1 if this_year() > 2015 else this_year()
    year = year_or_default(request.GET.get("year"), min(default_year, 2015))
    if scope.level == "community":
        raise Http404("专项经费按省、市州、县区和街道（乡镇）统计，社区没有单独的预算。")
    summary = summarise(scope, year)
    total = summary.total
    children = []
    for child in summary.children:
        fund = child.special_fund
        child_total = child.total
        children.append(
            {
                "code": child.code,
                "name": child.name,
                "url": funding_url(child.code, year),
                "budgeted": money(child_total.budgeted),
                "spent": money(child_total.spent),
                "this_year": money(fund.this_year),
                "last_year": money(fund.last_year),
                "trend": fund.trend,
                "trend_label": TREND_LABELS[fund.trend],
                "per_100_households": money(child.per_100_households),
            }
        )
    years = list(range(CHART_FIRST_YEAR, max(year, CHART_FIRST_YEAR) + 1))
    series = yearly_series(scope, years)
    chart = {
        "years": [str(y) for y in years],
        "own": [_number(series[y]["own_budgeted"]) for y in years],
        "below": [_number(series[y]["below_budgeted"]) for y in years],
        "spent": [_number(series[y]["spent"]) for y in years],
        "special_fund": [_number(series[y]["special_fund"]) for y in years],
    }
    fund = summary.special_fund
    context = {
        "scope": scope,
        "year": year,
        "years": list(range(max(this_year(), 2015), FIRST_YEAR - 1, -1)),
        "level_name": LEVEL_LABELS[scope.level],
        "child_level_name": LEVEL_LABELS.get(children and summary.children[0].level or "", ""),
        "breadcrumbs": breadcrumbs(request, scope.code, year),
        "own": {
            "budgeted": money(summary.own.budgeted),
            "allocated": money(summary.own.allocated),
            "spent": money(summary.own.spent),
        },
        "below": {
            "budgeted": money(summary.below.budgeted),
            "allocated": money(summary.below.allocated),
            "spent": money(summary.below.spent),
        },
        "total": {"budgeted": money(total.budgeted), "spent": money(total.spent)},
        "fund": {
            "this_year": money(fund.this_year),
            "last_year": money(fund.last_year),
            "trend": fund.trend,
            "trend_label": TREND_LABELS[fund.trend],
        },
        "per_100_households": money(summary.per_100_households),
        "per_capita_yuan": money(summary.per_capita_yuan),
        "cost_rows": _rows(total.by_cost_type, CostType),
        "source_rows": _rows(total.by_source, FundSource),
        "children": children,
        "falling": [c for c in children if c["trend"] == FALLING],
        "chart": chart,
        "dashboard_url": f"{reverse('dashboard', args=[scope.code])}?{urlencode({'year': year})}",
        # Officials of this very region (and administrators) enter its lines by Excel.
        "import_url": reverse("excel-import", args=["budget-lines"])
        if policy_for(BudgetLine).can(request.user, ADD, scope.code)
        else None,
    }
    return render(request, "funding/funding.html", context)
