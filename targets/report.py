"""The Excel compliance report (DESIGN.md, Excel): summary, next level, streets, communities, definitions.

Every figure is the engine's, written by the registry as a cell (``Indicator.value_cell``
and its kin: the number at the API's precision, rates and ratios to four places, ㎡ to two,
people and things whole, with its number format), so the workbook and
``GET /api/v1/compliance/`` always agree. The workbook is streamed (openpyxl write-only):
rows go to disk as they are appended, so a national-scale report keeps memory flat.
"""

import datetime
import re
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from communities.scopes import child_level
from core.scoping import LEVEL_LABELS
from core.xlsx.cells import RawRows, fast_rows, needs_text_cell, text_cell
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
TITLE_FONT = Font(name=FONT, size=16, bold=True)
SUBTITLE_FONT = Font(name=FONT, size=11, bold=True)
HEADER_FONT = Font(name=FONT, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
FAIL_FILL = PatternFill("solid", fgColor="F8CBAD")
PASS_FONT = Font(name=FONT, color="1E6B30")
FAIL_FONT = Font(name=FONT, color="9C0006", bold=True)
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(wrap_text=True, vertical="top")

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


def text_width(text) -> float:
    """Column width for ``text``: about two units per Chinese character (xlsx cannot embed fonts)."""
    text = "" if text is None else str(text)
    longest = max(
        (sum(2 if ord(ch) > 0x2E7F else 1.1 for ch in line) for line in text.split("\n")), default=0
    )
    return min(max(longest + 2, 6), 60)


class _Sheet:
    """A write-only sheet with a title row, a header row and typed, formatted cells."""

    def __init__(self, wb, title: str):
        self.ws = fast_rows(wb.create_sheet(title))
        self.row = 0
        self._styled: dict = {}

    def setup(
        self, widths: list[float], *, header_row: int, columns: int, rows: int, filter_=True
    ) -> None:
        ws = self.ws
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = f"C{header_row + 1}" if columns > 4 else f"A{header_row + 1}"
        if filter_:
            ws.auto_filter.ref = (
                f"A{header_row}:{get_column_letter(columns)}{header_row + max(rows, 1)}"
            )
        ws.print_title_rows = f"1:{header_row}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = "9"  # A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        ws.oddFooter.center.size = 9

    def cell(
        self, value, *, font=None, fill=None, fmt=None, align=None, border=True
    ) -> WriteOnlyCell:
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)  # Excel cannot hold control characters
        if needs_text_cell(value):
            cell = text_cell(self.ws, value)  # text such as "=1+1" stays text, never a formula
        else:
            cell = WriteOnlyCell(self.ws, value=value)
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

    def title(self, text: str) -> None:
        self.ws.row_dimensions[self.row + 1].height = 26
        self.append([self.cell(text, font=TITLE_FONT, border=False)])

    def header(self, titles: list[str]) -> None:
        # Excel does not grow a row for wrapped text by itself: size two-line headers here.
        lines = max((str(t).count("\n") + 1 for t in titles), default=1)
        self.ws.row_dimensions[self.row + 1].height = 16 * lines + 6
        self.append(
            [self.cell(t, font=HEADER_FONT, fill=HEADER_FILL, align=HEADER_ALIGN) for t in titles]
        )


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


def has_children_sheet(region: RegionResult) -> bool:
    """A street's next level is its communities, which the 社区 sheet lists already."""
    return region.level not in ("street", "community")


def sheet_guide(region: RegionResult) -> str:
    """Say on the summary sheet where the rows behind its figures are."""
    if region.level == "community":
        first = "本社区各项指标的数值和达标情况见“社区”工作表"
    elif region.level == "street":
        first = "本街道（乡镇）各社区的指标数值和达标情况见“社区”工作表（每个社区一行）"
    else:
        title = child_sheet_title(region.level)
        first = f"{title}的汇总见“{title}”工作表，各社区的指标数值和达标情况见“社区”工作表"
    return f"{first}，街道社区服务中心见“街道”工作表，指标口径见“指标说明”工作表。"


