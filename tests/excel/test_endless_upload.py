"""A sheet of endless empty rows, or of cells far right of the template, is refused fast."""

import io
import time
import zipfile

import pytest
from django.test import override_settings

from core.xlsx.reading import ImportFileError
from excel.importers import import_workbook
from excel.resources import VOLUNTEER_ORGANIZATIONS
from tests.excel.conftest import xlsx
from volunteers.models import VolunteerOrganization

HEADER = ["社区代码*", "社区名称", "组织名称*", "成立日期*", "解散日期"]
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def with_sheet_rows(extra_rows: str, data_rows: int = 1) -> bytes:
    """A real workbook whose sheet gets ``extra_rows`` (raw XML) after its data rows."""
    rows = [["620102016001", "", f"服务队{i}", "2014-01-01", None] for i in range(data_rows)]
    src = zipfile.ZipFile(io.BytesIO(xlsx(HEADER, rows)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"</sheetData>", extra_rows.encode() + b"</sheetData>")
            dst.writestr(item, body)
    return out.getvalue()


def xfd_rows(start: int, count: int) -> str:
    return "".join(f'<row r="{n}"><c r="XFD{n}"/></row>' for n in range(start, start + count))


@pytest.mark.django_db
def test_25000_rows_with_one_xfd_cell_are_refused_within_a_second(staff):
    data = with_sheet_rows(xfd_rows(3, 25000))
    assert len(data) < 200 * 1024
    started = time.monotonic()
    with pytest.raises(ImportFileError) as caught:
        import_workbook(resource=VOLUNTEER_ORGANIZATIONS, upload=data, user=staff, dry_run=True)
    assert time.monotonic() - started < 1.0
    assert "模板各列之外" in caught.value.message
    assert VolunteerOrganization.objects.count() == 0


@pytest.mark.django_db
def test_blank_rows_count_toward_the_row_limit(staff):
    blank = "".join(
        f'<row r="{n}"><c r="B{n}" t="inlineStr"><is><t> </t></is></c></row>'
        for n in range(3, 2003)
    )
    data = with_sheet_rows(blank)
    with pytest.raises(ImportFileError) as caught:
        import_workbook(
            resource=VOLUNTEER_ORGANIZATIONS, upload=data, user=staff, dry_run=True, row_limit=1000
        )
    assert "行数超过上限" in caught.value.message


@pytest.mark.django_db
def test_a_few_stray_cells_right_of_the_template_are_ignored(staff):
    data = with_sheet_rows(xfd_rows(3, 5), data_rows=2)
    result = import_workbook(
        resource=VOLUNTEER_ORGANIZATIONS, upload=data, user=staff, dry_run=True
    )
    assert result.rows == 2 and not result.errors


@pytest.mark.django_db
@override_settings(IMPORT_MAX_SECONDS=0)
def test_reading_a_file_is_bounded_in_time(staff):
    data = with_sheet_rows("", data_rows=3)
    with pytest.raises(ImportFileError) as caught:
        import_workbook(resource=VOLUNTEER_ORGANIZATIONS, upload=data, user=staff, dry_run=True)
    assert "读取超时" in caught.value.message
