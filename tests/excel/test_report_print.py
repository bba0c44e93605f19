"""The compliance report on paper: every sheet of every level prints on A4 landscape at ≥ 8 pt."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from targets.plans import current_plan
from targets.report import (
    BODY_PT,
    FAIL_FILL,
    HEADER_FILL,
    MIN_PRINT_PT,
    build_compliance_workbook,
    fits_page,
    text_width,
)
from tests.factories import make_user

LEVELS = [
    ("62", "甘肃省"),
    ("6201", "市6201"),
    ("620102", "县620102"),
    ("620102016", "街道620102016"),
    ("620102016001", "社区620102016001"),
]


def build(scope: str, year: int, user=None):
    buf = io.BytesIO()
    build_compliance_workbook(scope_code=scope, year=year, plan=current_plan(), out=buf, user=user)
    buf.seek(0)
    return buf.getvalue()


def open_book(data: bytes):
    return load_workbook(io.BytesIO(data))


def area_of(ws) -> tuple[int, int, int, int]:
    ref = ws.print_area.split("!")[-1].replace("$", "")
    return range_boundaries(ref)


def column_widths(ws, columns: int) -> list[float]:
    return [ws.column_dimensions[get_column_letter(i)].width for i in range(1, columns + 1)]


def merged_width(ws, cell) -> float:
    for merged in ws.merged_cells.ranges:
        if cell.coordinate in merged:
            return sum(
                ws.column_dimensions[get_column_letter(c)].width
                for c in range(merged.min_col, merged.max_col + 1)
            )
    return ws.column_dimensions[cell.column_letter].width


@pytest.fixture
def officer(province):
    user = make_user("printer", role="official", scope_code="620102")
    user.first_name = "李明"
    user.save()
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2015, 2012])
@pytest.mark.parametrize(("scope", "name"), LEVELS)
class TestEveryLevelPrints:
    def test_every_sheet_is_a4_landscape_at_8_pt_or_more_and_fits_the_page_width(
        self,
        province,
        scope,
        name,
        year,
    ):
        wb = open_book(build(scope, year))
        for ws in wb.worksheets:
            setup = ws.page_setup
            assert setup.orientation == "landscape" and setup.paperSize == 9, ws.title
            assert not ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
            assert setup.scale * BODY_PT / 100 >= MIN_PRINT_PT, ws.title
            min_col, min_row, max_col, max_row = area_of(ws)
            assert (min_col, min_row) == (1, 1), ws.title
            assert max_row >= ws.max_row, ws.title  # every written row is printed
            assert fits_page(column_widths(ws, max_col), setup.scale), ws.title
            fonts = {c.font.sz for row in ws.iter_rows() for c in row if c.value is not None}
            assert min(f or BODY_PT for f in fonts) * setup.scale / 100 >= MIN_PRINT_PT

    def test_every_page_names_scope_year_and_sheet_and_counts_its_pages(
        self,
        province,
        scope,
        name,
        year,
    ):
        wb = open_book(build(scope, year))
        for ws in wb.worksheets:
            assert name in ws.oddHeader.left.text and f"{year}年" in ws.oddHeader.left.text
            assert ws.oddHeader.center.text == "&A"  # the sheet's name
            assert ws.oddHeader.right.text == "十二五规划"
            assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
            assert ws.oddFooter.left.text.startswith("生成时间 ")
            title = ws["A1"].value
            assert title.startswith(f"{name}{year}年") and title.endswith("（十二五规划）"), title

    def test_every_label_fits_its_column(self, province, scope, name, year):
        wb = open_book(build(scope, year))
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if not isinstance(cell.value, str) or cell.value.startswith("（"):
                        continue
                    header = cell.fill.fgColor.rgb == HEADER_FILL.fgColor.rgb
                    if header:  # wrapped headers: each line fits
                        for line in cell.value.split("\n"):
                            assert text_width(line) <= merged_width(ws, cell) + 0.01, (
                                ws.title,
                                cell.coordinate,
                                line,
                            )
                    elif getattr(cell.border.left, "style", None) and not cell.alignment.wrap_text:
                        assert text_width(cell.value) <= merged_width(ws, cell) + 0.01, (
                            ws.title,
                            cell.coordinate,
                            cell.value,
                        )

    def test_fill_means_one_thing_and_each_filled_sheet_explains_it(
        self,
        province,
        scope,
        name,
        year,
    ):
        wb = open_book(build(scope, year))
        for ws in wb.worksheets:
            filled = [
                c
                for row in ws.iter_rows(min_row=4)
                for c in row
                if c.fill.fgColor.rgb == FAIL_FILL.fgColor.rgb
            ]
            if ws.title in ("街道", "社区"):
                assert ws["B2"].value.startswith("图例：红色底纹")
                assert ws["A2"].fill.fgColor.rgb == FAIL_FILL.fgColor.rgb
                assert all(c.number_format.endswith('"▼"') for c in filled), ws.title
            else:
                assert not filled, ws.title


@pytest.mark.django_db
class TestSummary:
    def test_the_summary_carries_the_report_block_from_the_users_profile(
        self,
        province,
        officer,
    ):
        ws = open_book(build("620102", 2015, user=officer))["达标汇总"]
        cells = {
            c.value: ws.cell(row=c.row, column=c.column + 1).value
            for row in ws.iter_rows()
            for c in row
            if isinstance(c.value, str)
        }
        assert cells["填报单位"] == "县620102"
        assert cells["填表人"] == "李明"
        assert cells["填报日期"] is not None
        for blank in ("单位负责人", "审核人", "联系电话"):
            assert cells[blank].strip() == ""  # a line to sign on
        seal = next(c for row in ws.iter_rows() for c in row if c.value == "（单位盖章）")
        box = next(m for m in ws.merged_cells.ranges if seal.coordinate in m)
        assert box.max_row - box.min_row >= 3 and box.max_col - box.min_col >= 3
        assert seal.border.left.style == "medium" and seal.border.top.style == "medium"

    def test_without_a_user_the_block_keeps_blank_lines(self, province):
        ws = open_book(build("62", 2015))["达标汇总"]
        labels = [c for row in ws.iter_rows() for c in row if c.value == "填表人"]
        assert ws.cell(row=labels[0].row, column=2).value.strip() == ""

    def test_the_plans_published_values_stand_only_beside_the_provinces_own(
        self,
        province,
    ):
        texts = lambda wb: [  # noqa: E731
            c.value for row in wb["达标汇总"].iter_rows() for c in row if c.value is not None
        ]
        province_cells = texts(open_book(build("62", 2015)))
        assert "全省规划\n公布值\n（2010年）" in province_cells and 138400 in province_cells
        for scope in ("6201", "620102", "620102016", "620102016001"):
            cells = texts(open_book(build(scope, 2015)))
            assert 138400 not in cells and "规划原文" not in cells
            assert any(isinstance(c, str) and "不在此对照" in c for c in cells)

    def test_the_summary_prints_on_one_page_without_repeated_rows(self, province):
        ws = open_book(build("62", 2015))["达标汇总"]
        assert not ws.print_title_rows


needs_libreoffice = pytest.mark.skipif(
    not shutil.which("libreoffice") or not shutil.which("pdfinfo"),
    reason="LibreOffice or poppler-utils is not installed",
)


@needs_libreoffice
@pytest.mark.django_db
def test_libreoffice_prints_every_level_to_pdf(province, tmp_path):
    books = []
    for scope, _ in LEVELS:
        path = tmp_path / f"report_{scope}.xlsx"
        path.write_bytes(build(scope, 2015))
        books.append(path)
    profile = tmp_path / "profile"
    result = subprocess.run(
        [
            "libreoffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *map(str, books),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr
    for book in books:
        pdf = Path(str(book).replace(".xlsx", ".pdf"))
        assert pdf.exists(), result.stdout + result.stderr
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        pages = int(next(x for x in info.stdout.splitlines() if x.startswith("Pages:")).split()[1])
        sheets = len(load_workbook(book, read_only=True).sheetnames)
        # One page or more per sheet, and no sheet spilling onto pages to its right.
        assert sheets <= pages <= 3 * sheets, (book.name, pages)
