"""The Excel workbooks of the 目标考核: a scheme's ranking and a unit's score sheet, each an
official return with its report block (填报单位、填报日期、单位负责人、审核人、填表人、联系电话、盖章).

Small workbooks (at most a few hundred rows), so openpyxl's normal mode: merged title cells,
wrapped text, number formats, frozen headers and an A4 print setup.
"""

import io

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from core.audit import audit
from core.xlsx.cells import needs_text_cell

from .methods import METHODS
from .models import Grade, Status
from .ranking import scheme_ranking

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")
FAIL_FILL = PatternFill("solid", fgColor="F8D7DA")
TITLE = Font(name="宋体", size=16, bold=True)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
SCORE = "0.00"
GRADE_LABELS = dict(Grade.choices)
STATUS_LABELS = dict(Status.choices)


def _write(ws, row: int, column: int, value):
    """Write a value; text that Excel would run as a formula is stored as plain text."""
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if needs_text_cell(value):
        cell.data_type = "s"
    return cell


def _put(ws, row: int, column: int, value, *, fmt=None, bold=False, fill=None, align=WRAP):
    cell = _write(ws, row, column, value)
    cell.border = BORDER
    cell.alignment = align
    if fmt:
        cell.number_format = fmt
    if bold:
        cell.font = BOLD
    if fill:
        cell.fill = fill
    return cell


def _title(ws, text: str, columns: int, subtitle: str) -> int:
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    _write(ws, 1, 1, text).font = TITLE
    ws.cell(row=1, column=1).alignment = CENTRE
    ws.row_dimensions[1].height = 30
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=columns)
    _write(ws, 2, 1, subtitle).alignment = Alignment(horizontal="center")
    return 4


def _header(ws, row: int, titles: list[str]) -> None:
    for column, title in enumerate(titles, start=1):
        _put(ws, row, column, title, bold=True, fill=HEAD_FILL, align=CENTRE)
    ws.freeze_panes = ws.cell(row=row + 1, column=1)


def _widths(ws, widths: list[float]) -> None:
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width


