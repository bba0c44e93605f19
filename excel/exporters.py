"""Write import templates and data exports (the same layout), streaming with write-only workbooks."""

import datetime
import math
import unicodedata
from decimal import Decimal

from django.conf import settings
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation

from core.validators import EARLIEST_DATE, mask_id_number, mask_phone
from core.xlsx import cells
from core.xlsx.reading import web_max_rows

from .resources import Column, Resource
from .years import plan_years, years_text

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
        elif column.kind == "year":
            first, last = plan_years(column.first_year)
            dv = DataValidation(
                type="whole",
                operator="between",
                formula1=str(first),
                formula2=str(last),
                allow_blank=True,
            )
            dv.error = f"请填写{years_text((first, last))}之间的年份。"
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


def choices_help(column: Column) -> str:
    """How a multi-value cell is filled: the separator and an example."""
    labels = list(column.choices.labels)
    example = "、".join(labels[:2])
    return (
        f"可填多项，多项之间用顿号“、”分隔，如“{example}”；"
        "每项须是可选值之一，同一项只填一次，可留空。"
    )


def header_cells(ws, resource: Resource) -> list[WriteOnlyCell]:
    result = []
    for column in resource.columns:
        cell = WriteOnlyCell(ws, value=column.title)
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        cell.alignment = CENTER
        cell.border = BORDER
        if column.kind == "choices":
            text = f"{choices_help(column)}\n可选值：{'、'.join(column.choices.labels)}"
            cell.comment = Comment(text, INSTRUCTIONS_TITLE, width=320, height=140)
        result.append(cell)
    return result


# -- printing ------------------------------------------------------------------------------

# A4 in points, and the margins every sheet prints with (inches, as Excel stores them).
A4_PORTRAIT = (595.0, 842.0)
MARGIN_SIDE, MARGIN_TOP, MARGIN_HEADER = 0.4, 0.6, 0.3
BODY_FONT_SIZE = 11  # the workbook's default font, which data and help rows use
MIN_FONT_SIZE = 8  # a page must not shrink text below this
MIN_SCALE = MIN_FONT_SIZE / BODY_FONT_SIZE
LINE_HEIGHT = 15.0  # points per wrapped line of 11 pt text


def width_points(width: float) -> float:
    """The printed width of a column of ``width`` characters (Excel: 7 px a character + 5)."""
    return int(width * 7 + 5) * 0.75


def printable_width(orientation: str) -> float:
    short, long = A4_PORTRAIT
    paper = long if orientation == "landscape" else short
    return paper - 2 * MARGIN_SIDE * 72


def print_layout(widths: list[float]) -> tuple[str, int]:
    """Choose the orientation and the number of pages across for columns of ``widths``.

    Portrait when the columns fit at full size, else landscape; fitted to one page across
    when that keeps text at ``MIN_FONT_SIZE`` or more, else to as many pages as needed.
    """
    total = sum(width_points(w) for w in widths)
    if total <= printable_width("portrait"):
        return "portrait", 1
    pages = math.ceil(total * MIN_SCALE / printable_width("landscape") - 1e-9)
    return "landscape", max(pages, 1)


def setup_print(ws, widths: list[float], *, header: str, title_rows: str, area: str) -> None:
    """A4 page setup: orientation, fit, margins, print titles and area, header and footer."""
    orientation, pages = print_layout(widths)
    ws.page_setup.orientation = orientation
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = pages
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    margins = ws.page_margins
    margins.left = margins.right = MARGIN_SIDE
    margins.top = margins.bottom = MARGIN_TOP
    margins.header = margins.footer = MARGIN_HEADER
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = title_rows
    ws.print_area = area
    ws.oddHeader.left.text = header
    ws.oddHeader.right.text = "&A"
    ws.oddFooter.left.text = "甘肃省社区服务体系建设管理平台"
    ws.oddFooter.right.text = "第 &P 页，共 &N 页"
    for part in (ws.oddHeader.left, ws.oddHeader.right, ws.oddFooter.left, ws.oddFooter.right):
        part.size = 9