def verdict_text(unit: UnitValue) -> str:
    if not unit.applicable:
        return NOT_APPLICABLE
    return PASS if unit.compliant else FAIL


def report_title(result: RegionResult) -> str:
    return f"{result.name}{result.year}年社区服务体系建设达标情况"


def report_filename(result_name: str, year: int) -> str:
    return f"{result_name}{year}年社区服务体系建设达标情况.xlsx"


def build_compliance_workbook(
    *,
    scope_code: str,
    year: int,
    plan: Plan,
    out,
    generated_at: datetime.datetime | None = None,
    data: str = DATA_ALL,
) -> RegionResult:
    """Write the compliance report of ``scope_code`` in ``year`` under ``plan`` to ``out``.

    ``out`` is a path or a binary file. Returns the engine's region result (for the file name
    and the audit row). Raises ``communities.scopes.UnknownScope`` for an unknown code.
    """
    generated_at = timezone.localtime(generated_at or timezone.now())
    region = compute_region(
        scope_code=scope_code, year=year, plan=plan, with_children=True, data=data
    )
    wb = Workbook(write_only=True)
    _summary_sheet(wb, region, plan, generated_at.replace(tzinfo=None), data)
    if has_children_sheet(region):
        _children_sheet(wb, region)
    names = _names(region.code)
    _streets_sheet(wb, street_rows(scope_code=region.code, year=year, plan=plan), names)
    _communities_sheet(
        wb, _community_rows_in_parts(region, year, plan, data), names, region.community_count
    )
    for section in REPORT_SECTIONS:
        section(wb, region=region, year=year, plan=plan)
    _definitions_sheet(wb, plan)
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


def _summary_sheet(
    wb, region: RegionResult, plan: Plan, generated_at: datetime.datetime, data: str = DATA_ALL
) -> None:
    sheet = _Sheet(wb, "达标汇总")
    columns = [
        "序号",
        "指标",
        "考核对象",
        "目标值",
        "单位",
        "应达标数",
        "达标数",
        "达标率",
        "地区值",
        "缺口",
        "缺口单位",
        "缺数据",
    ]
    widths = [6, 40, 12, 10, 9, 10, 10, 10, 12, 14, 10, 10]
    header_row = 10
    sheet.setup(
        widths,
        header_row=header_row,
        columns=len(columns),
        rows=len(region.indicators),
        filter_=True,
    )
    sheet.ws.freeze_panes = f"A{header_row + 1}"
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
    sheet.append([sheet.cell("明细", **label), sheet.cell(sheet_guide(region), border=False)])
    sheet.append([sheet.cell("数据口径", **label), sheet.cell(DATA_CHOICES[data], border=False)])
    sheet.header(columns)
    for number, result in enumerate(region.indicators, start=1):
        indicator = INDICATOR_BY_CODE[result.code]
        failing = result.rate is not None and result.compliant < result.applicable
        sheet.append(
            [
                sheet.cell(number, fmt="0"),
                sheet.cell(result.name, align=WRAP),
                sheet.cell("街道办事处" if indicator.level == STREET else "社区"),
                sheet.figure(indicator.threshold_cell(result.threshold)),
                sheet.cell(indicator.unit),
                sheet.cell(result.applicable, fmt=WHOLE_FORMAT),
                sheet.cell(result.compliant, fmt=WHOLE_FORMAT),
                sheet.figure(rate_cell(result.rate), fill=FAIL_FILL if failing else None),
                sheet.figure(indicator.value_cell(result.value)),
                sheet.figure(indicator.gap_cell(result.gap)),
                sheet.cell(indicator.gap_unit),
                sheet.cell(result.missing, fmt=WHOLE_FORMAT),
            ]
        )
    sheet.append([])
    baseline_year = plan.baseline_year or 2010
    sheet.append(
        [
            sheet.cell(
                f"基本情况（{region.year}年计算值与规划公布的{baseline_year}年数据对照）",
                font=SUBTITLE_FONT,
                border=False,
            )
        ]
    )
    sheet.header(
        [
            "序号",
            "项目",
            "规划原文",
            f"规划公布值（{baseline_year}年）",
            "",
            f"{region.year}年数量",
            f"{region.year}年比例",
        ]
    )
    for number, item in enumerate(region.baseline, start=1):
        words = BASELINE_BY_CODE[item.code].plan_words if item.code in BASELINE_BY_CODE else ""
        published, published_format = published_value(item.published)
        sheet.append(
            [
                sheet.cell(number, fmt="0"),
                sheet.cell(item.name, align=WRAP),
                sheet.cell(words, align=WRAP),
                sheet.cell(published, fmt=published_format),
                sheet.cell(None),
                sheet.cell(item.count, fmt=WHOLE_FORMAT),
                sheet.figure(rate_cell(item.rate)),
            ]
        )


