"""The compliance workbook's 社区队伍 sheet (added through targets' register_report_section)."""

from openpyxl.cell import WriteOnlyCell

from targets.report import register_report_section

from .measures import project_summary, teams_summary, training_summary
from .rules import RULE_LABELS

PERCENT = "0.00%"


def _rate(ws, value):
    cell = WriteOnlyCell(ws, value=float(value) if value is not None else None)
    cell.number_format = PERCENT
    return cell


def teams_sheet(wb, *, region, year, plan) -> None:
    """两委 complete per unit, the training against its plan, the projects, the incomplete communities."""
    teams = teams_summary(region.code, year, name=region.name)
    training = training_summary(region.code, year, name=region.name)
    projects = project_summary(region.code, year)
    ws = wb.create_sheet("社区队伍")
    ws.append([f"{region.name}{year}年社区队伍建设情况"])
    ws.append(["单位", "代码", "社区数", "两委及下属组织健全", "健全占比"])
    for row in [teams.scope, *teams.children]:
        ws.append([row.name, row.code, row.communities, row.complete, _rate(ws, row.complete_rate)])
    ws.append([])
    ws.append(
        [
            "在职社区工作者",
            "参训人数",
            "参训比例",
            "人均学时",
            "计划覆盖比例",
            "计划人均学时",
            "完成计划",
        ]
    )
    plan_row = training.plan
    met = training.met
    ws.append(
        [
            training.scope.workers,
            training.scope.trained,
            _rate(ws, training.scope.trained_share),
            float(training.scope.hours_per_worker)
            if training.scope.hours_per_worker is not None
            else None,
            _rate(ws, plan_row.share_to_train) if plan_row else "未制定",
            float(plan_row.hours_per_worker) if plan_row else None,
            "—" if met is None else ("是" if met else "否"),
        ]
    )
    ws.append([])
    ws.append(["志愿服务组织", "承接项目的组织", "占比", "在办项目", "经费（万元）"])
    ws.append(
        [
            projects.organizations,
            projects.running,
            _rate(ws, projects.running_share),
            projects.projects,
            float(projects.funding_wan_yuan),
        ]
    )
    ws.append([])
    ws.append(["不健全的社区", "缺少"])
    for gap in teams.missing_posts:
        ws.append([gap["community_code"], "、".join(RULE_LABELS[c] for c in gap["missing"])])


def register_sheets() -> None:
    register_report_section(teams_sheet)
