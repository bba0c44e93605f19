"""The Excel compliance report (DESIGN.md, Excel): summary, next level, streets, communities, definitions.

Every figure is the engine's, written by the registry as a cell (``Indicator.value_cell``
and its kin: the number at the API's precision, rates and ratios to four places, ㎡ to two,
people and things whole, with its number format), so the workbook and
``GET /api/v1/compliance/`` always agree. The workbook is streamed (openpyxl write-only):
rows go to disk as they are appended, so a national-scale report keeps memory flat.
"""

import datetime
import re
from copy import copy
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max
from django.db.models.functions import Length
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from communities.models import Community
from communities.scopes import UnknownScope, child_level, resolve_scope
from core.scoping import LEVEL_LABELS
from core.xlsx.cells import FORMULA_PREFIXES, RawRows, fast_rows, needs_text_cell, text_cell
from streets.models import Division, Street, StreetKind

from .engine import DATA_ALL, DATA_CHOICES, community_rows, compute_region, street_rows
from .models import Plan
from .registry import (
    BASELINE_BY_CODE,
    COMMUNITY_INDICATOR_COUNT,
    COMMUNITY_INDICATORS,
    INDICATOR_BY_CODE,
    INDICATORS,
    PERCENT_FORMAT,
    STREET,
    WHOLE_FORMAT,
    rate_cell,
    threshold_of,
)
from .results import RegionResult, UnitValue

