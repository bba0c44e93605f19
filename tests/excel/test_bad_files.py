"""Files that are not usable workbooks get a clear Chinese message, change nothing and never a 500."""

import io
import zipfile

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.models import AuditLog
from core.xlsx.reading import ImportFileError
from excel.importers import import_workbook
from excel.resources import VOLUNTEER_ORGANIZATIONS
from tests.excel.conftest import xlsx
from volunteers.models import VolunteerOrganization

HEADER = ["社区代码*", "社区名称", "组织名称*", "成立日期*", "解散日期"]


def good_rows(n=1):
    return [["620102016001", "", f"服务队{i}", "2014-01-01", None] for i in range(n)]


def zip_bomb() -> bytes:
    """A workbook-shaped zip whose sheet unpacks to 300 MB of zeros (a few hundred KB packed)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b"0" * (1024 * 1024)
            for _ in range(300):
                member.write(block)
    return buf.getvalue()


def xml_bomb() -> bytes:
    """A real workbook whose shared strings hold a billion-laughs entity expansion."""
    data = xlsx(HEADER, good_rows())
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">'
            for i in range(1, 9)
        )
        + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol8;</t></is></c></row></sheetData></worksheet>'
    )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = laughs.encode()
            dst.writestr(item, body)
    return out.getvalue()


BAD_FILES = {
    "csv_renamed": ("社区代码,组织名称\n620102016001,服务队\n".encode(), "不是有效的 Excel 工作簿"),
    "old_xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000, "旧版 Excel 97-2003（.xls）"),
    "empty": (b"", "文件是空的"),
    "truncated_zip": (xlsx(HEADER, good_rows())[:300], "已损坏"),
    "plain_zip": (b"PK\x03\x04" + b"\x00" * 100, "已损坏"),
    "zip_without_workbook": (None, "不是有效的 Excel 工作簿"),
    "zip_bomb": (None, "压缩炸弹"),
    "xml_bomb": (None, "已损坏"),
}


def bad_file(name):
    data, message = BAD_FILES[name]
    if name == "zip_without_workbook":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as archive:
            archive.writestr("hello.txt", "不是工作簿")
        data = buf.getvalue()
    elif name == "zip_bomb":
        data = zip_bomb()
    elif name == "xml_bomb":
        data = xml_bomb()
    return data, message


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_file_gets_a_clear_message_and_changes_nothing(name, staff):
    data, message = bad_file(name)
    with pytest.raises(ImportFileError) as caught:
        import_workbook(resource=VOLUNTEER_ORGANIZATIONS, upload=data, user=staff)
    assert message in caught.value.message
    assert VolunteerOrganization.objects.count() == 0
    assert AuditLog.objects.get(action="import").detail["failure"] == caught.value.message


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["csv_renamed", "old_xls", "zip_bomb", "truncated_zip"])
def test_bad_file_through_the_api_is_a_400_with_the_message(name, staff, client):
    data, message = bad_file(name)
    client.force_login(staff)
    upload = io.BytesIO(data)
    upload.name = "志愿者组织.xlsx"
    response = client.post(
        reverse("api-import", args=["volunteer-organizations"]), {"file": upload}
    )
    assert response.status_code == 400
    assert message in response.json()["file"][0]


@pytest.mark.django_db
def test_bad_file_in_the_portal_shows_the_message(staff, client):
    client.force_login(staff)
    upload = io.BytesIO(BAD_FILES["old_xls"][0])
    upload.name = "旧文件.xls"
    response = client.post(
        reverse("excel-import", args=["volunteer-organizations"]), {"file": upload}
    )
    assert response.status_code == 200
    assert "旧版 Excel 97-2003（.xls）" in response.content.decode()


@pytest.mark.django_db
def test_more_rows_than_the_limit_are_refused(staff):
    with override_settings(IMPORT_MAX_ROWS=5):
        with pytest.raises(ImportFileError) as caught:
            import_workbook(
                resource=VOLUNTEER_ORGANIZATIONS, upload=xlsx(HEADER, good_rows(6)), user=staff
            )
        assert "数据行数超过上限：每个文件最多 5 行" in caught.value.message
        assert import_workbook(
            resource=VOLUNTEER_ORGANIZATIONS, upload=xlsx(HEADER, good_rows(5)), user=staff
        ).ok
    assert VolunteerOrganization.objects.count() == 5


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused(staff):
    data = xlsx(HEADER, good_rows(50))
    with override_settings(IMPORT_MAX_BYTES=len(data) - 1):
        with pytest.raises(ImportFileError) as caught:
            import_workbook(resource=VOLUNTEER_ORGANIZATIONS, upload=data, user=staff)
    assert "文件大小超过上限" in caught.value.message
    assert VolunteerOrganization.objects.count() == 0


@pytest.mark.django_db
def test_a_macro_workbook_is_refused(staff):
    data = xlsx(HEADER, good_rows())
    buf = io.BytesIO(data)
    with zipfile.ZipFile(buf, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00" * 64)
    with pytest.raises(ImportFileError) as caught:
        import_workbook(resource=VOLUNTEER_ORGANIZATIONS, upload=buf.getvalue(), user=staff)
    assert "不接受含宏的工作簿" in caught.value.message


@pytest.mark.django_db
def test_a_file_without_the_templates_columns_names_the_missing_ones(staff):
    with pytest.raises(ImportFileError) as caught:
        import_workbook(
            resource=VOLUNTEER_ORGANIZATIONS,
            upload=xlsx(["名称", "日期"], [["a", "b"]]),
            user=staff,
        )
    assert caught.value.message.startswith("第1行缺少必填列：社区代码、组织名称、成立日期。")


@pytest.mark.django_db
def test_a_file_with_only_the_header_says_there_is_nothing_to_import(staff):
    with pytest.raises(ImportFileError) as caught:
        import_workbook(resource=VOLUNTEER_ORGANIZATIONS, upload=xlsx(HEADER, []), user=staff)
    assert "没有数据行" in caught.value.message


@pytest.mark.django_db
def test_a_wrong_stored_dimension_does_not_cut_rows_off(staff):
    data = xlsx(HEADER, good_rows(3))
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:E4"/>' in body
                body = body.replace(b'<dimension ref="A1:E4"/>', b'<dimension ref="A1:E2"/>')
            dst.writestr(item, body)
    result = import_workbook(resource=VOLUNTEER_ORGANIZATIONS, upload=out.getvalue(), user=staff)
    assert result.created == 3


@pytest.mark.django_db
def test_a_file_too_large_for_a_web_request_may_still_go_to_a_background_job(client, staff):
    """The direct upload takes IMPORT_WEB_MAX_BYTES and points to 后台导入; the job takes
    IMPORT_MAX_BYTES (200,000 rows of volunteers are about 12 MB)."""
    from jobs.models import Job

    data = xlsx(HEADER, good_rows(50))
    client.force_login(staff)
    url = "/excel/import/volunteer-organizations/"
    with override_settings(IMPORT_WEB_MAX_BYTES=len(data) - 1, IMPORT_MAX_BYTES=len(data) + 1):
        upload = io.BytesIO(data)
        upload.name = "组织.xlsx"
        page = client.post(url, {"file": upload}).content.decode()
        assert "文件大小超过上限" in page and "更大的文件请用本页的“后台导入”" in page
        upload = io.BytesIO(data)
        upload.name = "组织.xlsx"
        client.post(url, {"file": upload, "background": "1"})
    assert Job.objects.get().file_name == "组织.xlsx"
    assert VolunteerOrganization.objects.count() == 0  # queued, not yet run
