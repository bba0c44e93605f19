"""Exports in the template's layout: scope, masking of personal data, audit, round trip, formula text."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditLog
from communities.models import SocialOrganization
from excel.exporters import build_export, build_template
from excel.importers import import_workbook
from excel.resources import RESOURCES, VOLUNTEERS
from facilities.models import Facility, FacilityFunding
from funding.models import BudgetLine
from standards.models import ServiceStandard, StandardCheck
from teams.models import Committee, EntrustedProject, TrainingPlan
from tests.excel.test_import_volunteers import id_number
from tests.factories import make_facility, make_stat
from volunteers.models import ServiceRecord, Volunteer, VolunteerOrganization
from workforce.models import Training, Worker


@pytest.fixture
def records(communities):
    a, b, other = communities
    org = VolunteerOrganization.objects.create(
        community=a, name="夕阳红服务队", registered_on=datetime.date(2012, 5, 1)
    )
    zhang = Volunteer.objects.create(
        community=a,
        organization=org,
        name="张三",
        gender="male",
        id_number=id_number(1),
        phone="13812345678",
        is_party_member=True,
        registered_on=datetime.date(2013, 1, 2),
        service_categories=["elderly", "disability"],
    )
    Volunteer.objects.create(
        community=other,
        name="外地人",
        gender="female",
        id_number=id_number(2),
        registered_on=datetime.date(2013, 1, 2),
    )
    make_stat(a, 2014)
    make_stat(a, 2015, status="approved")
    make_stat(b, 2015)
    make_facility(
        kind="centre", street=a.street, area="812.5", name="街道服务中心", services=["employment"]
    )
    make_facility(
        kind="station", community=a, area="300", name="服务站", address='=HYPERLINK("http://x")'
    )
    make_facility(
        kind="specialized",
        community=b,
        area="88.8",
        name="日间照料",
        specialized_type="day_care",
        opened=None,
    )
    line = BudgetLine.objects.create(
        region_code="620102",
        year=2013,
        cost_type="running",
        source="fiscal",
        budgeted_wan_yuan=Decimal("100"),
        allocated_wan_yuan=Decimal("80"),
        spent_wan_yuan=Decimal("60.5"),
    )
    SocialOrganization.objects.create(
        community=a,
        name="+舞蹈队",
        category="culture_sports",
        registered_on=datetime.date(2012, 1, 1),
    )
    SocialOrganization.objects.create(
        community=b,
        name="@读书会",
        registered_on=datetime.date(2012, 1, 1),
        dissolved_on=datetime.date(2014, 1, 1),
    )
    wang = Worker.objects.create(
        community=a,
        name="-王",
        gender="male",
        role="secretary",
        education="bachelor",
        social_work_qualification="assistant",
        recruitment="election",
        hired_on=datetime.date(2011, 1, 1),
    )
    ServiceRecord.objects.create(
        volunteer=zhang,
        organization=org,
        activity="敬老院慰问",
        served_on=datetime.date(2014, 3, 5),
        hours=Decimal("2.5"),
        category="elderly",
        people_served=12,
    )
    Training.objects.create(
        worker=wang, title="社区工作者岗位培训", started_on=datetime.date(2014, 6, 1), hours=8
    )
    FacilityFunding.objects.create(
        facility=Facility.objects.get(name="服务站"),
        source="provincial",
        year=2013,
        amount_wan_yuan=Decimal("30.5"),
    )
    # The standards and teams kinds: a committee chaired by a worker, a region's training
    # plan, a project funded from the county's budget line, a station's self-check.
    Committee.objects.create(
        community=a, kind="mediation", chair=wang, established_on=datetime.date(2012, 3, 1)
    )
    Committee.objects.create(
        community=b,
        kind="security",
        established_on=datetime.date(2010, 1, 1),
        dissolved_on=datetime.date(2014, 6, 30),
    )
    TrainingPlan.objects.create(
        region_code="620102",
        year=2014,
        courses=6,
        hours_per_worker=Decimal("16.5"),
        share_to_train=Decimal("0.8"),
    )
    EntrustedProject.objects.create(
        community=a,
        organization=org,
        name="邻里互助",
        service_line="social_assistance",
        starts_on=datetime.date(2013, 4, 1),
        funding_wan_yuan=Decimal("12.35"),
        budget_line=line,
        target_beneficiaries=200,
        achieved_beneficiaries=180,
        rating="good",
    )
    EntrustedProject.objects.create(
        street=a.street,
        organization=org,
        name="街道助老",
        service_line="social_assistance",
        starts_on=datetime.date(2014, 1, 1),
        ends_on=datetime.date(2014, 12, 31),
    )
    StandardCheck.objects.create(
        facility=Facility.objects.get(name="服务站"),
        standard=ServiceStandard.objects.order_by("code").first(),
        year=2014,
        result="partly",
        note="开放时间不足",
    )
    return communities


def export(client, user, slug, scope=None, unmask=False):
    client.force_login(user)
    params = [f"scope={scope}"] if scope else []
    params += ["unmask=1"] if unmask else []
    url = reverse("excel-export", args=[slug]) + ("?" + "&".join(params) if params else "")
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    data = b"".join(response.streaming_content)
    return data, load_workbook(io.BytesIO(data))


@pytest.mark.django_db
class TestExport:
    def test_volunteers_are_masked_for_users_without_the_permission(self, client, staff, records):
        _, wb = export(client, staff, "volunteers")
        rows = list(wb["注册志愿者"].iter_rows(values_only=True))
        assert rows[0][:6] == ("社区代码*", "社区名称", "姓名*", "性别*", "身份证号码*", "联系电话")
        assert len(rows) == 2  # the volunteer of another county is not there
        code, name, person, gender, number, phone, party, registered, left, org, cats = rows[1]
        assert (code, person, gender, party, org, cats) == (
            "620102016001",
            "张三",
            "男",
            "是",
            "夕阳红服务队",
            "为老、助残",
        )
        assert number == id_number(1)[:6] + "********" + id_number(1)[-4:]
        assert phone == "138****5678"
        assert registered == datetime.datetime(2013, 1, 2)
        log = AuditLog.objects.get(action="export")
        assert (
            log.detail["masked"] is True
            and log.detail["rows"] == 1
            and len(log.detail["sha256"]) == 64
        )
        assert not AuditLog.objects.filter(action="view_personal_data").exists()

    def test_users_with_the_permission_get_masked_numbers_unless_they_ask(
        self, client, staff, records
    ):
        staff.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
        _, wb = export(client, staff, "volunteers")
        row = list(wb["注册志愿者"].iter_rows(values_only=True))[1]
        assert row[4] != id_number(1) and "*" in row[4]
        assert not AuditLog.objects.filter(action="view_personal_data").exists()

    def test_users_with_the_permission_who_ask_get_full_numbers_and_it_is_audited(
        self, client, staff, records
    ):
        staff.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
        client.force_login(staff)
        response = client.get(reverse("excel-export", args=["volunteers"]) + "?unmask=1")
        wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        row = list(wb["注册志愿者"].iter_rows(values_only=True))[1]
        assert row[4] == id_number(1) and row[5] == "13812345678"
        assert AuditLog.objects.get(action="export").detail["masked"] is False
        assert AuditLog.objects.filter(action="view_personal_data").count() == 1

    def test_a_scope_outside_the_users_is_404(self, client, staff, records):
        client.force_login(staff)
        assert (
            client.get(reverse("excel-export", args=["volunteers"]) + "?scope=620201").status_code
            == 404
        )
        assert (
            client.get(reverse("excel-export", args=["volunteers"]) + "?scope=99").status_code
            == 404
        )
        assert client.get(reverse("excel-export", args=["nothing"])).status_code == 404

    def test_a_narrower_scope_keeps_only_its_records(self, client, admin, records):
        _, wb = export(client, admin, "community-stats", scope="620102016002")
        rows = list(wb["社区年度统计"].iter_rows(values_only=True))
        assert [r[0] for r in rows[1:]] == ["620102016002"]

    def test_stats_show_their_status_and_numbers_as_numbers(self, client, admin, records):
        _, wb = export(client, admin, "community-stats")
        ws = wb["社区年度统计"]
        rows = list(ws.iter_rows(values_only=True))
        assert rows[1][:4] == ("620102016001", "社区620102016001", 2014, 1000)
        assert rows[2][-1] == "已审核"
        assert ws["D2"].data_type == "n"

    def test_facilities_write_areas_and_dates_with_formats(self, client, admin, records):
        _, wb = export(client, admin, "facilities")
        ws = wb["社区服务设施"]
        rows = list(ws.iter_rows(values_only=True))
        centre = next(r for r in rows if r[0] == "街道服务中心")
        assert centre[1:6] == ("街道社区服务中心", None, "620102016", None, 812.5)
        assert centre[-2] == "劳动就业"
        assert centre[-1] == Facility.objects.get(name="街道服务中心").pk  # 系统编号
        cell = next(c for c in ws.iter_rows(min_row=2) if c[0].value == "街道服务中心")[5]
        assert cell.number_format == "#,##0.00"
        date_cell = next(c for c in ws.iter_rows(min_row=2) if c[0].value == "服务站")[6]
        assert date_cell.number_format == "yyyy-mm-dd" and date_cell.is_date

    def test_template_has_drop_downs_instructions_and_frozen_header(self):
        for resource in RESOURCES.values():
            buf = io.BytesIO()
            build_template(resource, buf)
            wb = load_workbook(buf)
            assert wb.sheetnames == [resource.title, "填写说明"]
            ws = wb[resource.title]
            assert [c.value for c in ws[1]] == [c.title for c in resource.columns]
            assert ws.freeze_panes == "A2"
            lists = {
                str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1
                for dv in ws.data_validations.dataValidation
                if dv.type == "list"
            }
            for index, column in enumerate(resource.columns):
                if column.kind == "choice":
                    letter = ws.cell(row=1, column=index + 1).column_letter
                    assert lists[letter] == '"' + ",".join(column.choices.labels) + '"'
            notes = [c.value for row in wb["填写说明"].iter_rows() for c in row if c.value]
            assert any("第几行、哪一列" in str(n) for n in notes)

    def test_template_download_in_the_portal_and_the_api(self, client, staff):
        client.force_login(staff)
        response = client.get(reverse("excel-template", args=["workers"]))
        assert response.status_code == 200
        assert (
            "社区工作者导入模板.xlsx" in response["Content-Disposition"]
            or "filename*=" in response["Content-Disposition"]
        )
        response = client.get(reverse("api-import-template", args=["workers"]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")

    def test_api_export_requires_login_and_answers_404_outside_scope(self, client, staff, records):
        url = reverse("api-report-resource", args=["volunteers"])
        assert client.get(url).status_code in (401, 403)
        client.force_login(staff)
        assert client.get(url + "?scope=6202").status_code == 404
        response = client.get(url + "?scope=620102016001")
        assert response.status_code == 200

    def test_an_export_over_the_row_limit_asks_for_a_smaller_scope(
        self, client, admin, records, settings
    ):
        settings.EXPORT_MAX_ROWS = 2
        client.force_login(admin)
        response = client.get(reverse("excel-export", args=["community-stats"]), follow=True)
        assert "超过单次导出上限 2 条" in response.content.decode()
        response = client.get(reverse("api-report-resource", args=["community-stats"]))
        assert response.status_code == 400 and "更小的范围" in response.json()["scope"][0]
        assert (
            client.get(
                reverse("api-report-resource", args=["community-stats"]) + "?scope=620102016002"
            ).status_code
            == 200
        )

    def test_query_count_does_not_grow_with_rows(
        self, staff, records, django_assert_max_num_queries
    ):
        queryset = Volunteer.objects.visible_to(staff)
        with django_assert_max_num_queries(3):
            build_export(VOLUNTEERS, queryset, io.BytesIO())
        for i in range(3, 40):
            Volunteer.objects.create(
                community=records[0],
                name=f"志愿者{i}",
                gender="male",
                id_number=id_number(i),
                registered_on=datetime.date(2013, 1, 2),
            )
        with django_assert_max_num_queries(3):
            assert build_export(VOLUNTEERS, queryset, io.BytesIO()) == 38


@pytest.mark.django_db
class TestRoundTrip:
    @pytest.mark.parametrize("slug", list(RESOURCES))
    def test_export_then_import_changes_nothing(self, slug, client, superuser, records):
        # Full numbers (asked for, with the permission) so that volunteers are found again.
        data, _ = export(client, superuser, slug, unmask=True)
        before = {(o.pk, getattr(o, "version", None)) for o in RESOURCES[slug].model.objects.all()}
        history = RESOURCES[slug].model.history.count()
        result = import_workbook(resource=RESOURCES[slug], upload=data, user=superuser)
        assert result.ok, [str(e) for e in result.errors]
        assert result.created == 0 and result.updated == 0 and result.unchanged == len(before)
        assert {
            (o.pk, getattr(o, "version", None)) for o in RESOURCES[slug].model.objects.all()
        } == before
        assert RESOURCES[slug].model.history.count() == history

    def test_formula_like_text_is_exported_as_text_and_comes_back_unchanged(
        self, client, superuser, records
    ):
        data, wb = export(client, superuser, "social-organizations")
        ws = wb["社区社会组织"]
        cells = {
            c.value: c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str)
        }
        for text in ("+舞蹈队", "@读书会"):
            assert cells[text].data_type == "s" and cells[text].quotePrefix
        data, wb = export(client, superuser, "facilities")
        address = next(
            c
            for row in wb["社区服务设施"].iter_rows(min_row=2)
            for c in row
            if str(c.value).startswith("=HYPERLINK")
        )
        assert address.data_type == "s" and address.quotePrefix
        assert (
            import_workbook(resource=RESOURCES["facilities"], upload=data, user=superuser).unchanged
            == 3
        )

    def test_a_masked_export_comes_back_unchanged(self, client, staff, records):
        data, _ = export(client, staff, "volunteers")
        result = import_workbook(resource=VOLUNTEERS, upload=data, user=staff)
        assert result.ok, [str(e) for e in result.errors]
        assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
        assert Volunteer.objects.get(name="张三").id_number == id_number(1)
