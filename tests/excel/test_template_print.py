"""Import templates on paper: A4 page setup read from the workbook, and LibreOffice's own print.

Every template's data sheet and 填写说明 sheet print on A4 with text at 8 pt or more, with
print titles, a header naming the template and sheet and a footer with page n of m; a
LibreOffice conversion prints each sheet on one or two pages. Multi-value columns explain
their separator and list their values; 年度 columns name the plan's years.
"""

import io
import shutil
import subprocess
from collections import Counter

import pytest
from openpyxl import load_workbook

from excel.exporters import (
    INSTRUCTIONS_TITLE,
    MIN_FONT_SIZE,
    build_template,
    printable_width,
    width_points,
)
from excel.importers import import_workbook
from excel.resources import COMMUNITY_STATS, FACILITIES, RESOURCES, VOLUNTEERS
from tests.excel.conftest import xlsx

A4 = 9


def template(resource):
    buf = io.BytesIO()
    build_template(resource, buf)
    return buf.getvalue()


def widths(ws) -> list[float]:
    letters = sorted(ws.column_dimensions, key=lambda x: (len(x), x))
    return [ws.column_dimensions[x].width for x in letters if ws.column_dimensions[x].width]


def printed_font_size(ws) -> float:
    """The size 11 pt text prints at when the sheet is fitted to its pages across."""
    total = sum(width_points(w) for w in widths(ws))
    across = ws.page_setup.fitToWidth or 1
    scale = min(1.0, printable_width(ws.page_setup.orientation) * across / total)
    return 11 * scale


@pytest.mark.django_db
class TestPageSetup:
    @pytest.mark.parametrize("slug", list(RESOURCES))
    def test_both_sheets_print_on_a4_at_8_pt_or_more_with_titles_header_and_footer(self, slug):
        resource = RESOURCES[slug]
        wb = load_workbook(io.BytesIO(template(resource)))
        for ws in wb.worksheets:
            setup = ws.page_setup
            assert setup.paperSize == A4, ws.title
            assert ws.sheet_properties.pageSetUpPr.fitToPage
            assert setup.fitToHeight == 0  # never squeezed to a page's height
            assert printed_font_size(ws) >= MIN_FONT_SIZE, (ws.title, printed_font_size(ws))
            # Wide sheets turn landscape; a sheet fitting portrait at full size stays portrait.
            total = sum(width_points(w) for w in widths(ws))
            expected = "portrait" if total <= printable_width("portrait") else "landscape"
            assert setup.orientation == expected, ws.title
            assert ws.print_title_rows
            assert ws.print_area
            assert resource.title in ws.oddHeader.left.text and ws.oddHeader.right.text == "&A"
            assert ws.oddFooter.right.text == "第 &P 页，共 &N 页"
        data = wb[resource.title]
        assert data.print_title_rows == "$1:$1"
        last = data.cell(row=1, column=len(resource.columns)).column_letter
        assert data.print_area == f"'{resource.title}'!$A$1:${last}$2"

    def test_help_lines_wrap_inside_the_page_with_room_for_their_text(self):
        ws = load_workbook(io.BytesIO(template(VOLUNTEERS)))[INSTRUCTIONS_TITLE]
        merged = {str(r) for r in ws.merged_cells.ranges}
        long_lines = [c for c in ws["A"] if isinstance(c.value, str) and c.value[:2] == "4."]
        assert long_lines
        for cell in long_lines:
            assert f"A{cell.row}:D{cell.row}" in merged  # spans the table's width
            assert cell.alignment.wrap_text
            assert ws.row_dimensions[cell.row].height >= 30  # two lines or more
        head = next(c.row for c in ws["A"] if c.value == "列名")
        assert ws.print_title_rows == f"${head}:${head}"
        for row in ws.iter_rows(min_row=head + 1):
            assert all(c.alignment.wrap_text for c in row)
            assert ws.row_dimensions[row[0].row].height >= 15
        assert ws.print_area == f"'{INSTRUCTIONS_TITLE}'!$A$1:$D${ws.max_row}"


def help_rows(resource) -> dict[str, tuple]:
    ws = load_workbook(io.BytesIO(template(resource)))[INSTRUCTIONS_TITLE]
    return {row[0]: row for row in ws.iter_rows(values_only=True) if row and row[0]}


