"""The compliance workbook's 服务标准 sheet (added through targets' register_report_section)."""

from openpyxl.styles import Font

from targets.report import register_report_section

from .measures import standards_summary

HEADER_FONT = Font(name="宋体", bold=True)
PERCENT = "0.00%"


def _rate_cell(ws, value):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=float(value) if value is not None else None)
    cell.number_format = PERCENT
    return cell


def standards_sheet(wb, *, region, year, plan) -> None:
    """One row per unit below the region (and the region), then the stations missing a line."""
    summary = standards_summary(region.code, year, name=region.name)
    ws = wb.create_sheet("服务标准")
    ws.append([f"{region.name}{year}年社区服务标准自查情况"])
    ws.append(
        [
            "单位",
            "代码",
            "参与自查设施",
            "服务站",
            "已自查项次",
            "目录覆盖率",
            "达标项次",
            "达标占比",
        ]
    )
    for row in [summary.scope, *summary.children]:
        ws.append(
            [
                row.name,
                row.code,
                row.facilities,
                row.stations,
                row.provided,
                _rate_cell(ws, row.coverage),
                row.meets,
                _rate_cell(ws, row.meeting_share),
            ]
        )
    ws.append([])
    ws.append(["有服务类别一项也未提供的服务站", "社区代码", "未提供的服务类别"])
    for item in summary.missing_lines:
        facility = item["facility"]
        ws.append([facility.name, facility.community_id, "、".join(item["labels"])])


def register_sheets() -> None:
    register_report_section(standards_sheet)
