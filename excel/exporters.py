"""Write import templates and data exports (the same layout), streaming with write-only workbooks."""

import datetime
from decimal import Decimal

from django.conf import settings
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation

from core.validators import EARLIEST_DATE, mask_id_number, mask_phone
from core.xlsx import cells
from core.xlsx.reading import web_max_rows

from .resources import Column, Resource

INSTRUCTIONS_TITLE = "填写说明"
HEADER_FONT = Font(name="宋体", bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
REQUIRED_FILL = PatternFill("solid", fgColor="9C2A2A")
TITLE_FONT = Font(name="宋体", bold=True, size=14)
BOLD = Font(name="宋体", bold=True)
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
DATE_FORMAT = "yyyy-mm-dd"
AREA_FORMAT = "#,##0.00"
TEXT_FORMAT = "@"


def validation_rows() -> int:
    """How far down the drop-downs reach: the import's row limit plus the header."""
    return int(getattr(settings, "IMPORT_MAX_ROWS", 200000)) + 1


def choice_list(column: Column) -> str:
    if column.kind == "bool":
        return "是,否"
    return ",".join(column.choices.labels)


def add_validations(ws, resource: Resource) -> None:
    """Add drop-down lists for coded values and checks for numbers and dates."""
    last = validation_rows()
    for index, column in enumerate(resource.columns, start=1):
        letter = get_column_letter(index)
        ref = f"{letter}2:{letter}{last}"
        if column.kind in ("choice", "bool"):
            dv = DataValidation(
                type="list", formula1=f'"{choice_list(column)}"', allow_blank=not column.required
            )
            dv.error = f"请从下拉列表中选择：{choice_list(column).replace(',', '、')}"
        elif column.kind == "int":
            dv = DataValidation(
                type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True
            )
            dv.error = "请填写非负整数。"
        elif column.kind == "decimal":
            dv = DataValidation(
                type="decimal",
                operator="between",
                formula1="0.01",
                formula2="100000",
                allow_blank=True,
            )
            dv.error = "请填写大于0且不超过100000的数字。"
        elif column.kind == "date":
            # The importer's bounds (cells.check_date_range): 1949-10-01 to the end of next year.
            latest = cells.latest_date()
            dv = DataValidation(
                type="date",
                operator="between",
                formula1=str(int(to_excel(EARLIEST_DATE))),
                formula2=str(int(to_excel(latest))),
                allow_blank=True,
            )
            dv.error = f"请填写{EARLIEST_DATE:%Y年%m月%d日}至{latest:%Y年%m月%d日}之间的日期，如 2015-03-01。"
        else:
            continue
        dv.errorTitle = column.header
        dv.showErrorMessage = True
        if column.note:
            dv.promptTitle = column.header
            dv.prompt = column.note
            dv.showInputMessage = True
        dv.add(ref)
        ws.data_validations.append(dv)


def header_cells(ws, resource: Resource) -> list[WriteOnlyCell]:
    result = []
    for column in resource.columns:
        cell = WriteOnlyCell(ws, value=column.title)
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        cell.alignment = CENTER
        cell.border = BORDER
        result.append(cell)
    return result


def setup_data_sheet(ws, resource: Resource, rows: int) -> None:
    """Column widths and formats, frozen header, filter, print setup: before any row is written."""
    for index, column in enumerate(resource.columns, start=1):
        dim = ws.column_dimensions[get_column_letter(index)]
        dim.width = column.width
        if column.kind in ("code", "id_number", "phone", "text"):
            dim.number_format = TEXT_FORMAT  # typed codes stay text (no 6.2E+11)
        elif column.kind == "date":
            dim.number_format = DATE_FORMAT
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(resource.columns))}{max(rows, 1) + 1}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    add_validations(ws, resource)


