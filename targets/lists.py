"""Lists an official acts on: the units failing one target, and the communities by how many
targets they fail. One builder per list serves its page and its Excel download, so the file
holds exactly the rows the page shows, in the same order.
"""

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.scoping import CODE_LENGTHS
from core.xlsx.cells import text_cell
from streets.models import Division, Street

from .registry import COMMUNITY_INDICATORS

# The region columns of a list, from the top: a list shows those below its scope's level.
REGION_COLUMNS = (("prefecture", "所属市州"), ("county", "所属县区"), ("street", "所属街道（乡镇）"))
LEVEL_ORDER = list(CODE_LENGTHS)  # province … community


def region_columns(scope_level: str, unit_level: str) -> list[tuple[str, str]]:
    """Return (level, heading) of the region columns between the scope and the listed units."""
    top, bottom = LEVEL_ORDER.index(scope_level), LEVEL_ORDER.index(unit_level)
    return [(lvl, label) for lvl, label in REGION_COLUMNS if top < LEVEL_ORDER.index(lvl) < bottom]


def region_names(unit_codes, columns: list[tuple[str, str]]) -> dict[str, str]:
    """Return the names of every region code above the units (two queries at most)."""
    levels = {lvl for lvl, _ in columns}
    names: dict[str, str] = {}
    division_codes = {
        code[: CODE_LENGTHS[lvl]]
        for code in unit_codes
        for lvl in levels & {"prefecture", "county"}
    }
    if division_codes:
        names.update(Division.objects.filter(code__in=division_codes).values_list("code", "name"))
    if "street" in levels:
        street_codes = {code[: CODE_LENGTHS["street"]] for code in unit_codes}
        names.update(Street.objects.filter(code__in=street_codes).values_list("code", "name"))
    return names


def regions_of(code: str, columns, names: dict[str, str]) -> list[str]:
    """Return the names of a unit's regions, one per column."""
    return [names.get(code[: CODE_LENGTHS[lvl]], code[: CODE_LENGTHS[lvl]]) for lvl, _ in columns]


@dataclass
class FailingCountRow:
    """A community and the community targets it fails, with each gap as printed."""

    code: str
    name: str
    regions: list[str]
    failing: list[tuple[str, str]]  # (short name, gap label), registry order
    missing_data: bool
    url: str | None = None

    @property
    def failing_count(self) -> int:
        return len(self.failing)


def failing_count_rows(rows, names, columns) -> list[FailingCountRow]:
    """Turn the engine's community rows into the list by number of failed targets (most first)."""
    result = []
    for row in rows:
        failing = []
        for indicator in COMMUNITY_INDICATORS:
            figure = row.indicators[indicator.code]
            if figure.applicable and not figure.compliant:
                gap = indicator.gap_label(figure.gap) if figure.value is not None else "缺数据"
                failing.append((indicator.short_name, gap))
        if failing:
            result.append(
                FailingCountRow(
                    code=row.code,
                    name=row.name,
                    regions=regions_of(row.code, columns, names),
                    failing=failing,
                    missing_data=row.missing_data,
                )
            )
    result.sort(key=lambda r: (-r.failing_count, r.code))
    return result


def _sheet(title: str, subtitle: str, headings: list[str], rows: list[list], widths: list[int]):
    """Write one printable sheet: a title naming scope and year, a header row, the rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.append([text_cell(ws, title)])
    ws.append([text_cell(ws, subtitle)])
    ws.append([text_cell(ws, h) for h in headings])
    for row in rows:
        ws.append([text_cell(ws, v) if isinstance(v, str) else v for v in row])
    ws["A1"].font = Font(bold=True, size=14)
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddHeader.center.text = title
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def label_width(texts) -> int:
    """Return a column width that fits the longest text (a CJK character counts two)."""
    longest = max((sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(t)) for t in texts), default=6)
    return min(max(longest + 2, 8), 60)


def failing_workbook(*, title, subtitle, columns, rows, unit_name):
    """The failing list of one target as shown: #, code, name, regions, value, gap, state."""
    headings = ["序号", "代码", f"{unit_name}名称", *[h for _, h in columns], "本单位数值", "差距", "状态"]
    body = [
        [
            index,
            row["code"],
            row["name"],
            *row["regions"],
            row["value_label"] or "—",
            row["gap_label"] or "—",
            "缺数据" if row["missing"] else "未达标",
        ]
        for index, row in enumerate(rows, start=1)
    ]
    widths = [label_width([h, *(r[i] for r in body)]) for i, h in enumerate(headings)]
    return _sheet(title, subtitle, headings, body, widths)


def failing_count_workbook(*, title, subtitle, columns, rows: list[FailingCountRow]):
    headings = ["序号", "代码", "社区名称", *[h for _, h in columns], "未达标指标数", "未达标指标及差距"]
    body = [
        [
            index,
            row.code,
            row.name,
            *row.regions,
            row.failing_count,
            "；".join(f"{name}：差距 {gap}" for name, gap in row.failing),
        ]
        for index, row in enumerate(rows, start=1)
    ]
    widths = [label_width([h, *(r[i] for r in body)]) for i, h in enumerate(headings)]
    return _sheet(title, subtitle, headings, body, widths)