FONT = "宋体"
TITLE_FONT = Font(name=FONT, size=14, bold=True)
SUBTITLE_FONT = Font(name=FONT, size=11, bold=True)
HEADER_FONT = Font(name=FONT, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
FAIL_FILL = PatternFill("solid", fgColor="F8CBAD")
PASS_FONT = Font(name=FONT, color="1E6B30")
FAIL_FONT = Font(name=FONT, color="9C0006", bold=True)
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center")
SEAL_ALIGN = Alignment(horizontal="center", vertical="center")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(horizontal="center", vertical="center")
FAIL_MARK = "▼"
LEGEND_TEXT = (
    f"图例：红色底纹并标“{FAIL_MARK}”的单元格，表示该单位的指标值低于目标值（未达标）；"
    "本报告不以颜色表示其他含义。"
)

TIME_FORMAT = "yyyy-mm-dd hh:mm"

PLUS_FORMAT = '#,##0"+"'  # "7000+" (the plan's 7000多个) kept a number that reads as printed

PASS, FAIL, NOT_APPLICABLE = "达标", "未达标", "不适用"

GENERAL_NOTES = (
    "“以上”“不低于”“不少于”“至少”均含本数：达到目标值即为达标。",
    "统计时点为所选年度的12月31日：设施在此前投入使用且未停用、志愿者在此前注册且未退出、社会组织在此前成立且未注销、工作人员在此前任职且未离职，才计入。",
    "户数、常住居民人数、党员人数和参与志愿活动人数取自该社区该年度的年度统计；没有年度统计的社区，相关指标记为“缺数据”，不计为达标，也不计入缺口。",
    "达标率 = 达标数 ÷ 应达标数；缺口为未达标单位距目标的差额之和（面积按平方米，人数向上取整）。",
    f"全部达标社区：{COMMUNITY_INDICATOR_COUNT}项社区指标全部达标的社区。",
    "表中比例以小数存储、按百分比显示；面积单位为平方米。数值与平台“达标情况”接口完全一致。",
)


#: The figures of one indicator, in the order the summary and the next level's detail show them.
INDICATOR_FIGURE_COLUMNS = (
    "目标值",
    "单位",
    "应达标数",
    "达标数",
    "达标率",
    "地区值",
    "缺口",
    "缺口单位",
    "缺数据",
)


def text_width(text) -> float:
    """Column width for ``text``: about two units per Chinese character (xlsx cannot embed fonts)."""
    text = "" if text is None else str(text)
    longest = max(
        (sum(2.1 if ord(ch) > 0x2E7F else 1.1 for ch in line) for line in text.split("\n")),
        default=0,
    )
    return min(max(round(longest + 2, 1), 6), 60)


def wrap_label(text: str, width: float) -> str:
    """Break ``text`` into lines that fit ``width`` (a header that wraps instead of widening)."""
    lines, line = [], ""
    for ch in str(text):
        if line and text_width(line + ch) > width:
            lines.append(line)
            line = ""
        line += ch
    lines.append(line)
    return "\n".join(lines)


def fit_label(text: str, width: float) -> str:
    """``text`` with each of its lines wrapped to ``width`` (its own breaks kept)."""
    return "\n".join(
        line if text_width(line) <= width else wrap_label(line, width) for line in text.split("\n")
    )


# -- print setup: A4 landscape, never below 8 pt --------------------------------------------

# A4 landscape is 297 mm wide; with 1 cm margins left and right the printable width is
# 277 mm, at 96 px an inch about 1,047 px (a column of width w takes 7w + 5 px).
PAGE_WIDTH_PX = (297 - 2 * 10) / 25.4 * 96
PAGE_MARGIN_IN = 10 / 25.4
BODY_PT = 11  # the workbook's cells print at 11 pt before scaling
MIN_PRINT_PT = 8
MIN_SCALE = -(-100 * MIN_PRINT_PT // BODY_PT)  # 73 %: 11 pt × 73 % ≥ 8 pt
HEADER_FOOTER_PT = 10


def column_px(width: float) -> float:
    """Pixels of a column of ``width`` units (Excel's 7 px a unit plus 5 px padding)."""
    return width * 7 + 5


def print_scale(widths) -> int:
    """The print scale (%) that fits ``widths`` onto an A4 landscape page, never below 73 %."""
    total = sum(column_px(w) for w in widths) or 1
    # 3 % to spare: spreadsheet programs round column widths differently.
    return max(MIN_SCALE, min(100, int(PAGE_WIDTH_PX * 97 // total)))


def fits_page(widths, scale: int) -> bool:
    """Say whether columns of ``widths`` printed at ``scale`` % fit one page width."""
    return sum(column_px(w) for w in widths) * scale / 100 <= PAGE_WIDTH_PX


@dataclass
class ReportContext:
    """What every printed page of a report says about itself (header and footer)."""

    scope_name: str
    year: int
    plan_label: str
    generated_at: datetime.datetime


def plan_label(plan: Plan) -> str:
    """The plan as a title names it ("十二五规划")."""
    name = plan.name or plan.code
    return name if name.endswith(("规划", "方案")) else f"{name}规划"


def _escape(text: str) -> str:
    return str(text).replace("&", "&&")


def print_setup(ws, widths, *, context: ReportContext | None, title_rows: str | None) -> None:
    """A4 landscape at a scale that keeps 8 pt, margins, page header and footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.scale = print_scale(widths)
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_margins.left = ws.page_margins.right = PAGE_MARGIN_IN
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.25
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.HeaderFooter.scaleWithDoc = False  # header and footer keep 10 pt whatever the scale
    header, footer = ws.oddHeader, ws.oddFooter
    if context is not None:
        header.left.text = _escape(f"{context.scope_name}  {context.year}年")
        header.right.text = _escape(context.plan_label)
        footer.left.text = _escape(f"生成时间 {context.generated_at:%Y-%m-%d %H:%M}")
    header.center.text = "&A"
    footer.center.text = "第 &P 页，共 &N 页"
    for part in (header.left, header.center, header.right, footer.left, footer.center):
        part.size = HEADER_FOOTER_PT
        part.font = FONT


def set_print_area(ws, *, columns: int, last_row: int) -> None:
    ws.print_area = f"A1:{get_column_letter(max(columns, 1))}{max(last_row, 1)}"


def finish_print(wb) -> None:
    """Give every sheet its print area (the used rows and the sheet's columns)."""
    for ws in wb.worksheets:
        columns = getattr(ws, "print_columns", None) or ws._max_col or 1
        last_row = getattr(ws, "print_last_row", 0) or ws._max_row
        set_print_area(ws, columns=columns, last_row=last_row)


class _Sheet:
    """A write-only sheet with a title row, a header row and typed, formatted cells."""

    def __init__(self, wb, title: str):
        self.ws = fast_rows(wb.create_sheet(title))
        self.context: ReportContext | None = getattr(wb, "report_context", None)
        self.row = 0
        self._styled: dict = {}
        self._styles: dict = {}

    def setup(
        self, widths: list[float], *, header_row: int, columns: int, rows: int, filter_=True
    ) -> None:
        ws = self.ws
        # A sheet may hold a second, wider table below the first: print every sized column.
        widths = list(widths[: max(columns, len(widths))])
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = f"C{header_row + 1}" if columns > 4 else f"A{header_row + 1}"
        if filter_:
            ws.auto_filter.ref = (
                f"A{header_row}:{get_column_letter(columns)}{header_row + max(rows, 1)}"
            )
        ws.print_columns = len(widths)
        self.widths = widths
        print_setup(ws, widths, context=self.context, title_rows=f"1:{header_row}")

    def cell(
        self, value, *, font=None, fill=None, fmt=None, align=None, border=True
    ) -> WriteOnlyCell:
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)  # Excel cannot hold control characters
        as_text = needs_text_cell(value)
        if as_text:
            cell = text_cell(self.ws, value)  # text such as "=1+1" stays text, never a formula
        else:
            cell = WriteOnlyCell(self.ws, value=value)
        # openpyxl finds each style in the workbook's lists by hashing it, for every cell: a
        # national report spent most of its time there. The styles are module constants, so
        # each combination is looked up once per sheet and its style array copied after.
        key = (id(font), id(fill), fmt, id(align), border, as_text)
        known = self._styles.get(key)
        if known is not None:
            cell._style = copy(known[0])
            return cell
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if fmt is not None:
            cell.number_format = fmt
        if align is not None:
            cell.alignment = align
        if border:
            cell.border = BORDER
        # The style objects are kept with the array, so that their ids name them.
        self._styles[key] = (copy(cell._style), font, fill, align)
        return cell

    def figure(self, number_and_format: tuple, **style) -> WriteOnlyCell:
        """A cell holding a figure as the registry writes it: ``(number, number format)``."""
        value, fmt = number_and_format
        return self.cell(value, fmt=fmt, **style)

    def reused(self, key, **style) -> WriteOnlyCell:
        """A styled cell reused row after row (each row is written as soon as it is appended)."""
        cell = self._styled.get(key)
        if cell is None:
            cell = self._styled[key] = self.cell(None, **style)
        return cell

    def append(self, values) -> None:
        self.ws.append(values)
        self.row += 1
        self.ws.print_last_row = self.row

    def title(self, text: str) -> None:
        """The sheet's title row, naming the scope, the year and the plan."""
        context = self.context
        if context is not None:
            if not text.startswith(context.scope_name):
                text = f"{context.scope_name}{context.year}年{text}"
            if context.plan_label not in text:
                text = f"{text}（{context.plan_label}）"
        self.ws.row_dimensions[self.row + 1].height = 24
        self.append([self.cell(text, font=TITLE_FONT, border=False)])

    def merge(self, ref: str) -> None:
        """Merge the cells ``ref`` (e.g. ``C12:H12``) of a row about to be written.

        openpyxl's ``merged_cells.add`` first compares the new range with every range merged
        before it, which makes a national list of 100,000 rows take many minutes; the rows
        merged here are each new and never overlap, so the range goes straight into the set.
        """
        self.ws.merged_cells.ranges.add(CellRange(ref))

    def note(self, text: str, *, font=None) -> None:
        """A line of text across the sheet's printed width, wrapped to fit it."""
        columns = getattr(self.ws, "print_columns", 1)
        row = self.row + 1
        if columns > 1:
            self.ws.merged_cells.add(f"A{row}:{get_column_letter(columns)}{row}")
        width = sum(getattr(self, "widths", [60]))
        lines = max(1, -(-int(text_width(text)) // max(int(width), 1)))
        self.ws.row_dimensions[row].height = 15 * lines + 3
        self.append([self.cell(text, font=font, border=False, align=WRAP)])

    def legend(self) -> None:
        """Say what the fill means: a unit below the target's threshold (the one use of colour)."""
        self.append(
            [
                self.cell(FAIL_MARK, fill=FAIL_FILL, font=FAIL_FONT, align=CENTRE),
                self.cell(LEGEND_TEXT, border=False),
            ]
        )

    def header(self, titles: list[str]) -> None:
        """A header row; a label wider than its column wraps onto more lines, never clipped."""
        widths = getattr(self, "widths", [])
        titles = [
            fit_label(t, widths[i]) if i < len(widths) and isinstance(t, str) else t
            for i, t in enumerate(titles)
        ]
        # Excel does not grow a row for wrapped text by itself: size wrapped headers here.
        lines = max((str(t).count("\n") + 1 for t in titles), default=1)
        self.ws.row_dimensions[self.row + 1].height = 14 * lines + 6
        self.append(
            [self.cell(t, font=HEADER_FONT, fill=HEADER_FILL, align=HEADER_ALIGN) for t in titles]
        )


def failing_format(fmt: str | None) -> str:
    """A number format that marks a value below the target ("299.99▼"), also in black and white."""
    sections = (fmt or "General").split(";")
    return ";".join(f'{part}"{FAIL_MARK}"' if part else part for part in sections)


PUBLISHED_NUMBER = re.compile(r"(\d{1,12}(?:\.\d{1,6})?)([%+]?)")


def published_value(text: str | None) -> tuple[Decimal | int | str | None, str | None]:
    """Return a published baseline figure as a number and its format ("89.5%" → 0.895, 0.0%).

    The plan prints counts ("124", "138400"), shares ("60%", "89.5%") and one round figure
    ("7000+", 7000多个, written as 7000 shown "7,000+"). Anything else stays text.
    """
    raw = (text or "").strip()
    if not raw:
        return None, None
    match = PUBLISHED_NUMBER.fullmatch(raw.replace(",", ""))
    if match is None:
        return raw, None
    number, suffix = Decimal(match.group(1)), match.group(2)
    if suffix == "%":
        return number / 100, PERCENT_FORMAT
    whole = number == number.to_integral_value()
    value = int(number) if whole else number
    if suffix == "+":
        return value, PLUS_FORMAT
    return value, WHOLE_FORMAT if whole else "#,##0.0#"


def child_sheet_title(level: str) -> str:
    """Name the sheet of the next level down ("各市州", "各县区" … "各社区")."""
    below = child_level(level)
    return f"各{LEVEL_LABELS[below]}" if below else "下级区划"


def child_detail_title(level: str) -> str:
    """Name the sheet with every figure of the next level down, one indicator a row."""
    return f"{child_sheet_title(level)}明细"


def has_children_sheet(region: RegionResult) -> bool:
    """A street's next level is its communities, which the 社区 sheet lists already."""
    return region.level not in ("street", "community")


def has_streets_sheet(region: RegionResult) -> bool:
    """A community's report has no street to list (its street's centre is its street's matter)."""
    return region.level != "community"


def sheet_guide(region: RegionResult) -> str:
    """Say on the summary sheet where the rows behind its figures are."""
    if region.level == "community":
        return "本社区各项指标的数值和达标情况见“社区”工作表，指标口径见“指标说明”工作表。"
    if region.level == "street":
        first = "本街道（乡镇）各社区的指标数值和达标情况见“社区”工作表（每个社区一行）"
    else:
        title = child_sheet_title(region.level)
        first = (
            f"{title}的汇总见“{title}”工作表（各项指标的达标数、缺口见“{child_detail_title(region.level)}”），"
            "各社区的指标数值和达标情况见“社区”工作表"
        )
    return f"{first}，街道社区服务中心见“街道”工作表，指标口径见“指标说明”工作表。"


def verdict_text(unit: UnitValue) -> str:
    if not unit.applicable:
        return NOT_APPLICABLE
    return PASS if unit.compliant else FAIL


def report_title(result: RegionResult) -> str:
    return f"{result.name}{result.year}年社区服务体系建设达标情况"


def report_filename(result_name: str, year: int) -> str:
    return f"{result_name}{year}年社区服务体系建设达标情况.xlsx"


@dataclass
class Signer:
    """Who files the report: the report block of an official return (blank where unknown)."""

    unit: str = ""
    filler: str = ""
    phone: str = ""


def report_signer(user) -> Signer:
    """The report block's known fields from the user's profile: unit, name, telephone."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Signer()
    unit = ""
    try:
        unit = resolve_scope(user.scope).name
    except UnknownScope:
        unit = ""
    phone = getattr(user, "phone", "") or ""
    return Signer(unit=unit, filler=user.get_full_name() or user.username, phone=phone)


def build_compliance_workbook(
    *,
    scope_code: str,
    year: int,
    plan: Plan,
    out,
    generated_at: datetime.datetime | None = None,
    data: str = DATA_ALL,
    user=None,
) -> RegionResult:
    """Write the compliance report of ``scope_code`` in ``year`` under ``plan`` to ``out``.

    ``out`` is a path or a binary file; ``user`` (who downloads it) fills the report block.
    Returns the engine's region result (for the file name and the audit row). Raises
    ``communities.scopes.UnknownScope`` for an unknown code.
    """
    generated_at = timezone.localtime(generated_at or timezone.now()).replace(tzinfo=None)
    region = compute_region(
        scope_code=scope_code, year=year, plan=plan, with_children=True, data=data
    )
    wb = Workbook(write_only=True)
    wb.report_context = ReportContext(
        scope_name=region.name,
        year=region.year,
        plan_label=plan_label(plan),
        generated_at=generated_at,
    )
    _summary_sheet(wb, region, plan, generated_at, data, report_signer(user))
    if has_children_sheet(region):
        _children_sheet(wb, region)
        _children_detail_sheet(wb, region)
    names = _names(region.code)
    if has_streets_sheet(region):
        _streets_sheet(wb, region, street_rows(scope_code=region.code, year=year, plan=plan), names)
    _communities_sheet(wb, region, _community_rows_in_parts(region, year, plan, data), names)
    for section in REPORT_SECTIONS:
        section(wb, region=region, year=year, plan=plan)
    _definitions_sheet(wb, plan)
    finish_print(wb)
    wb.save(out)
    return region


# Sheets that other apps add to the report (the reporting cycle, the request pipeline …),
# in the order they were registered: each is called as ``builder(wb, region=, year=, plan=)``
# and writes its sheets into the write-only workbook ``wb``.
REPORT_SECTIONS: list = []
# The titles of the sheets those sections write (so that a test of the report's own sheets
# can tell them apart).
SECTION_SHEETS: set[str] = set()


def register_report_section(builder, *, sheets=()) -> None:
    """Add ``builder``'s sheets (titled ``sheets``) to every compliance report (from an app's
    ready())."""
    if builder not in REPORT_SECTIONS:
        REPORT_SECTIONS.append(builder)
    SECTION_SHEETS.update(sheets)


# Up to this many communities are fetched in one engine call (a province: one pass over the
# data); beyond it, child region by child region so that memory stays flat.
ROWS_AT_ONCE = 20000


def _community_rows_in_parts(region: RegionResult, year: int, plan: Plan, data: str = DATA_ALL):
    """Yield the region's community rows one child region at a time, in code order.

    At national scale the engine's rows for 111,000 communities take hundreds of megabytes;
    asking child by child keeps only one child's rows alive (a few queries per child).
    """
    children = sorted(region.children, key=lambda c: c.code)
    if (
        region.community_count <= ROWS_AT_ONCE
        or region.level in ("street", "community")
        or sum(c.community_count for c in children) != region.community_count
    ):
        yield from community_rows(scope_code=region.code, year=year, plan=plan, data=data)
        return
    for child in children:
        if child.community_count:
            yield from community_rows(scope_code=child.code, year=year, plan=plan, data=data)


def _names(scope_code: str) -> dict[str, str]:
    """Names of the divisions and streets above the communities (two queries)."""
    names = dict(Division.objects.values_list("code", "name"))
    names.update(Street.objects.under(scope_code[:9]).values_list("code", "name"))
    return names


def _max_width(texts, *, cap: float = 60, floor: float = 6) -> float:
    """The width that holds the longest of ``texts`` (capped: longer text wraps)."""
    return min(max([floor, *(text_width(t) for t in texts)]), cap)


UNDERLINE = Border(bottom=THIN)
SEAL = Side(style="medium", color="000000")
DATE_FORMAT_CN = 'yyyy"年"m"月"d"日"'
BLANK = "            "  # a blank line to fill in by hand (underlined)


def _summary_sheet(
    wb,
    region: RegionResult,
    plan: Plan,
    generated_at: datetime.datetime,
    data: str = DATA_ALL,
    signer: Signer | None = None,
) -> None:
    sheet = _Sheet(wb, "达标汇总")
    signer = signer or Signer()
    columns = ["序号", "指标", "考核对象", *INDICATOR_FIGURE_COLUMNS]
    units = [INDICATOR_BY_CODE[r.code].unit for r in region.indicators]
    gap_units = [INDICATOR_BY_CODE[r.code].gap_unit for r in region.indicators]
    widths = [15, 40, 13, 10, _max_width(["单位", *units])]
    widths += [11, 13, 11, 12, 12]
    widths += [_max_width(["缺口单位", *gap_units]), 9]
    header_row = 10
    sheet.setup(
        widths,
        header_row=header_row,
        columns=len(columns),
        rows=len(region.indicators),
        filter_=True,
    )
    sheet.ws.freeze_panes = f"A{header_row + 1}"
    sheet.ws._print_rows = None  # the summary is one page: no repeated rows
    # One page high as well: a little below the width's scale, never below 8 pt.
    sheet.ws.page_setup.scale = max(MIN_SCALE, min(sheet.ws.page_setup.scale, 78))
    sheet.title(report_title(region))
    plan_text = plan.name + (f"（{plan.title}，{plan.document_number}）" if plan.title else "")
    label = {"font": SUBTITLE_FONT, "border": False}
    info = [
        (
            "统计范围",
            f"{region.name}（{LEVEL_LABELS.get(region.level, '')}，代码 {region.code}）",
            None,
        ),
        ("统计年度", region.year, "0"),
        ("依据规划", plan_text, None),
        ("生成时间", generated_at, TIME_FORMAT),
        ("社区数", region.community_count, WHOLE_FORMAT),
    ]
    for key, value, fmt in info:
        sheet.append(
            [
                sheet.cell(key, **label),
                sheet.cell(value, fmt=fmt, border=False, align=Alignment(horizontal="left")),
            ]
        )
    sheet.append(
        [
            sheet.cell("全部达标社区", **label),
            sheet.cell(
                region.fully_compliant_count,
                fmt=WHOLE_FORMAT,
                border=False,
                align=Alignment(horizontal="left"),
            ),
            sheet.cell("占比", **label),
            sheet.figure(rate_cell(region.fully_compliant_rate), border=False),
        ]
    )
    _long_row(sheet, "明细", sheet_guide(region), label)
    sheet.append([sheet.cell("数据口径", **label), sheet.cell(DATA_CHOICES[data], border=False)])
    sheet.header(columns)
    for number, result in enumerate(region.indicators, start=1):
        indicator = INDICATOR_BY_CODE[result.code]
        _grow_row(sheet, [(result.name, widths[1])])
        sheet.append(
            [
                sheet.cell(number, fmt="0", align=CENTRE),
                sheet.cell(result.name, align=WRAP),
                sheet.cell("街道办事处" if indicator.level == STREET else "社区"),
                sheet.figure(indicator.threshold_cell(result.threshold)),
                sheet.cell(indicator.unit),
                sheet.cell(result.applicable, fmt=WHOLE_FORMAT),
                sheet.cell(result.compliant, fmt=WHOLE_FORMAT),
                sheet.figure(rate_cell(result.rate)),
                sheet.figure(indicator.value_cell(result.value)),
                sheet.figure(indicator.gap_cell(result.gap)),
                sheet.cell(indicator.gap_unit),
                sheet.cell(result.missing, fmt=WHOLE_FORMAT),
            ]
        )
    _baseline_table(sheet, region, plan)
    _report_block(sheet, signer, generated_at)


def _grow_row(sheet: _Sheet, texts) -> None:
    """Give the next row the lines its wrapped ``(text, width)`` cells need (Excel will not)."""
    lines = max(-(-int(text_width(text)) // max(int(width) - 1, 1)) for text, width in texts)
    if lines > 1:
        sheet.ws.row_dimensions[sheet.row + 1].height = 14 * lines + 2


def _long_row(sheet: _Sheet, key: str, text: str, label: dict) -> None:
    """A labelled line whose text spans the rest of the table's width, wrapped."""
    row = sheet.row + 1
    columns = sheet.ws.print_columns
    sheet.ws.merged_cells.add(f"B{row}:{get_column_letter(columns)}{row}")
    width = sum(sheet.widths[1:])
    lines = max(1, -(-int(text_width(text)) // int(width)))
    sheet.ws.row_dimensions[row].height = 15 * lines + 3
    sheet.append([sheet.cell(key, **label), sheet.cell(text, border=False, align=WRAP)])


def _baseline_table(sheet: _Sheet, region: RegionResult, plan: Plan) -> None:
    """基本情况: the year's figures; the plan's published values only beside the province's own."""
    baseline_year = plan.baseline_year or 2010
    province = region.level == "province"
    if province:
        heading = f"基本情况（{region.year}年计算值与规划公布的全省{baseline_year}年数据对照）"
    else:
        heading = (
            f"基本情况（{region.name}{region.year}年计算值；规划公布的是全省数据，不在此对照）"
        )
    sheet.append([sheet.cell(heading, font=SUBTITLE_FONT, border=False)])
    count_header, rate_header = f"{region.year}年\n数量", f"{region.year}年\n比例"
    if province:
        sheet.header(
            [
                "序号",
                "项目",
                "规划原文",
                "",
                "",
                "",
                f"全省规划\n公布值\n（{baseline_year}年）",
                count_header,
                rate_header,
            ]
        )
    else:
        sheet.header(["序号", "项目", count_header, rate_header])
    for number, item in enumerate(region.baseline, start=1):
        cells = [sheet.cell(number, fmt="0", align=CENTRE), sheet.cell(item.name, align=WRAP)]
        if province:
            words = BASELINE_BY_CODE[item.code].plan_words if item.code in BASELINE_BY_CODE else ""
            published, published_format = published_value(item.published)
            row = sheet.row + 1
            sheet.ws.merged_cells.add(f"C{row}:F{row}")
            _grow_row(sheet, [(item.name, sheet.widths[1]), (words, sum(sheet.widths[2:6]))])
            cells += [
                sheet.cell(words, align=WRAP),
                sheet.cell(None),
                sheet.cell(None),
                sheet.cell(None),
                sheet.cell(published, fmt=published_format),
            ]
        cells += [sheet.cell(item.count, fmt=WHOLE_FORMAT), sheet.figure(rate_cell(item.rate))]
        sheet.append(cells)


def _report_block(sheet: _Sheet, signer: Signer, generated_at: datetime.datetime) -> None:
    """填报单位, 填报日期, 单位负责人, 审核人, 填表人, 联系电话 and the box for the seal."""
    label = {"font": SUBTITLE_FONT, "border": False}
    first = sheet.row + 1
    lines = [
        ("填报单位", signer.unit, None, "填报日期", generated_at.date(), DATE_FORMAT_CN),
        ("单位负责人", "", None, "审核人", "", None),
        ("填表人", signer.filler, None, "联系电话", signer.phone, None),
    ]
    box_first, box_last = 8, 12  # H:L
    rows = len(lines) + 1
    sheet.ws.merged_cells.add(
        f"{get_column_letter(box_first)}{first}:{get_column_letter(box_last)}{first + rows - 1}"
    )
    for index in range(rows):
        cells = [sheet.cell(None, border=False) for _ in range(box_last)]
        if index < len(lines):
            key, value, fmt, key2, value2, fmt2 = lines[index]
            cells[0] = sheet.cell(key, **label)
            cells[1] = sheet.cell(value or BLANK, fmt=fmt, border=False, align=LEFT)
            cells[1].border = UNDERLINE
            cells[2] = sheet.cell(key2, **label)
            cells[3] = sheet.cell(value2 or BLANK, fmt=fmt2, border=False, align=LEFT)
            cells[3].border = UNDERLINE
            for column in (4, 5):
                cells[column] = sheet.cell(None, border=False)
                cells[column].border = UNDERLINE
            sheet.ws.merged_cells.add(f"D{first + index}:F{first + index}")
        for column in range(box_first - 1, box_last):
            box = sheet.cell(
                "（单位盖章）" if index == 0 and column == box_first - 1 else None,
                border=False,
                align=SEAL_ALIGN,
            )
            box.border = Border(
                left=SEAL if column == box_first - 1 else None,
                right=SEAL if column == box_last - 1 else None,
                top=SEAL if index == 0 else None,
                bottom=SEAL if index == rows - 1 else None,
            )
            cells[column] = box
        sheet.ws.row_dimensions[first + index].height = 21
        sheet.append(cells)


def _children_sheet(wb, region: RegionResult) -> None:
    """The next level down, one unit a row: its counts and each indicator's rate."""
    title = child_sheet_title(region.level)
    sheet = _Sheet(wb, title)
    rate_width = 10.5
    columns = ["代码", "名称", "街道\n办事处数", "社区数", "全部达标\n社区", "全部\n达标率"]
    columns += [f"{wrap_label(i.short_name, rate_width)}\n达标率" for i in INDICATORS]
    children = region.children
    widths = [
        _max_width(["代码", *(c.code for c in children)]),
        _max_width(["名称", *(c.name for c in children)], cap=20),
        10.5,
        8,
        10.5,
        8,
    ] + [rate_width] * len(INDICATORS)
    sheet.setup(widths, header_row=2, columns=len(columns), rows=len(children))
    sheet.title(f"{title}达标情况")
    sheet.header(columns)
    name_align = WRAP if widths[1] >= 20 else None
    for child in children:
        by_code = {i.code: i for i in child.indicators}
        centre = by_code.get("street_centre")
        # Cells are reused per column, so each column has its own key.
        row = [
            child.code,
            sheet.cell(child.name, align=name_align),
            _own(sheet, "c_sub", centre.applicable if centre else 0, WHOLE_FORMAT),
            _own(sheet, "c_com", child.community_count, WHOLE_FORMAT),
            _own(sheet, "c_full", child.fully_compliant_count, WHOLE_FORMAT),
            _own(sheet, "c_rate", *rate_cell(child.fully_compliant_rate)),
        ]
        for indicator in INDICATORS:
            result = by_code[indicator.code]
            row.append(_own(sheet, f"{indicator.code}_r", *rate_cell(result.rate)))
        sheet.append(row)
    if not children:
        sheet.append(["（没有下级区划）"])


def _children_detail_sheet(wb, region: RegionResult) -> None:
    """Every figure of the next level down: one row per unit and indicator."""
    title = child_detail_title(region.level)
    sheet = _Sheet(wb, title)
    columns = ["代码", "名称", "指标", *INDICATOR_FIGURE_COLUMNS]
    children = region.children
    widths = [
        _max_width(["代码", *(c.code for c in children)]),
        _max_width(["名称", *(c.name for c in children)], cap=20),
        _max_width(["指标", *(i.name for i in INDICATORS)], cap=48),
        10,
        _max_width(["单位", *(i.unit for i in INDICATORS)]),
        11,
        9,
        9,
        12,
        12,
        _max_width(["缺口单位", *(i.gap_unit for i in INDICATORS)]),
        9,
    ]
    sheet.setup(widths, header_row=2, columns=len(columns), rows=len(children) * len(INDICATORS))
    sheet.ws.freeze_panes = "D3"
    sheet.title(f"{child_sheet_title(region.level)}各项指标明细")
    sheet.header(columns)
    name_align = WRAP if widths[1] >= 20 else None
    for child in children:
        by_code = {i.code: i for i in child.indicators}
        for indicator in INDICATORS:
            result = by_code[indicator.code]
            sheet.append(
                [
                    child.code,
                    sheet.cell(child.name, align=name_align),
                    _own(sheet, "d_ind", indicator.name, None, align=WRAP),
                    _own(sheet, f"{indicator.code}_t", *indicator.threshold_cell(result.threshold)),
                    _own(sheet, "d_unit", indicator.unit, None),
                    _own(sheet, "d_app", result.applicable, WHOLE_FORMAT),
                    _own(sheet, "d_com", result.compliant, WHOLE_FORMAT),
                    _own(sheet, "d_rate", *rate_cell(result.rate)),
                    _own(sheet, f"{indicator.code}_v", *indicator.value_cell(result.value)),
                    _own(sheet, f"{indicator.code}_g", *indicator.gap_cell(result.gap)),
                    _own(sheet, "d_gunit", indicator.gap_unit, None),
                    _own(sheet, "d_miss", result.missing, WHOLE_FORMAT),
                ]
            )
    if not children:
        sheet.append(["（没有下级区划）"])


def _own(sheet: _Sheet, key: str, value, fmt: str | None, *, failing: bool = False, align=None):
    """A reused cell per column (and per fill), holding ``value``."""
    cell = sheet.reused(
        (key, failing),
        fmt=failing_format(fmt) if failing else fmt,
        fill=FAIL_FILL if failing else None,
        align=align,
    )
    cell.value = value
    return cell


def _place_columns(
    region: RegionResult, names: dict[str, str], *, cap: float = 12
) -> list[tuple[str, int, float]]:
    """The columns that place a unit above its street: (header, code length, width).

    Only the levels below the report's scope: a county's report needs no 市州 column.
    """
    places = []
    length = len(region.code)
    for header, size in (("市州", 4), ("县区", 6)):
        if length < size:
            texts = [n for c, n in names.items() if len(c) == size and c.startswith(region.code)]
            places.append((header, size, _max_width([header, *texts], cap=cap)))
    return places


def _streets_sheet(wb, region: RegionResult, rows, names: dict[str, str]) -> None:
    sheet = _Sheet(wb, "街道")
    indicator = INDICATOR_BY_CODE["street_centre"]
    places = _place_columns(region, names)
    street_names = [n for c, n in names.items() if len(c) == 9 and c.startswith(region.code)]
    columns = [p[0] for p in places] + [
        "街道代码",
        "街道名称",
        "类型",
        "服务中心\n面积（㎡）",
        "达标情况",
        "缺口（㎡）",
    ]
    widths = [p[2] for p in places] + [
        12,
        _max_width(["街道名称", *street_names], cap=24),
        _max_width([label for _, label in StreetKind.choices]),
        12,
        _max_width(["达标情况", NOT_APPLICABLE, f"{FAIL}{FAIL_MARK}"]),
        12,
    ]
    sheet.setup(widths, header_row=3, columns=len(columns), rows=len(rows))
    sheet.ws.freeze_panes = f"{get_column_letter(len(places) + 3)}4"
    sheet.title(f"各街道（乡镇）{indicator.name}情况")
    sheet.legend()
    sheet.header(columns)
    kinds = dict(StreetKind.choices)
    name_align = WRAP if widths[len(places) + 1] >= 24 else None
    for row in rows:
        unit = row.indicators["street_centre"]
        failing = unit.applicable and not unit.compliant
        place_cells = [
            sheet.cell(names.get(row.code[:size], ""), align=WRAP) for _, size, _ in places
        ]
        sheet.append(
            [
                *place_cells,
                row.code,
                sheet.cell(row.name, align=name_align),
                kinds.get(row.kind, row.kind),
                _own(sheet, "area", *indicator.value_cell(unit.value), failing=failing),
                _own(sheet, "verdict", verdict_text(unit), None, failing=failing),
                _own(sheet, "gap", *indicator.gap_cell(unit.gap if unit.applicable else None)),
            ]
        )
    if not rows:
        sheet.append([sheet.cell("（本范围内没有街道或乡镇）", border=False)])


def community_name_width(code: str) -> float:
    """The width of the longest community name under ``code`` (one query)."""
    longest = Community.objects.under(code).aggregate(n=Max(Length("name")))["n"] or 0
    return min(max(6, round(2.1 * longest + 2, 1)), 16.5)


def _communities_sheet(wb, region: RegionResult, rows, names: dict[str, str]) -> None:
    sheet = _Sheet(wb, "社区")
    value_width = 10.5
    places = _place_columns(region, names, cap=10.5)
    with_street = region.level not in ("street", "community")
    street_names = [n for c, n in names.items() if len(c) == 9 and c.startswith(region.code)]
    columns = [p[0] for p in places]
    widths = [p[2] for p in places]
    if with_street:
        columns.append("街道（乡镇）")
        widths.append(_max_width(["街道", *street_names], cap=10.5))
    columns += ["社区代码", "社区名称", "年度\n统计"]
    widths += [_max_width(["0" * 12]), community_name_width(region.code), text_width("缺数据")]
    for indicator in COMMUNITY_INDICATORS:
        unit = f"（{indicator.unit}）" if indicator.unit and indicator.unit not in ("%",) else ""
        columns.append(wrap_label(f"{indicator.short_name}{unit}", value_width))
        widths.append(value_width)
    columns += ["达标\n项数", "全部\n达标"]
    widths += [6.5, 6.5]
    header_row = 3
    sheet.setup(widths, header_row=header_row, columns=len(columns), rows=region.community_count)
    sheet.ws.freeze_panes = (
        f"{get_column_letter(len(places) + int(with_street) + 3)}{header_row + 1}"
    )
    sheet.title("各社区达标情况")
    sheet.legend()
    sheet.header(columns)
    # About three million cells at national scale: written as XML text (RawRows) with the
    # style ids of the same reused cells the other sheets use.
    styles: dict = {}

    def style(key: str, fmt: str | None, failing: bool, align=None) -> int:
        found = styles.get((key, failing))
        if found is None:
            found = styles[(key, failing)] = sheet.reused(
                (key, failing),
                fmt=failing_format(fmt) if failing else fmt,
                fill=FAIL_FILL if failing else None,
                align=align,
            ).style_id
        return found

    formats = {indicator.code: indicator.value_format for indicator in COMMUNITY_INDICATORS}
    place_style = style("place", None, False, WRAP)
    name_style = style("name", None, False, WRAP)
    quoted = sheet.cell(None, align=WRAP)
    quoted.quotePrefix = True  # a name such as "=HYPERLINK(…)" stays text, never a formula
    quoted_style = quoted.style_id

    def text_style(value: str, plain: int) -> int:
        return quoted_style if value.startswith(FORMULA_PREFIXES) else plain

    raw = RawRows(sheet.ws, first_row=sheet.row + 1, columns=len(columns))
    written = 0
    for row in rows:
        cells = [(names.get(row.code[:size], ""), place_style) for _, size, _ in places]
        if with_street:
            cells.append((names.get(row.street_code, ""), place_style))
        cells += [
            (row.code, style("code", None, False)),
            (row.name, text_style(row.name, name_style)),
            ("缺数据" if row.missing_data else "有", style("stats", None, False)),
        ]
        passed = 0
        for indicator in COMMUNITY_INDICATORS:
            unit = row.indicators[indicator.code]
            failing = not unit.compliant
            passed += not failing
            cells.append(
                (
                    indicator.round_value(unit.value),
                    style(f"{indicator.code}_v", formats[indicator.code], failing),
                )
            )
        full = row.fully_compliant
        cells.append((passed, style("passed", "0", False)))
        cells.append(("是" if full else "否", style("full", None, False)))
        raw.append(cells)
        written += 1
    raw.close()
    sheet.ws.print_last_row = header_row + written


def _definitions_sheet(wb, plan: Plan) -> None:
    sheet = _Sheet(wb, "指标说明")
    columns = ["序号", "指标代码", "指标", "规划原文", "目标值", "单位", "计算方法"]
    widths = [
        6,
        _max_width(["指标代码", *(i.code for i in INDICATORS)]),
        26,
        38,
        8,
        _max_width(["单位", *(i.unit for i in INDICATORS)]),
        44,
    ]
    sheet.setup(widths, header_row=3, columns=len(columns), rows=len(INDICATORS), filter_=False)
    sheet.title("指标说明")
    source = "、".join(filter(None, [plan.title, plan.document_number])) or plan.name
    sheet.note(f"依据：{source}（{plan.name}，{plan.start_year}—{plan.target_year}年）")
    sheet.header(columns)
    for number, indicator in enumerate(INDICATORS, start=1):
        sheet.append(
            [
                sheet.cell(number, fmt="0"),
                sheet.cell(indicator.code),
                sheet.cell(indicator.name, align=WRAP),
                sheet.cell(indicator.plan_words, align=WRAP),
                sheet.figure(indicator.threshold_cell(threshold_of(plan, indicator.code))),
                sheet.cell(indicator.unit),
                sheet.cell(indicator.method, align=WRAP),
            ]
        )
    sheet.append([])
    sheet.append([sheet.cell("说明", font=SUBTITLE_FONT, border=False)])
    for number, note in enumerate(GENERAL_NOTES, start=1):
        row = sheet.row + 1
        sheet.ws.merged_cells.add(f"B{row}:G{row}")
        lines = max(1, -(-int(text_width(note)) // int(sum(widths[1:]))))
        sheet.ws.row_dimensions[row].height = 15 * lines + 3
        sheet.append(
            [
                sheet.cell(number, fmt="0", border=False),
                sheet.cell(note, border=False, align=WRAP),
            ]
        )
