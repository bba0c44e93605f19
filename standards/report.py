"""The compliance workbook's 服务标准 sheet (added through targets' register_report_section)."""

from openpyxl.utils import get_column_letter

from targets.report import (
    PERCENT_FORMAT,
    SUBTITLE_FONT,
    WHOLE_FORMAT,
    WRAP,
    _Sheet,
    register_report_section,
    text_width,
)

from .measures import standards_summary

COLUMNS = [
    "单位",
    "代码",
    "参与自查设施",
    "服务站",
    "已自查项次",
    "目录覆盖率",
    "达标项次",
    "达标占比",
]
WIDTHS = [28, 16, 12, 10, 12, 12, 12, 12]


def rate_cell(sheet, value):
    return sheet.cell(None if value is None else float(value), fmt=PERCENT_FORMAT)


def standards_sheet(wb, *, region, year, plan) -> None:
    """The region and the units below it, then the stations that provide none of a line."""
    summary = standards_summary(region.code, year, name=region.name)
    rows = [summary.scope, *summary.children]
    sheet = _Sheet(wb, "服务标准")
    sheet.setup(WIDTHS, header_row=2, columns=len(COLUMNS), rows=len(rows))
    sheet.title(f"{region.name}{year}年社区服务标准自查情况")
    sheet.header(COLUMNS)
    for row in rows:
        sheet.append(
            [
                sheet.cell(row.name),
                sheet.cell(row.code),
                sheet.cell(row.facilities, fmt=WHOLE_FORMAT),
                sheet.cell(row.stations, fmt=WHOLE_FORMAT),
                sheet.cell(row.provided, fmt=WHOLE_FORMAT),
                rate_cell(sheet, row.coverage),
                sheet.cell(row.meets, fmt=WHOLE_FORMAT),
                rate_cell(sheet, row.meeting_share),
            ]
        )
    sheet.append([])
    sheet.append([sheet.cell("有服务类别一项也未提供的服务站", font=SUBTITLE_FONT, border=False)])
    sheet.header(["服务站", "社区代码", "未提供的服务类别"])
    lines_width = sum(WIDTHS[2:])
    for item in summary.missing_lines:
        facility = item["facility"]
        labels = "、".join(item["labels"])
        row = sheet.row + 1
        # The categories span the rest of the page and wrap, never running off it.
        sheet.merge(f"C{row}:{get_column_letter(len(WIDTHS))}{row}")
        lines = -(-int(text_width(labels)) // int(lines_width))
        if lines > 1:
            sheet.ws.row_dimensions[row].height = 14 * lines + 2
        sheet.append(
            [
                sheet.cell(facility.name),
                sheet.cell(facility.community_id),
                sheet.cell(labels, align=WRAP),
            ]
        )


def register_sheets() -> None:
    register_report_section(standards_sheet)