def _report_block(ws, row: int, columns: int, *, unit: str, user) -> int:
    """Write the official return's block under the table and return the next row."""
    filler = (user.get_full_name() or user.get_username()) if user else ""
    today = timezone.localdate()
    lines = [
        ("填报单位", unit, "填报日期", f"{today:%Y年%m月%d日}"),
        ("单位负责人", "", "审核人", ""),
        ("填表人", filler, "联系电话", ""),
        ("盖章", "（单位公章）", "", ""),
    ]
    half = max(columns // 2, 2)
    row += 1
    for left, left_value, right, right_value in lines:
        ws.cell(row=row, column=1, value=left).font = BOLD
        _write(ws, row, 2, left_value)
        if right:
            ws.cell(row=row, column=half + 1, value=right).font = BOLD
            _write(ws, row, half + 2, right_value)
        ws.row_dimensions[row].height = 24
        row += 1
    return row


def _print_setup(ws, *, landscape: bool, header_row: int) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_margins.left = ws.page_margins.right = 0.5


def sheet_rows(assessment):
    return list(assessment.scores.select_related("item").order_by("item__position", "item_id"))


def write_score_sheet(ws, assessment, *, user) -> None:
    """One unit's score sheet: 序号、考核内容、考核标准、分值、考核方式、得分、说明."""
    scheme = assessment.scheme
    titles = ["序号", "考核内容", "考核标准", "分值", "考核方式", "得分", "计分依据及说明"]
    row = _title(
        ws,
        f"{scheme.year}年度{scheme.name}评分表",
        len(titles),
        f"被考核单位：{assessment.unit_name}（{assessment.unit_code}） · "
        f"考核环节：{STATUS_LABELS[assessment.status]}",
    )
    _header(ws, row, titles)
    header_row = row
    for number, score in enumerate(sheet_rows(assessment), start=1):
        row += 1
        item = score.item
        notes = []
        if score.figures:
            from .sources import Figure

            notes.append(f"依据：{Figure.from_json(score.figures).text()}")
        if item.is_automatic and score.score is not None:
            notes.append(f"自动计分 {score.computed}，调整为 {score.score}；理由：{score.reason}")
        if score.self_score is not None:
            notes.append(f"自评 {score.self_score}")
        for entry in score.deductions or []:
            notes.append(f"{entry['reason']} {entry['points']}分")
        if score.vetoed:
            notes.append(f"触发一票否决：{score.reason}")
        if score.evidence:
            notes.append(f"佐证：{score.evidence}")
        _put(ws, row, 1, number, fmt="0", align=CENTRE)
        _put(ws, row, 2, item.name)
        _put(ws, row, 3, item.standard_text())
        _put(ws, row, 4, float(item.points), fmt=SCORE)
        _put(ws, row, 5, METHODS[item.method].way)
        _put(
            ws, row, 6, float(score.effective), fmt=SCORE, fill=FAIL_FILL if score.vetoed else None
        )
        _put(ws, row, 7, "；".join(notes))
    row += 1
    _put(ws, row, 1, "合计", bold=True, align=CENTRE)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    _put(ws, row, 4, float(scheme.base_score), fmt=SCORE, bold=True)
    _put(ws, row, 5, "")
    _put(ws, row, 6, float(assessment.total), fmt=SCORE, bold=True)
    grade = GRADE_LABELS.get(assessment.grade, "—")
    rank = f"，第{assessment.rank}名" if assessment.is_final and assessment.rank else ""
    veto = "（一票否决）" if assessment.is_vetoed else ""
    _put(ws, row, 7, f"考核等次：{grade}{veto}{rank}", bold=True)
    _widths(ws, [6, 26, 40, 8, 16, 9, 40])
    _print_setup(ws, landscape=False, header_row=header_row)
    _report_block(ws, row + 1, len(titles), unit=assessment.unit_name, user=user)


def write_ranking(ws, scheme, rows, items, *, user) -> None:
    titles = [
        "名次",
        "代码",
        "单位",
        "考核环节",
        *[f"{i.name}（{i.points}）" for i in items],
        "总得分",
        "等次",
        "上年总得分",
        "比上年",
    ]
    row = _title(
        ws,
        f"{scheme.year}年度{scheme.name}考核结果排名",
        len(titles),
        f"基本分 {scheme.base_score} · 优秀比例不超过 {scheme.excellent_quota * 100:.0f}% · "
        f"单位 {len(rows)} 个",
    )
    _header(ws, row, titles)
    header_row = row
    for ranked in rows:
        row += 1
        a = ranked.assessment
        values = [
            a.rank if a.is_final else None,
            a.unit_code,
            a.unit_name,
            STATUS_LABELS[a.status],
        ]
        for column, value in enumerate(values, start=1):
            _put(ws, row, column, value, fmt="0" if column == 1 else None)
        column = len(values)
        for item in items:
            column += 1
            score = ranked.scores.get(item.code)
            _put(ws, row, column, float(score.effective) if score else None, fmt=SCORE)
        _put(ws, row, column + 1, float(a.total), fmt=SCORE, bold=True)
        _put(
            ws,
            row,
            column + 2,
            GRADE_LABELS.get(a.grade, ""),
            fill=FAIL_FILL if a.grade == "fail" else None,
        )
        _put(
            ws,
            row,
            column + 3,
            None if ranked.last_total is None else float(ranked.last_total),
            fmt=SCORE,
        )
        _put(
            ws,
            row,
            column + 4,
            None if ranked.change is None else float(ranked.change),
            fmt="+0.00;-0.00;0.00",
        )
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(titles))}{max(row, header_row)}"
    _widths(ws, [6, 10, 16, 10, *[10] * len(items), 9, 8, 10, 9])
    _print_setup(ws, landscape=True, header_row=header_row)
    _report_block(ws, row + 1, len(titles), unit="甘肃省民政厅", user=user)


def _response(request, wb, filename: str, detail: dict) -> FileResponse:
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    audit(action="export", user=request.user, request=request, detail=detail)
    return FileResponse(out, as_attachment=True, filename=filename)


def ranking_workbook_response(request, scheme) -> FileResponse:
    """The ranking (every unit the user may see) and one score sheet per finalised unit shown."""
    items = list(scheme.items.all())
    rows = scheme_ranking(scheme, request.user, items=items)
    wb = Workbook()
    ws = wb.active
    ws.title = "考核排名"
    write_ranking(ws, scheme, rows, items, user=request.user)
    return _response(
        request,
        wb,
        f"{scheme.year}年{scheme.name}排名.xlsx",
        {"export": "assessment-ranking", "scheme": scheme.pk, "units": len(rows)},
    )


def sheet_workbook_response(request, assessment) -> FileResponse:
    wb = Workbook()
    ws = wb.active
    ws.title = "评分表"
    write_score_sheet(ws, assessment, user=request.user)
    return _response(
        request,
        wb,
        f"{assessment.scheme.year}年{assessment.unit_name}考核评分表.xlsx",
        {"export": "assessment-sheet", "assessment": assessment.pk},
    )