def write_instructions(wb, resource: Resource, *, note: str = "") -> None:
    ws = wb.create_sheet(INSTRUCTIONS_TITLE)
    for letter, width in zip("ABCD", (22, 10, 44, 60), strict=True):
        ws.column_dimensions[letter].width = width
    title = WriteOnlyCell(ws, value=f"{resource.title}导入模板填写说明")
    title.font = TITLE_FONT
    ws.append([title])
    general = [
        f"1. 在“{resource.title}”工作表中从第2行起每行填写一条记录；第1行是列名，请勿修改。带 * 的列必须填写。",
        "2. 有下拉列表的列请从列表中选择；日期写成 2015-03-01；代码和身份证号码请以文本格式填写。",
        "3. 上传后系统先检查整个文件，有任何问题都会按“第几行、哪一列”列出，此时不会导入任何数据；全部无误才一次性导入。",
        f"4. 每个文件不超过 {settings.IMPORT_MAX_BYTES // (1024 * 1024)} MB，网页直接导入最多 {web_max_rows():,} 行"
        f"（更大的文件请在导入页选择“后台导入”，最多 {validation_rows() - 1:,} 行）；"
        "只接受 .xlsx 文件，不接受公式、宏。",
        "5. 已有的记录按下列规则找到并更新，内容相同的记录不会改动，同一文件重复导入不会产生变化。",
        *(f"   · {text}" for text in resource.extra_notes),
    ]
    if note:
        general.append(note)
    for text in general:
        ws.append([text])
    ws.append([])
    heads = []
    for text in ("列名", "是否必填", "填写要求", "可选值"):
        cell = WriteOnlyCell(ws, value=text)
        cell.font = BOLD
        cell.border = BORDER
        heads.append(cell)
    ws.append(heads)
    for column in resource.columns:
        options = ""
        if column.kind in ("choice", "choices", "bool") and column.choices is not None:
            options = "、".join(column.choices.labels)
        elif column.kind == "bool":
            options = "是、否"
        requirement = column.note or {
            "date": "日期，如 2015-03-01。",
            "int": "非负整数。",
            "choice": "从下拉列表中选择。",
            "text": "文字。",
        }.get(column.kind, "")
        row = []
        for value in (
            column.header,
            "必填" if column.required else ("不导入" if not column.importable else "选填"),
            requirement,
            options,
        ):
            cell = WriteOnlyCell(ws, value=value)
            cell.alignment = WRAP
            cell.border = BORDER
            row.append(cell)
        ws.append(row)


def build_template(resource: Resource, out) -> None:
    """Write the empty import template of ``resource`` to ``out`` (path or binary file)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(resource.title)
    setup_data_sheet(ws, resource, rows=1)
    ws.append(header_cells(ws, resource))
    write_instructions(wb, resource)
    wb.save(out)


class _CellMaker:
    """Turn exported values into ``(value, style id)`` pairs for :class:`cells.RawRows`."""

    def __init__(self, ws, resource: Resource, *, unmasked: bool):
        self.columns = resource.columns
        self.unmasked = unmasked
        self.epoch = ws.parent.epoch
        self.styles: list[int | None] = []
        for column in self.columns:
            if column.kind in ("date", "decimal"):
                cell = WriteOnlyCell(ws)
                cell.number_format = DATE_FORMAT if column.kind == "date" else AREA_FORMAT
                self.styles.append(cell.style_id)
            else:
                self.styles.append(None)

    def row(self, values) -> list:
        out = []
        for index, (column, value) in enumerate(zip(self.columns, values, strict=True)):
            value = self.convert(column, value)
            if column.kind == "date" and value is not None:
                value = to_excel(value, self.epoch)
            out.append((value, self.styles[index] if value is not None else None))
        return out

    def convert(self, column: Column, value):
        kind = column.kind
        if value is None:
            return None
        if kind == "id_number":
            return value if self.unmasked else mask_id_number(value)
        if kind == "phone":
            return value if self.unmasked else mask_phone(value)
        if kind == "bool":
            return "是" if value else "否"
        if kind in ("choice", "info") and column.choices is not None:
            return cells.label_of(value, column.choices)
        if kind == "choices":
            return cells.labels_of(value, column.choices)
        if kind == "decimal":
            return Decimal(value)
        if kind == "date" and isinstance(value, datetime.datetime):
            return value.date()
        return value


def build_export(resource: Resource, queryset, out, *, unmasked: bool = False) -> int:
    """Write the records of ``queryset`` in the template's layout; return the number of rows."""
    queryset = resource.export_queryset(queryset)
    total = queryset.count()
    wb = Workbook(write_only=True)
    ws = cells.fast_rows(wb.create_sheet(resource.title))
    setup_data_sheet(ws, resource, rows=total)
    ws.append(header_cells(ws, resource))
    maker = _CellMaker(ws, resource, unmasked=unmasked)
    paths = [column.export_path for column in resource.columns]
    written = 0
    raw = cells.RawRows(ws, first_row=2, columns=len(resource.columns))
    for values in queryset.values_list(*paths).iterator(chunk_size=2000):
        raw.append(maker.row(values))
        written += 1
    raw.close()
    note = (
        ""
        if unmasked
        else "6. 本导出文件中的身份证号码和电话号码已脱敏；原样导入时保留系统中的完整号码，"
        "新增的志愿者须填写完整号码。"
    )
    write_instructions(wb, resource, note=note if resource.slug == "volunteers" else "")
    wb.save(out)
    return written
