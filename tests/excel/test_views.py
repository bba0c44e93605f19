"""Excel through the portal, the REST API and the command line: permissions, answers and audit."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditLog
from tests.excel.conftest import xlsx
from tests.excel.test_import_volunteers import HEADER, row
from tests.factories import make_stat
from volunteers.models import Volunteer


def upload(rows, name="志愿者.xlsx"):
    f = io.BytesIO(xlsx(HEADER, rows, title="注册志愿者"))
    f.name = name
    return f


@pytest.mark.django_db
class TestImportAPI:
    url = staticmethod(lambda: reverse("api-import", args=["volunteers"]))

    def test_clean_file_is_applied_and_answers_the_counts(self, client, staff):
        client.force_login(staff)
        response = client.post(self.url(), {"file": upload([row(seq=1), row(seq=2)])})
        assert response.status_code == 200
        body = response.json()
        assert (body["ok"], body["applied"], body["created"], body["error_count"]) == (
            True,
            True,
            2,
            0,
        )
        assert Volunteer.objects.count() == 2

    def test_errors_answer_400_with_row_and_column_and_nothing_saved(self, client, staff):
        client.force_login(staff)
        response = client.post(self.url(), {"file": upload([row(seq=1), row(seq=2, gender="x")])})
        assert response.status_code == 400
        body = response.json()
        assert body["errors"] == [
            {
                "row": 3,
                "column": "性别",
                "message": "“x”不是有效选项，可选：男、女。",
                "text": "第3行 性别：“x”不是有效选项，可选：男、女。",
            }
        ]
        assert Volunteer.objects.count() == 0

    def test_dry_run_checks_without_saving(self, client, staff):
        client.force_login(staff)
        response = client.post(self.url() + "?dry_run=1", {"file": upload([row(seq=1)])})
        assert response.status_code == 200 and response.json()["applied"] is False
        assert response.json()["created"] == 1
        assert Volunteer.objects.count() == 0

    def test_token_authentication_works_and_officials_get_403(self, client, prefecture_official):
        from tests.factories import make_token

        token = make_token(prefecture_official)
        response = client.post(
            self.url(), {"file": upload([row(seq=1)])}, HTTP_AUTHORIZATION=f"Token {token}"
        )
        assert response.status_code == 403
        assert "不能导入数据" in response.json()["detail"]

    def test_anonymous_is_refused_and_missing_file_is_400(self, client, staff):
        assert client.post(self.url(), {}).status_code in (401, 403)
        client.force_login(staff)
        response = client.post(self.url(), {})
        assert response.status_code == 400 and "file" in response.json()
        assert (
            client.post(
                reverse("api-import", args=["nothing"]), {"file": upload([row()])}
            ).status_code
            == 404
        )


@pytest.mark.django_db
class TestImportPage:
    def test_page_lists_the_columns_and_links_the_template(self, client, staff):
        client.force_login(staff)
        response = client.get(reverse("excel-import", args=["volunteers"]))
        assert response.status_code == 200
        html = response.content.decode()
        assert "导入注册志愿者" in html and reverse("excel-template", args=["volunteers"]) in html
        assert "身份证号码" in html

    def test_fix_and_import_again(self, client, staff):
        client.force_login(staff)
        url = reverse("excel-import", args=["volunteers"])
        response = client.post(url, {"file": upload([row(seq=1), row(seq=2, reg=None)])})
        assert response.status_code == 200 and Volunteer.objects.count() == 0
        assert "第3行" in response.content.decode() and "注册日期" in response.content.decode()
        response = client.post(url, {"file": upload([row(seq=1), row(seq=2)])}, follow=True)
        assert response.status_code == 200
        assert "导入成功：共 2 行，新增 2 条" in response.content.decode()
        assert Volunteer.objects.count() == 2

    def test_officials_get_the_403_page(self, client, prefecture_official, communities):
        client.force_login(prefecture_official)
        assert client.get(reverse("excel-import", args=["volunteers"])).status_code == 403

    def test_web_uploads_stop_at_the_web_row_limit(self, client, staff, settings):
        settings.IMPORT_WEB_MAX_ROWS = 1
        client.force_login(staff)
        response = client.post(
            reverse("excel-import", args=["volunteers"]), {"file": upload([row(seq=1), row(seq=2)])}
        )
        assert response.status_code == 200 and Volunteer.objects.count() == 0
        assert "更大的文件请用本页的“后台导入”。" in response.content.decode()

    def test_home_page_offers_report_exports_and_imports(self, client, staff):
        client.force_login(staff)
        response = client.get(reverse("excel-home"))
        assert response.status_code == 200
        html = response.content.decode()
        assert reverse("report-compliance") in html
        assert reverse("excel-import", args=["workers"]) in html


@pytest.mark.django_db
class TestComplianceReportDownloads:
    def test_portal_button_url_gives_the_workbook_and_audits_it(self, client, staff, communities):
        make_stat(communities[0])
        client.force_login(staff)
        response = client.get(reverse("report-compliance") + "?scope=620102016&year=2015")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        assert wb["达标汇总"]["A1"].value.endswith("2015年社区服务体系建设达标情况（十二五规划）")
        log = AuditLog.objects.get(action="export")
        assert log.detail["resource"] == "compliance-report" and log.detail["scope"] == "620102016"

    def test_report_outside_scope_is_404_and_bad_year_400(self, client, staff, communities):
        client.force_login(staff)
        assert client.get(reverse("report-compliance") + "?scope=6202").status_code == 404
        assert client.get(reverse("report-compliance") + "?year=abc").status_code == 400
        assert client.get(reverse("api-report-compliance") + "?scope=6202").status_code == 404
        assert client.get(reverse("api-report-compliance") + "?year=1900").status_code == 400

    def test_api_report_defaults_to_the_users_scope(self, client, admin, communities):
        client.force_login(admin)
        response = client.get(reverse("api-report-compliance"))
        assert response.status_code == 200
        wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        assert wb["达标汇总"]["A1"].value == "甘肃省2015年社区服务体系建设达标情况（十二五规划）"


@pytest.mark.django_db
class TestCommands:
    def test_export_compliance_writes_the_file(self, tmp_path, communities):
        out = tmp_path / "report.xlsx"
        call_command(
            "export_compliance",
            "--scope",
            "62",
            "--year",
            "2015",
            "--output",
            str(out),
            stdout=io.StringIO(),
        )
        assert load_workbook(out).sheetnames[0] == "达标汇总"
        with pytest.raises(CommandError):
            call_command("export_compliance", "--scope", "99", "--output", str(out))

    def test_import_excel_as_a_named_user(self, tmp_path, staff):
        path = tmp_path / "v.xlsx"
        path.write_bytes(xlsx(HEADER, [row(seq=1)]))
        out = io.StringIO()
        call_command(
            "import_excel",
            "--resource",
            "volunteers",
            "--file",
            str(path),
            "--user",
            staff.username,
            stdout=out,
        )
        assert "导入成功" in out.getvalue()
        path.write_bytes(xlsx(HEADER, [row(seq=2, code="620201001001")]))
        with pytest.raises(CommandError) as caught:
            call_command(
                "import_excel",
                "--resource",
                "volunteers",
                "--file",
                str(path),
                "--user",
                staff.username,
                stderr=io.StringIO(),
            )
        assert "未导入任何数据" in str(caught.value)
        assert Volunteer.objects.count() == 1