def _children_sheet(wb, region: RegionResult) -> None:
    title = child_sheet_title(region.level)
    sheet = _Sheet(wb, title)
    columns = ["代码", "名称", "街道办事处数", "社区数", "全部达标社区", "全部达标率"]
    for indicator in INDICATORS:
        columns += [
            f"{indicator.short_name}\n达标数",
            f"{indicator.short_name}\n达标率",
            f"{indicator.short_name}\n缺口（{indicator.gap_unit}）",
        ]
    widths = [14, 22, 10, 10, 10, 10] + [12] * (3 * len(INDICATORS))
    sheet.setup(widths, header_row=2, columns=len(columns), rows=len(region.children))
    sheet.title(f"{region.name}{region.year}年{title}达标情况")
    sheet.header(columns)
    for child in region.children:
        by_code = {i.code: i for i in child.indicators}
        centre = by_code.get("street_centre")
        # Cells are reused per column, so each column has its own key.
        row = [
            child.code,
            child.name,
            _own(sheet, "c_sub", centre.applicable if centre else 0, WHOLE_FORMAT),
            _own(sheet, "c_com", child.community_count, WHOLE_FORMAT),
            _own(sheet, "c_full", child.fully_compliant_count, WHOLE_FORMAT),
            _own(sheet, "c_rate", *rate_cell(child.fully_compliant_rate)),
        ]
        for indicator in INDICATORS:
            result = by_code[indicator.code]
            failing = result.applicable > 0 and result.compliant < result.applicable
            row += [
                _own(sheet, f"{indicator.code}_n", result.compliant, WHOLE_FORMAT),
                _own(sheet, f"{indicator.code}_r", *rate_cell(result.rate), failing=failing),
                _own(sheet, f"{indicator.code}_g", *indicator.gap_cell(result.gap)),
            ]
        sheet.append(row)
    if not region.children:
        sheet.append(["（没有下级区划）"])


def _own(sheet: _Sheet, key: str, value, fmt: str, *, failing: bool = False):
    """A reused cell per column (and per fill), holding ``value``."""
    cell = sheet.reused((key, failing), fmt=fmt, fill=FAIL_FILL if failing else None)
    cell.value = value
    return cell


