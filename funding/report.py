"""The 资金 sheet of the compliance workbook: the scope's money and each child's rule."""

from communities.scopes import Scope
from targets.report import _Sheet

from .models import BudgetLine, CostType, FundSource
from .rollups import TREND_LABELS, summarise

MONEY = "#,##0.00"


def has_money(code: str, year: int) -> bool:
    """Say whether the scope has any budget line this year or last (else no 资金 sheet)."""
    return BudgetLine.objects.approved().under(code).filter(year__in=(year - 1, year)).exists()


def funding_section(wb, *, region, year, plan) -> None:
    """Write the 资金 sheet (called by ``targets.report`` for every compliance report)."""
    if region.level == "community" or not has_money(region.code, year):
        return
    summary = summarise(Scope(region.code, region.name, region.level), year)
    sheet = _Sheet(wb, "资金")
    columns = [
        "区划代码",
        "名称",
        "预算安排（万元）",
        "已拨付（万元）",
        "已支出（万元）",
        "本级专项经费（万元）",
        "上年（万元）",
        "与上年相比",
    ]
    rows = 4 + len(CostType.values) + len(FundSource.values) + len(summary.children)
    sheet.setup(
        [14, 24, 16, 16, 16, 18, 14, 14],
        header_row=3,
        columns=len(columns),
        rows=rows,
        filter_=False,
    )
    sheet.title(f"{region.name}{year}年专项经费投入")
    sheet.append(
        [
            sheet.cell(
                "金额单位：万元；只计已审核的预算，设施资金计入设施建设与维护的已支出。",
                border=False,
            )
        ]
    )
    sheet.header(columns)

    def money(value):
        return sheet.cell(value, fmt=MONEY) if value is not None else sheet.cell("—")

    def line(code, name, totals, fund=None):
        cells = [
            sheet.cell(code),
            sheet.cell(name),
            money(totals.budgeted),
            money(totals.allocated),
            money(totals.spent),
        ]
        if fund is not None:
            cells += [
                money(fund.this_year),
                money(fund.last_year),
                sheet.cell(TREND_LABELS[fund.trend]),
            ]
        sheet.append(cells)

    line(region.code, f"{region.name}（本级）", summary.own, summary.special_fund)
    line("", "下级合计", summary.below)
    total = summary.total
    for cost_type in CostType:
        amounts = total.by_cost_type[cost_type.value]
        sheet.append(
            [
                sheet.cell(""),
                sheet.cell(f"其中：{cost_type.label}"),
                money(amounts["budgeted"]),
                money(amounts["allocated"]),
                money(amounts["spent"]),
            ]
        )
    for source in FundSource:
        amounts = total.by_source[source.value]
        sheet.append(
            [
                sheet.cell(""),
                sheet.cell(f"来源：{source.label}"),
                money(amounts["budgeted"]),
                money(amounts["allocated"]),
                money(amounts["spent"]),
            ]
        )
    for child in summary.children:
        line(child.code, child.name, child.own, child.special_fund)
