"""The 填报情况 sheet of the compliance report (targets.report.register_report_section)."""

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from communities.scopes import Scope
from core.scoping import LEVEL_LABELS

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


def _row(ws, rates, bold=False):
    font = Font(bold=True) if bold else None
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
        cell = WriteOnlyCell(
            ws, value=float(value) if index in (5, 7, 9) and value is not None else value
        )
        if index in (5, 7, 9):
            cell.number_format = PERCENT
        if font:
            cell.font = font
        cells.append(cell)
    ws.append(cells)


def reporting_sheet(wb, *, region, year, plan) -> None:
    """Write 填报情况: the scope's reporting rates and one row per child."""
    ws = wb.create_sheet(SHEET_TITLE)
    ws.freeze_panes = f"C{HEADER_ROW + 1}"
    ws.print_title_rows = f"1:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    for letter, width in zip("ABCDEFGHIJ", (14, 24, 10, 10, 10, 10, 14, 10, 10, 10), strict=True):
        ws.column_dimensions[letter].width = width
    period = ReportingPeriod.objects.filter(year=year).first()
    rates = reporting_rates(Scope(region.code, region.name, region.level), year)
    ws.append([WriteOnlyCell(ws, value=f"{region.name}{year}年度统计填报情况")])
    if period:
        levels = "、".join(
            {"street": "街道", "county": "县区", "prefecture": "市州", "province": "省"}[x]
            for x in period.approval_levels
        )
        ws.append(
            [
                f"截止日期 {period.due_on:%Y-%m-%d}（北京时间当日24时前首次上报为按时）；审核层级：{levels}"
            ]
        )
    else:
        ws.append(["该年度尚未设置填报周期：无截止日期，按时上报不作统计。"])
    ws.append([])
    ws.append(HEADERS)
    _row(ws, rates, bold=True)
    for child in rates.children:
        _row(ws, child)
    if rates.children:
        ws.append([])
        ws.append(
            [f"按{LEVEL_LABELS.get(rates.children[0].level, '')}列出；比率 = 数量 ÷ 应报社区数。"]
        )