def _streets_sheet(wb, rows, names: dict[str, str]) -> None:
    sheet = _Sheet(wb, "街道")
    indicator = INDICATOR_BY_CODE["street_centre"]
    columns = [
        "市州",
        "县区",
        "街道代码",
        "街道名称",
        "类型",
        "服务中心面积（㎡）",
        "达标情况",
        "缺口（㎡）",
    ]
    widths = [14, 16, 12, 22, 16, 16, 10, 12]
    sheet.setup(widths, header_row=2, columns=len(columns), rows=len(rows))
    sheet.ws.freeze_panes = "E3"
    sheet.title(f"各街道（乡镇）{indicator.name}情况")
    sheet.header(columns)
    kinds = dict(StreetKind.choices)
    for row in rows:
        unit = row.indicators["street_centre"]
        failing = unit.applicable and not unit.compliant
        sheet.append(
            [
                names.get(row.code[:4], ""),
                names.get(row.code[:6], ""),
                row.code,
                row.name,
                kinds.get(row.kind, row.kind),
                _own(sheet, "area", *indicator.value_cell(unit.value), failing=failing),
                _own(sheet, "verdict", verdict_text(unit), None, failing=failing),
                _own(sheet, "gap", *indicator.gap_cell(unit.gap if unit.applicable else None)),
            ]
        )


def _communities_sheet(wb, rows, names: dict[str, str], row_count: int) -> None:
    sheet = _Sheet(wb, "社区")
    columns = ["市州", "县区", "街道（乡镇）", "社区代码", "社区名称", "年度统计"]
    for indicator in COMMUNITY_INDICATORS:
        unit = f"（{indicator.unit}）" if indicator.unit and indicator.unit not in ("%",) else ""
        columns += [f"{indicator.short_name}{unit}", f"{indicator.short_name}\n达标情况"]
    columns.append(f"{COMMUNITY_INDICATOR_COUNT}项全部达标")
    widths = [12, 14, 18, 15, 20, 9] + [12, 10] * len(COMMUNITY_INDICATORS) + [10]
    sheet.setup(widths, header_row=2, columns=len(columns), rows=row_count)
    sheet.ws.freeze_panes = "F3"
    sheet.title("各社区达标情况（未达标的单元格以红色标出）")
    sheet.header(columns)
    # About three million cells at national scale: written as XML text (RawRows) with the
    # style ids of the same reused cells the other sheets use.
    styles: dict = {}

    def style(key: str, fmt: str | None, failing: bool) -> int:
        found = styles.get((key, failing))
        if found is None:
            found = styles[(key, failing)] = sheet.reused(
                (key, failing), fmt=fmt, fill=FAIL_FILL if failing else None
            ).style_id
        return found

    formats = {indicator.code: indicator.value_format for indicator in COMMUNITY_INDICATORS}
    raw = RawRows(sheet.ws, first_row=sheet.row + 1, columns=len(columns))
    for row in rows:
        cells = [
            (names.get(row.code[:4], ""), None),
            (names.get(row.code[:6], ""), None),
            (names.get(row.street_code, ""), None),
            (row.code, None),
            (row.name, None),
            ("缺数据" if row.missing_data else "有", style("stats", None, row.missing_data)),
        ]
        for indicator in COMMUNITY_INDICATORS:
            unit = row.indicators[indicator.code]
            failing = not unit.compliant
            cells.append(
                (
                    indicator.round_value(unit.value),
                    style(f"{indicator.code}_v", formats[indicator.code], failing),
                )
            )
            cells.append((FAIL if failing else PASS, style(f"{indicator.code}_c", None, failing)))
        full = row.fully_compliant
        cells.append(("是" if full else "否", style("full", None, not full)))
        raw.append(cells)
    raw.close()


def _definitions_sheet(wb, plan: Plan) -> None:
    sheet = _Sheet(wb, "指标说明")
    columns = ["序号", "指标代码", "指标", "规划原文", "目标值", "单位", "计算方法"]
    widths = [6, 26, 34, 44, 10, 8, 60]
    sheet.setup(widths, header_row=3, columns=len(columns), rows=len(INDICATORS), filter_=False)
    sheet.title("指标说明")
    source = "、".join(filter(None, [plan.title, plan.document_number])) or plan.name
    sheet.append(
        [
            sheet.cell(
                f"依据：{source}（{plan.name}，{plan.start_year}—{plan.target_year}年）",
                border=False,
            )
        ]
    )
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
        sheet.append([sheet.cell(number, fmt="0", border=False), sheet.cell(note, border=False)])
