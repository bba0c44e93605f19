"""Excel: the requests of a scope (resident's name and phone masked unless asked for with the
permission, audited) and the template for requests logged on paper."""

import io

from django.http import FileResponse, Http404
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from communities.scopes import scope_param
from core.audit import audit
from core.personal import asked_to_unmask, personal_data_audit, unmask_decision
from core.xlsx.cells import needs_text_cell, text_cell

from .measures import parse_period
from .models import Case, CaseCategory, Channel

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
COLUMNS = [
    ("受理编号", 26),
    ("社区代码", 16),
    ("社区", 20),
    ("类别", 8),
    ("受理渠道", 10),
    ("诉求内容", 40),
    ("居民姓名", 10),
    ("联系电话", 15),
    ("地址", 24),
    ("受理日期", 12),
    ("办理期限", 12),
    ("状态", 10),
    ("承办单位", 24),
    ("办结日期", 12),
    ("办理结果", 40),
    ("满意度", 10),
    ("重办次数", 8),
    ("是否超期", 8),
]
TEMPLATE_COLUMNS = [
    ("社区代码*", 16, "12位社区代码，以文本格式填写。"),
    ("类别*", 10, "咨询、求助、建议、投诉、举报"),
    ("受理渠道*", 12, "、".join(str(label) for _, label in Channel.choices)),
    ("诉求内容*", 40, "居民反映的问题或诉求。"),
    ("居民姓名*", 10, ""),
    ("联系电话", 15, "11位手机号或带区号的固定电话。"),
    ("地址", 24, ""),
    ("受理日期*", 12, "YYYY-MM-DD，不晚于今天；受理编号和办理期限由系统生成。"),
]


def _cell(ws, value, header=False):
    cell = text_cell(ws, value) if needs_text_cell(value) else WriteOnlyCell(ws, value=value)
    if header:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    return cell


def _response(wb, name):
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=name)


def export_view(request):
    """``?scope=&year=`` (or ``month=``): the requests accepted in the period, masked by default."""
    scope = scope_param(request.user, request.GET.get("scope"))
    period = parse_period(
        year=request.GET.get("year"),
        month=request.GET.get("month"),
        quarter=request.GET.get("quarter"),
    )
    if period is None:
        raise Http404("请指定统计期间。")
    unmask = unmask_decision(request, asked=asked_to_unmask(request))
    rows = (
        Case.objects.under(scope.code)
        .filter(accepted_on__gte=period.start, accepted_on__lte=period.end)
        .select_related("community", "category", "handling_unit")
        .order_by("number")
    )
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("民情诉求")
    for index, (_, width) in enumerate(COLUMNS):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    ws.append([_cell(ws, title, header=True) for title, _ in COLUMNS])
    count = 0
    for c in rows.iterator(chunk_size=2000):
        count += 1
        ws.append(
            [
                _cell(ws, c.number),
                _cell(ws, c.community_id),
                c.community.name,
                c.category.name,
                c.get_channel_display(),
                _cell(ws, c.description),
                c.resident_name if unmask else c.resident_name_masked,
                _cell(ws, c.resident_phone if unmask else c.resident_phone_masked),
                _cell(ws, c.address),
                c.accepted_on,
                c.due_on,
                c.get_status_display(),
                c.handling_unit.name if c.handling_unit else "",
                c.resolved_on,
                _cell(ws, c.resolution),
                c.get_satisfaction_display() if c.satisfaction else "",
                c.reopen_count,
                "是" if c.is_overdue else "否",
            ]
        )
    detail = {"model": "casework.case", "scope": scope.code, "period": period.label, "rows": count}
    if unmask:
        personal_data_audit(request, detail=detail)
    else:
        audit(
            action="export",
            user=request.user,
            request=request,
            scope_code=scope.code,
            detail=detail,
        )
    return _response(wb, f"{scope.name}{period.label}民情诉求.xlsx")


def template_view(request):
    """The import template for requests logged on paper."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("民情诉求")
    for index, (_, width, _) in enumerate(TEMPLATE_COLUMNS):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    ws.append([_cell(ws, title, header=True) for title, _, _ in TEMPLATE_COLUMNS])
    notes = wb.create_sheet("填写说明")
    notes.append(["列", "说明"])
    for title, _, note in TEMPLATE_COLUMNS:
        notes.append([title, note])
    categories = "、".join(
        f"{c.name}（{c.time_limit_working_days}个工作日）" for c in CaseCategory.objects.all()
    )
    notes.append(["类别与时限", categories])
    notes.append(
        [
            "说明",
            "带*的列必填。受理编号按“社区代码+受理日期+当日序号”由系统生成，办理期限按工作日（含调休）自动计算。",
        ]
    )
    return _response(wb, "民情诉求导入模板.xlsx")
