"""The compliance workbook's 社区队伍 sheet (added through targets' register_report_section)."""

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

from .measures import project_summary, teams_summary, training_summary
from .rules import RULE_LABELS

COLUMNS = ["单位", "代码", "社区数", "两委及下属组织健全", "健全占比"]
WIDTHS = [28, 16, 14, 18, 14, 14, 14]


def rate_cell(sheet, value):
    return sheet.cell(None if value is None else float(value), fmt=PERCENT_FORMAT)


def number_cell(sheet, value, fmt="0.0"):
    return sheet.cell(None if value is None else float(value), fmt=fmt)


def teams_sheet(wb, *, region, year, plan) -> None:
    """两委 complete per unit, training against its plan, projects, and the incomplete communities."""
    teams = teams_summary(region.code, year, name=region.name)
    training = training_summary(region.code, year, name=region.name)
    projects = project_summary(region.code, year)
    rows = [teams.scope, *teams.children]
    sheet = _Sheet(wb, "社区队伍")
    sheet.setup(WIDTHS, header_row=2, columns=len(COLUMNS), rows=len(rows))
    sheet.title(f"{region.name}{year}年社区队伍建设情况")
    sheet.header(COLUMNS)
    for row in rows:
        sheet.append(
            [
                sheet.cell(row.name),
                sheet.cell(row.code),
                sheet.cell(row.communities, fmt=WHOLE_FORMAT),
                sheet.cell(row.complete, fmt=WHOLE_FORMAT),
                rate_cell(sheet, row.complete_rate),
            ]
        )
    sheet.append([])
    sheet.append([sheet.cell("社区工作者培训", font=SUBTITLE_FONT, border=False)])
    sheet.header(
        [
            "在职社区工作者",
            "参训人数",
            "参训比例",
            "人均学时",
            "计划参训比例",
            "计划人均学时",
            "完成计划",
        ]
    )
    applied, met = training.plan, training.met
    sheet.append(
        [
            sheet.cell(training.scope.workers, fmt=WHOLE_FORMAT),
            sheet.cell(training.scope.trained, fmt=WHOLE_FORMAT),
            rate_cell(sheet, training.scope.trained_share),
            number_cell(sheet, training.scope.hours_per_worker),
            rate_cell(sheet, applied.share_to_train) if applied else sheet.cell("未制定"),
            number_cell(sheet, applied.hours_per_worker) if applied else sheet.cell("—"),
            sheet.cell("—" if met is None else ("是" if met else "否")),
        ]
    )
    sheet.append([])
    sheet.append([sheet.cell("委托志愿服务组织的项目", font=SUBTITLE_FONT, border=False)])
    sheet.header(["志愿服务组织", "承接项目的组织", "占比", "在办项目", "经费（万元）"])
    sheet.append(
        [
            sheet.cell(projects.organizations, fmt=WHOLE_FORMAT),
            sheet.cell(projects.running, fmt=WHOLE_FORMAT),
            rate_cell(sheet, projects.running_share),
            sheet.cell(projects.projects, fmt=WHOLE_FORMAT),
            number_cell(sheet, projects.funding_wan_yuan, fmt="#,##0.00"),
        ]
    )
    sheet.append([])
    sheet.append([sheet.cell("不健全的社区", font=SUBTITLE_FONT, border=False)])
    sheet.header(["社区", "社区代码", "缺少"])
    for gap in teams.missing_posts:
        missing = "、".join(RULE_LABELS[c] for c in gap["missing"])
        row = sheet.row + 1
        # What is missing spans the rest of the page and wraps, never running off it.
        sheet.merge(f"C{row}:{get_column_letter(len(WIDTHS))}{row}")
        lines = -(-int(text_width(missing)) // int(sum(WIDTHS[2:])))
        if lines > 1:
            sheet.ws.row_dimensions[row].height = 14 * lines + 2
        sheet.append(
            [
                sheet.cell(gap["name"], align=WRAP),
                sheet.cell(gap["community_code"]),
                sheet.cell(missing, align=WRAP),
            ]
        )


def register_sheets() -> None:
    register_report_section(teams_sheet)
