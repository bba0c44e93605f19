"""The 填报情况 sheet of the compliance report (targets.report.register_report_section)."""

from openpyxl.styles import Font

from communities.scopes import Scope
from core.scoping import LEVEL_LABELS
from targets.report import FONT, _Sheet, text_width

from .models import ReportingPeriod
from .rates import reporting_rates

HEADERS = [
    "代码",
    "名称",
    "应报社区",
    "已填报",
    "已上报",
    "上报率",
    "各级审核通过",
    "审核率",
    "按时上报",
    "按时率",
]
PERCENT = "0.00%"
SHEET_TITLE = "填报情况"
HEADER_ROW = 4


def _row(sheet, rates, bold=False):
    font = Font(name=FONT, bold=True) if bold else None
    values = [
        rates.code,
        rates.name,
        rates.expected,
        rates.entered,
        rates.submitted,
        rates.submitted_rate,
        rates.approved,
        rates.approved_rate,
        rates.on_time,
        rates.on_time_rate,
    ]
    cells = []
    for index, value in enumerate(values):
        if index in (5, 7, 9):
            cells.append(
                sheet.cell(None if value is None else float(value), fmt=PERCENT, font=font)
            )
        else:
            cells.append(sheet.cell(value, font=font))
    sheet.append(cells)


def reporting_sheet(wb, *, region, year, plan) -> None:
    """Write 填报情况: the scope's reporting rates and one row per child."""
    period = ReportingPeriod.objects.filter(year=year).first()
    rates = reporting_rates(Scope(region.code, region.name, region.level), year)
    sheet = _Sheet(wb, SHEET_TITLE)
    names = [rates.name, *(child.name for child in rates.children)]
    widths = [16, max(text_width(n) for n in names), 10, 10, 10, 10, 14, 10, 10, 10]
    sheet.setup(widths, header_row=HEADER_ROW, columns=len(HEADERS), rows=1 + len(rates.children))
    sheet.title(f"{region.name}{year}年度统计填报情况")
    if period:
        levels = "、".join(
            {"street": "街道", "county": "县区", "prefecture": "市州", "province": "省"}[x]
            for x in period.approval_levels
        )
        sheet.note(
            f"截止日期 {period.due_on:%Y-%m-%d}（北京时间当日24时前首次上报为按时）；审核层级：{levels}"
        )
    else:
        sheet.note("该年度尚未设置填报周期：无截止日期，按时上报不作统计。")
    sheet.append([])
    sheet.header(HEADERS)
    _row(sheet, rates, bold=True)
    for child in rates.children:
        _row(sheet, child)
    if rates.children:
        sheet.append([])
        sheet.note(
            f"按{LEVEL_LABELS.get(rates.children[0].level, '')}列出；比率 = 数量 ÷ 应报社区数。"
        )