def text_lines(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide."""
    usable = max(width - 2, 1)
    lines = 0
    for part in str(text).split("\n"):
        # A CJK glyph of 11 pt 宋体 is a little wider than two characters of the default font.
        units = sum(2.2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in part)
        lines += max(1, math.ceil(units / usable))
    return lines


def setup_data_sheet(ws, resource: Resource, rows: int, *, template: bool = False) -> None:
    """Column widths and formats, frozen header, filter, print setup: before any row is written."""
    for index, column in enumerate(resource.columns, start=1):
        dim = ws.column_dimensions[get_column_letter(index)]
        dim.width = column.width
        if column.kind in ("code", "id_number", "phone", "text"):
            dim.number_format = TEXT_FORMAT  # typed codes stay text (no 6.2E+11)
        elif column.kind == "date":
            dim.number_format = DATE_FORMAT
    ws.freeze_panes = "A2"
    last = get_column_letter(len(resource.columns))
    ws.auto_filter.ref = f"A1:{last}{max(rows, 1) + 1}"
    header = resource.title + ("导入模板" if template else "（导出数据）")
    setup_print(
        ws,
        [c.width for c in resource.columns],
        header=header,
        title_rows="1:1",
        area=f"A1:{last}{max(rows, 1) + 1}",
    )
    # Header labels wrap: give the row the height of the longest one.
    ws.row_dimensions[1].height = LINE_HEIGHT * max(
        text_lines(c.title, c.width) for c in resource.columns
    )
    add_validations(ws, resource)


HELP_WIDTHS = (20, 10, 48, 44)  # 列名, 是否必填, 填写要求, 可选值
HELP_TITLE_FONT = Font(name="宋体", bold=True, size=13)


def column_requirement(column: Column) -> str:
    if column.kind == "choices":
        return f"{column.note.removesuffix('可填多项，用“、”分隔。')}{choices_help(column)}"
    if column.kind == "year":
        if column.first_year is not None:
            return f"四位年份，只能填写{years_text(plan_years(column.first_year))}；{column.note}"
        return f"四位年份，只能填写{years_text(plan_years())}（规划年度）。"
    return column.note or {
        "date": "日期，如 2015-03-01。",
        "int": "非负整数。",
        "choice": "从下拉列表中选择。",
        "text": "文字。",
        "bool": "填“是”或“否”。",
    }.get(column.kind, "")


def write_instructions(wb, resource: Resource, *, note: str = "") -> None:
    """The 填写说明 sheet: general rules on merged, wrapped rows, then one row per column.

    It prints on A4 (one or two pages) with every line wrapped inside the page; row heights
    are set from the wrapped text, since neither Excel nor LibreOffice sizes merged rows.
    """
    ws = wb.create_sheet(INSTRUCTIONS_TITLE)
    for letter, width in zip("ABCD", HELP_WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    full = sum(HELP_WIDTHS)
    general = [
        f"1. 在“{resource.title}”工作表中从第2行起每行填写一条记录；第1行是列名，请勿修改。带 * 的列必须填写。",
        "2. 有下拉列表的列请从列表中选择；可填多项的列用顿号“、”分隔各项；日期写成 2015-03-01；代码和身份证号码请以文本格式填写。",
        "3. 上传后系统先检查整个文件，有任何问题都会按“第几行、哪一列”列出，此时不会导入任何数据；全部无误才一次性导入。",
        f"4. 每个文件不超过 {settings.IMPORT_MAX_BYTES // (1024 * 1024)} MB，网页直接导入最多 {web_max_rows():,} 行"
        f"（更大的文件请在导入页选择“后台导入”，最多 {validation_rows() - 1:,} 行）；"
        "只接受 .xlsx 文件，不接受公式、宏。",
        "5. 已有的记录按下列规则找到并更新，内容相同的记录不会改动，同一文件重复导入不会产生变化。",
        *(f"   · {text}" for text in resource.extra_notes),
    ]
    if note:
        general.append(note)
    # A write-only sheet writes its page setup before the first row: lay the rows out first.
    head_row = len(general) + 3  # title, the general lines, a blank row
    setup_print(
        ws,
        list(HELP_WIDTHS),
        header=f"{resource.title}导入模板",
        title_rows=f"{head_row}:{head_row}",
        area=f"A1:D{head_row + len(resource.columns)}",
    )
    title = WriteOnlyCell(ws, value=f"{resource.title}导入模板填写说明")
    title.font = HELP_TITLE_FONT
    ws.row_dimensions[1].height = 22
    ws.merged_cells.add("A1:D1")
    ws.append([title])
    row = 2
    for text in general:
        cell = WriteOnlyCell(ws, value=text)
        cell.alignment = WRAP
        ws.row_dimensions[row].height = LINE_HEIGHT * text_lines(text, full)
        ws.merged_cells.add(f"A{row}:D{row}")
        ws.append([cell])
        row += 1
    ws.append([])
    row += 1
    ws.row_dimensions[row].height = LINE_HEIGHT + 3
    heads = []
    for text in ("列名", "是否必填", "填写要求", "可选值"):
        cell = WriteOnlyCell(ws, value=text)
        cell.font = BOLD
        cell.border = BORDER
        cell.alignment = CENTER
        heads.append(cell)
    ws.append(heads)
    for column in resource.columns:
        row += 1
        options = ""
        if column.kind in ("choice", "choices", "info") and column.choices is not None:
            options = "、".join(column.choices.labels)
        elif column.kind == "bool":
            options = "是、否"
        values = (
            column.header,
            "必填" if column.required else ("不导入" if not column.importable else "选填"),
            column_requirement(column),
            options,
        )
        ws.row_dimensions[row].height = LINE_HEIGHT * max(
            text_lines(v, w) for v, w in zip(values, HELP_WIDTHS, strict=True)
        )
        cells_ = []
        for value in values:
            cell = WriteOnlyCell(ws, value=value)
            cell.alignment = WRAP
            cell.border = BORDER
            cells_.append(cell)
        ws.append(cells_)


def build_template(resource: Resource, out) -> None:
    """Write the empty import template of ``resource`` to ``out`` (path or binary file)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(resource.title)
    setup_data_sheet(ws, resource, rows=1, template=True)
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
                cell.number_format = (
                    DATE_FORMAT
                    if column.kind == "date"
                    else AREA_FORMAT
                    if column.places == 2
                    else "#,##0." + "0" * column.places
                )
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
