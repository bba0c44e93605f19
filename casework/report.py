"""The compliance workbook's 民情流水线 sheet (added through targets' register_report_section)."""

from targets.report import _Sheet, text_width

from .measures import compute_measures, year_period

COLUMNS = [
    "区划代码",
    "名称",
    "受理",
    "办结",
    "已回访",
    "未办结",
    "超期未办结",
    "按期办结率",
    "满意率",
    "重办率",
    "退单率",
]
PERCENT = "0.00%"


def _row(sheet, code, name, f):
    cells = [sheet.cell(code), sheet.cell(name)]
    cells += [sheet.cell(v) for v in (f.received, f.resolved, f.closed, f.open, f.overdue_open)]
    for rate in (f.on_time_rate, f.satisfaction_rate, f.reopen_rate, f.sent_back_rate):
        cells.append(sheet.cell(None if rate is None else float(rate), fmt=PERCENT))
    sheet.append(cells)


def casework_sheet(wb, *, region, year, plan) -> None:
    """One row for the region, one per child, then one per category (by ``accepted_on`` in ``year``)."""
    measures = compute_measures(region.code, year_period(year), units=False)
    rows = 1 + len(measures.children) + len(measures.by_category)
    sheet = _Sheet(wb, "民情流水线")
    widths = [text_width(c) + 4 for c in COLUMNS]
    widths[0] = max(widths[0], text_width("0" * 12))
    widths[1] = 28
    sheet.setup(widths, header_row=2, columns=len(COLUMNS), rows=rows + 2)
    sheet.title(f"{region.name}{year}年民情流水线办理情况（按受理日期统计）")
    sheet.header(COLUMNS)
    _row(sheet, region.code, f"{region.name}（合计）", measures.total)
    for child in measures.children:
        _row(sheet, child.code, child.name, child)
    for cat in measures.by_category:
        _row(sheet, "类别", cat.name, cat)
    median = measures.total.median_working_days
    sheet.append(
        [
            sheet.cell("办结用时中位数（工作日）", border=False),
            sheet.cell(None if median is None else float(median), border=False),
        ]
    )