@pytest.mark.django_db
class TestMultiValueColumns:
    @pytest.mark.parametrize(
        ("resource", "header"), [(VOLUNTEERS, "服务类别"), (FACILITIES, "一站式服务项目")]
    )
    def test_help_and_header_note_explain_the_separator_and_list_the_values(self, resource, header):
        column = next(c for c in resource.columns if c.header == header)
        labels = list(column.choices.labels)
        _, _, requirement, options = help_rows(resource)[header]
        assert "顿号“、”分隔" in requirement and f"“{labels[0]}、{labels[1]}”" in requirement
        assert options == "、".join(labels)
        ws = load_workbook(io.BytesIO(template(resource)))[resource.title]
        note = next(c for c in ws[1] if c.value == column.title).comment
        assert note is not None and "顿号“、”分隔" in note.text
        assert "、".join(labels) in note.text

    def test_a_value_not_on_the_list_names_the_allowed_ones(self, staff):
        from tests.excel.test_import_volunteers import HEADER, row

        result = import_workbook(
            resource=VOLUNTEERS,
            upload=xlsx(HEADER, [row(cats="为老、跳舞")], title=VOLUNTEERS.title),
            user=staff,
        )
        assert any("“跳舞”不是有效选项" in str(e) and "为老" in str(e) for e in result.errors)


@pytest.mark.django_db
class TestYears:
    def test_year_columns_name_the_plans_years_in_the_help_and_the_drop_down(self):
        _, _, requirement, _ = help_rows(COMMUNITY_STATS)["年度"]
        assert requirement == "四位年份，只能填写2010年至2015年（规划年度）。"
        ws = load_workbook(io.BytesIO(template(COMMUNITY_STATS)))[COMMUNITY_STATS.title]
        check = next(
            dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith("C2")
        )
        assert (check.type, check.formula1, check.formula2) == ("whole", "2010", "2015")

    @pytest.mark.parametrize("year", [2009, 2016, 1015])
    def test_a_year_outside_the_plan_is_refused_with_the_range(self, year, staff, communities):
        from tests.excel.test_import_records import STATS, stats_row

        result = import_workbook(
            resource=COMMUNITY_STATS,
            upload=xlsx(STATS, [stats_row(year=year)], title=COMMUNITY_STATS.title),
            user=staff,
        )
        assert [str(e) for e in result.errors] == [
            f"第2行 年度：年度“{year}”不在规划年度范围内，只能填写2010年至2015年之间的年份。"
        ]

    def test_the_range_follows_the_last_plans_target_year(self, staff, communities):
        from targets.models import Plan
        from tests.excel.test_import_records import STATS, stats_row

        Plan.objects.create(code="13th", name="十三五", start_year=2016, target_year=2020)
        result = import_workbook(
            resource=COMMUNITY_STATS,
            upload=xlsx(STATS, [stats_row(year=2020)], title=COMMUNITY_STATS.title),
            user=staff,
        )
        assert result.ok, [str(e) for e in result.errors]


needs_libreoffice = pytest.mark.skipif(
    not shutil.which("libreoffice"), reason="LibreOffice is not installed"
)


@needs_libreoffice
@pytest.mark.django_db
def test_libreoffice_prints_each_template_sheet_on_one_or_two_pages(tmp_path):
    from pypdf import PdfReader

    books = {}
    for slug, resource in RESOURCES.items():
        path = tmp_path / f"{slug}.xlsx"
        path.write_bytes(template(resource))
        books[slug] = path
    result = subprocess.run(
        [
            "libreoffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *map(str, books.values()),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for slug, book in books.items():
        title = RESOURCES[slug].title
        pdf = book.with_suffix(".pdf")
        assert pdf.exists(), result.stdout + result.stderr
        pages = PdfReader(pdf).pages
        # Each page's header names its sheet (&A): count the pages of each sheet.
        per_sheet = Counter()
        for page in pages:
            text = page.extract_text()
            sheet = INSTRUCTIONS_TITLE if f"{title}导入模板填写说明" in text else title
            assert "页，共" in text  # the footer printed
            per_sheet[sheet] += 1
        assert set(per_sheet) == {title, INSTRUCTIONS_TITLE}, (slug, per_sheet)
        assert all(1 <= n <= 2 for n in per_sheet.values()), (slug, per_sheet)
        assert len(pages) <= 4
