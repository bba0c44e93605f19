"""Service records, training and facility funding by Excel: template, export, import.

Each goes through the importer's one write path (``records_bulk_save``: history with the
user and reason, one audit row of the batch, one audit row of the import); a row names its
parent (volunteer, worker, facility) by the parent's natural key inside the user's scope.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditLog
from core.policy import policy_for
from core.validators import mask_id_number
from excel.exporters import build_export
from excel.importers import CHANGE_REASON, import_workbook
from excel.resources import FACILITY_FUNDINGS, RESOURCES, SERVICE_RECORDS, TRAININGS
from facilities.models import Facility, FacilityFunding
from tests.excel.conftest import xlsx
from tests.excel.test_import_volunteers import id_number
from tests.factories import make_facility, make_user
from volunteers.models import ServiceRecord, Volunteer, VolunteerOrganization
from workforce.models import Training, Worker

NEW = ("service-records", "trainings", "facility-fundings")
SR = [c.title for c in SERVICE_RECORDS.columns]
TR = [c.title for c in TRAININGS.columns]
FF = [c.title for c in FACILITY_FUNDINGS.columns]


@pytest.fixture
def people(communities):
    a, b, other = communities
    org = VolunteerOrganization.objects.create(
        community=a, name="夕阳红服务队", registered_on=datetime.date(2012, 5, 1)
    )
    here = Volunteer.objects.create(
        community=a,
        name="张三",
        gender="male",
        id_number=id_number(1),
        registered_on=datetime.date(2013, 1, 2),
    )
    there = Volunteer.objects.create(
        community=other,
        name="外地人",
        gender="female",
        id_number=id_number(2),
        registered_on=datetime.date(2013, 1, 2),
    )
    neighbour = Volunteer.objects.create(
        community=b,
        name="李四",
        gender="male",
        id_number=id_number(3),
        registered_on=datetime.date(2013, 1, 2),
    )
    workers = {
        code: Worker.objects.create(
            community=community,
            name="王芳",
            gender="female",
            role="member",
            education="bachelor",
            hired_on=datetime.date(2011, 1, 1),
        )
        for code, community in (("a", a), ("other", other))
    }
    return {"org": org, "here": here, "there": there, "neighbour": neighbour, **workers}


def run(resource, header, rows, user):
    return import_workbook(
        resource=resource, upload=xlsx(header, rows, title=resource.title), user=user
    )


def texts(result) -> list[str]:
    return [str(e) for e in result.errors]


def sr_row(number=None, *, activity="敬老院慰问", served="2014-03-05", category="为老", hours=2.5):
    return [
        number or id_number(1),
        "",
        activity,
        served,
        category,
        hours,
        "市福利院",
        12,
        "老人",
        "赵队长",
        "夕阳红服务队",
        "优秀",
        "",
    ]


def export_bytes(resource, user, *, unmasked=False) -> bytes:
    buf = io.BytesIO()
    build_export(resource, policy_for(resource.model).visible_to(user), buf, unmasked=unmasked)
    return buf.getvalue()


@pytest.mark.django_db
class TestTemplates:
    @pytest.mark.parametrize("slug", NEW)
    def test_template_downloads_in_the_portal_and_the_api(self, slug, client, staff):
        resource = RESOURCES[slug]
        client.force_login(staff)
        for url in (
            reverse("excel-template", args=[slug]),
            reverse("api-import-template", args=[slug]),
        ):
            response = client.get(url)
            assert response.status_code == 200
            wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
            assert wb.sheetnames == [resource.title, "填写说明"]
            assert [c.value for c in wb[resource.title][1]] == [c.title for c in resource.columns]

    def test_the_excel_page_lists_and_offers_import_of_the_new_kinds(self, client, staff):
        client.force_login(staff)
        page = client.get(reverse("excel-home")).content.decode()
        for slug in NEW:
            assert reverse("excel-import", args=[slug]) in page
            assert reverse("excel-template", args=[slug]) in page


@pytest.mark.django_db
class TestServiceRecords:
    def test_rows_are_recorded_by_the_importer_and_await_someone_else(self, staff, people):
        result = run(
            SERVICE_RECORDS,
            SR,
            [sr_row(), sr_row(activity="社区清洁", category="环保", hours="1.5")],
            staff,
        )
        assert result.ok, texts(result)
        assert (result.created, result.updated) == (2, 0)
        record = ServiceRecord.objects.get(activity="敬老院慰问")
        assert record.volunteer == people["here"] and record.organization == people["org"]
        assert record.status == "recorded" and record.recorder == staff
        assert record.hours == Decimal("2.5") and record.rating == "excellent"
        history = record.history.get()
        assert history.history_user == staff and history.history_change_reason == CHANGE_REASON
        assert AuditLog.objects.filter(action="import", detail__created=2).count() == 1
        # Four eyes: the importer recorded the service, so another staff member confirms it.
        policy = policy_for(ServiceRecord)
        assert not policy.can_transition(staff, "confirm", record)
        colleague = make_user("staff3", role="staff", scope_code="620102016")
        assert policy.can_transition(colleague, "confirm", record)

    def test_an_open_record_is_updated_by_volunteer_date_and_activity(self, staff, people):
        run(SERVICE_RECORDS, SR, [sr_row()], staff)
        result = run(SERVICE_RECORDS, SR, [sr_row(hours=3)], staff)
        assert (result.created, result.updated) == (0, 1)
        record = ServiceRecord.objects.get()
        assert record.hours == Decimal("3") and record.version == 2
        assert record.status == "recorded" and record.history.count() == 2

    def test_problems_are_named_by_row_and_column_in_chinese(self, staff, people):
        rows = [
            sr_row(id_number(9)),
            sr_row(hours="0.3"),
            sr_row(activity="二", hours="1.3"),
            sr_row(activity="三", category="跳舞"),
            sr_row(activity="四", served="2012-12-31"),
            sr_row(activity="五", number=mask_id_number(id_number(7))),
        ]
        rows[0][0] = id_number(9)
        result = run(SERVICE_RECORDS, SR, rows, staff)
        found = texts(result)
        assert "第2行 志愿者身份证号码：该身份证号码的志愿者不存在或不在您的管辖范围内。" in found
        assert "第3行 服务时长（小时）：服务时长至少0.5小时。" in found
        assert "第4行 服务时长（小时）：服务时长以0.5小时为单位。" in found
        assert any(t.startswith("第5行 服务类别：“跳舞”不是有效选项") for t in found)
        assert "第6行 服务日期：服务日期不能早于志愿者注册日期。" in found
        assert (
            "第7行 志愿者身份证号码：这是脱敏的身份证号码，您的管辖范围内没有与之相符的志愿者，"
            "请填写完整号码。" in found
        )
        assert ServiceRecord.objects.count() == 0

    def test_volunteers_outside_the_scope_are_refused(self, staff, community_staff, people):
        result = run(SERVICE_RECORDS, SR, [sr_row(id_number(2))], staff)
        assert texts(result) == [
            "第2行 志愿者身份证号码：该身份证号码的志愿者不存在或不在您的管辖范围内。"
        ]
        row = sr_row(id_number(3))
        row[10] = ""  # no organisation
        result = run(SERVICE_RECORDS, SR, [row], community_staff)
        assert texts(result) == [
            "第2行 志愿者身份证号码：该身份证号码的志愿者不存在或不在您的管辖范围内。"
        ]
        assert ServiceRecord.objects.count() == 0

    def test_an_organisation_of_another_community_and_a_wrong_name_are_refused(self, staff, people):
        row = sr_row(id_number(3))  # 李四 of the other community: 夕阳红服务队 is not his
        named = sr_row(activity="二")
        named[1] = "张四"
        result = run(SERVICE_RECORDS, SR, [row, named], staff)
        assert texts(result) == [
            "第2行 记录组织：志愿者所在社区没有名为“夕阳红服务队”的志愿者组织，请先导入或登记该组织。",
            "第3行 志愿者姓名：与该身份证号码登记的姓名“张三”不一致，请核对。",
        ]

    def test_a_confirmed_record_cannot_be_changed_by_import(self, staff, people):
        run(SERVICE_RECORDS, SR, [sr_row()], staff)
        ServiceRecord.objects.update(status="confirmed")
        same = run(SERVICE_RECORDS, SR, [sr_row()], staff)
        assert same.ok and same.unchanged == 1
        result = run(SERVICE_RECORDS, SR, [sr_row(hours=4)], staff)
        assert texts(result) == [
            "第2行 整行：该服务记录已确认，不能修改或删除；如有错误，请由志愿者提出更正申请。"
        ]

    def test_one_activity_twice_on_one_day_is_told_apart_by_the_record_number(self, staff, people):
        twice = [
            ServiceRecord.objects.create(
                volunteer=people["here"],
                activity="敬老院慰问",
                served_on=datetime.date(2014, 3, 5),
                category="elderly",
                hours=Decimal(hours),
                place=place,
            )
            for hours, place in (("2", "上午：福利院"), ("3", "下午：敬老院"))
        ]
        data = export_bytes(SERVICE_RECORDS, staff)
        result = import_workbook(resource=SERVICE_RECORDS, upload=data, user=staff)
        assert (result.ok, result.unchanged) == (True, 2), texts(result)
        # Without the number the row cannot say which of the two it is.
        found = texts(run(SERVICE_RECORDS, SR, [sr_row()], staff))
        assert found == [
            "第2行 活动名称：该志愿者同一日期有多条同名活动的服务记录，无法确定更新哪一条；"
            "请填写记录编号（见导出文件）。"
        ]
        numbered = sr_row(hours=4) + [twice[1].pk]
        result = run(SERVICE_RECORDS, SR, [numbered], staff)
        assert (result.ok, result.updated) == (True, 1), texts(result)
        twice[1].refresh_from_db()
        assert twice[1].hours == Decimal("4") and twice[1].place == "市福利院"
        # A number of another volunteer's record is refused, never moved.
        other = ServiceRecord.objects.create(
            volunteer=people["neighbour"],
            activity="清洁",
            served_on=datetime.date(2014, 3, 5),
            category="environment",
            hours=1,
        )
        found = texts(run(SERVICE_RECORDS, SR, [sr_row() + [other.pk]], staff))
        assert found == [
            f"第2行 记录编号：记录编号“{other.pk}”不存在、不在您的管辖范围内或不是该志愿者的记录；"
            "新记录请留空。"
        ]

    @pytest.mark.parametrize("unmasked", [False, True])
    def test_export_then_import_changes_nothing_masked_or_not(self, unmasked, staff, people):
        run(SERVICE_RECORDS, SR, [sr_row(), sr_row(activity="二", hours=1)], staff)
        data = export_bytes(SERVICE_RECORDS, staff, unmasked=unmasked)
        ids = [r[0] for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]
        assert ("*" in ids[1]) is not unmasked
        before = {(r.pk, r.version) for r in ServiceRecord.objects.all()}
        history = ServiceRecord.history.count()
        result = import_workbook(resource=SERVICE_RECORDS, upload=data, user=staff)
        assert result.ok, texts(result)
        assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
        assert {(r.pk, r.version) for r in ServiceRecord.objects.all()} == before
        assert ServiceRecord.history.count() == history


def tr_row(code="620102016001", name="王芳", title="岗位培训", started="2014-06-01", hours=8):
    return [code, "", name, title, started, hours, "区民政局"]


@pytest.mark.django_db
class TestTrainings:
    def test_rows_create_trainings_of_the_named_worker_with_history(self, staff, people):
        result = run(TRAININGS, TR, [tr_row(), tr_row(title="社会工作实务", hours="2.5")], staff)
        assert result.ok, texts(result)
        assert result.created == 2
        training = Training.objects.get(title="岗位培训")
        assert training.worker == people["a"] and training.organizer == "区民政局"
        assert training.history.get().history_user == staff
        again = run(TRAININGS, TR, [tr_row(hours=16)], staff)
        assert (again.created, again.updated) == (0, 1)
        training.refresh_from_db()
        assert training.hours == Decimal("16") and training.history.count() == 2

    def test_problems_are_named_by_row_and_column_in_chinese(self, staff, people):
        rows = [
            tr_row(name="无名氏"),
            tr_row(hours="0.2"),
            tr_row(code="620201001001"),
            tr_row(title="重复"),
            tr_row(title="重复"),
        ]
        found = texts(run(TRAININGS, TR, rows, staff))
        assert (
            "第2行 工作者姓名：该社区没有名为“无名氏”的社区工作者，请先导入或登记该工作者。"
            in found
        )
        assert "第3行 学时：学时至少为0.5。" in found
        assert "第4行 社区代码：社区代码“620201001001”不存在或不在您的管辖范围内。" in found
        assert any(t.startswith("第6行 培训名称：与第5行重复") for t in found)
        assert Training.objects.count() == 0

    def test_export_then_import_changes_nothing(self, staff, people):
        run(TRAININGS, TR, [tr_row(), tr_row(title="二", hours="1.5")], staff)
        history = Training.history.count()
        result = import_workbook(
            resource=TRAININGS, upload=export_bytes(TRAININGS, staff), user=staff
        )
        assert result.ok, texts(result)
        assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
        assert Training.history.count() == history


def ff_row(
    owner="620102016001", name="服务站", year=2013, source="省级补助", amount="30.5", opened=None
):
    return [owner, name, opened, "", year, source, amount]


@pytest.mark.django_db
class TestFacilityFundings:
    @pytest.fixture
    def facilities(self, communities):
        a, b, other = communities
        return {
            "station": make_facility(kind="station", community=a, area="300", name="服务站"),
            "centre": make_facility(kind="centre", street=a.street, area="800", name="中心"),
            "far": make_facility(kind="station", community=other, area="300", name="远方站"),
        }

    def test_rows_create_funding_lines_with_history(self, staff, facilities):
        rows = [ff_row(), ff_row(owner="620102016", name="中心", source="中央预算内投资")]
        result = run(FACILITY_FUNDINGS, FF, rows, staff)
        assert result.ok, texts(result)
        assert result.created == 2
        line = FacilityFunding.objects.get(facility=facilities["centre"])
        assert (line.year, line.source, line.amount_wan_yuan) == (2013, "central", Decimal("30.5"))
        assert line.history.get().history_user == staff
        again = run(FACILITY_FUNDINGS, FF, [ff_row(amount="40")], staff)
        assert (again.created, again.updated) == (0, 1)

    def test_problems_are_named_by_row_and_column_in_chinese(self, staff, facilities):
        rows = [
            ff_row(year=2030),
            ff_row(name="不存在的站"),
            ff_row(owner="620201001001", name="远方站"),
            ff_row(amount="0"),
            ff_row(source="彩票"),
        ]
        found = texts(run(FACILITY_FUNDINGS, FF, rows, staff))
        assert (
            "第2行 年度：年度“2030”不在规划年度范围内，只能填写2000年至2015年之间的年份。" in found
        )
        assert "第3行 设施名称：该单位没有名为“不存在的站”的设施，请先导入或登记该设施。" in found
        assert (
            "第4行 所属单位代码：代码“620201001001”下没有设施，或该单位不在您的管辖范围内。"
            in found
        )
        assert "第5行 金额（万元）：金额必须大于0。" in found
        assert any(t.startswith("第6行 资金来源：“彩票”不是有效选项") for t in found)
        assert FacilityFunding.objects.count() == 0

    def test_a_facility_built_before_the_plan_keeps_the_funding_of_its_building_years(
        self, staff, facilities
    ):
        result = run(FACILITY_FUNDINGS, FF, [ff_row(year=2004)], staff)
        assert result.ok, texts(result)
        assert FacilityFunding.objects.get().year == 2004
        found = texts(run(FACILITY_FUNDINGS, FF, [ff_row(year=1999)], staff))
        assert found == [
            "第2行 年度：年度“1999”不在规划年度范围内，只能填写2000年至2015年之间的年份。"
        ]

    def test_a_community_worker_may_not_fund_the_street_centre(self, community_staff, facilities):
        result = run(
            FACILITY_FUNDINGS, FF, [ff_row(owner="620102016", name="中心")], community_staff
        )
        # The street's centre lies above a community's staff: not theirs to see or fund.
        assert texts(result) == [
            "第2行 所属单位代码：代码“620102016”下没有设施，或该单位不在您的管辖范围内。"
        ]
        assert FacilityFunding.objects.count() == 0

    def test_two_facilities_of_one_name_are_told_apart_by_their_opening_dates(
        self, staff, facilities, communities
    ):
        successor = make_facility(
            kind="station", community=communities[0], area="350", name="服务站", opened=2014
        )
        found = texts(run(FACILITY_FUNDINGS, FF, [ff_row()], staff))
        assert found == [
            "第2行 设施投入使用日期：该单位有多个名为“服务站”的设施，请填写设施投入使用日期以区分；"
            "仍无法区分的请在系统中录入其资金。"
        ]
        found = texts(run(FACILITY_FUNDINGS, FF, [ff_row(opened="2013-05-01")], staff))
        assert found == [
            "第2行 设施投入使用日期：该单位名为“服务站”的设施没有在2013-05-01投入使用的，请核对。"
        ]
        result = run(FACILITY_FUNDINGS, FF, [ff_row(opened="2014-01-01")], staff)
        assert result.ok, texts(result)
        assert FacilityFunding.objects.get().facility == successor
        # The export writes the opening date, so it comes back to the same facility.
        history = FacilityFunding.history.count()
        again = import_workbook(
            resource=FACILITY_FUNDINGS, upload=export_bytes(FACILITY_FUNDINGS, staff), user=staff
        )
        assert (again.ok, again.unchanged) == (True, 1), texts(again)
        assert FacilityFunding.history.count() == history

    def test_export_then_import_changes_nothing(self, staff, facilities):
        run(FACILITY_FUNDINGS, FF, [ff_row(), ff_row(year=2014, amount="12")], staff)
        assert Facility.objects.count() == 3
        history = FacilityFunding.history.count()
        data = export_bytes(FACILITY_FUNDINGS, staff)
        result = import_workbook(resource=FACILITY_FUNDINGS, upload=data, user=staff)
        assert result.ok, texts(result)
        assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
        assert FacilityFunding.history.count() == history


@pytest.mark.django_db
class TestThroughTheAPI:
    def test_export_and_a_checked_import_answer_for_each_new_kind(self, client, staff, people):
        run(TRAININGS, TR, [tr_row()], staff)
        client.force_login(staff)
        response = client.get(reverse("api-report-resource", args=["trainings"]))
        assert response.status_code == 200
        data = b"".join(response.streaming_content)
        rows = list(load_workbook(io.BytesIO(data))[TRAININGS.title].iter_rows(values_only=True))
        assert rows[1][:4] == ("620102016001", people["a"].community.name, "王芳", "岗位培训")
        upload = io.BytesIO(xlsx(SR, [sr_row()], title=SERVICE_RECORDS.title))
        upload.name = "服务记录.xlsx"
        response = client.post(
            reverse("api-import", args=["service-records"]) + "?dry_run=1", {"file": upload}
        )
        assert response.status_code == 200, response.content
        assert response.json()["ok"] and response.json()["created"] == 1
        assert ServiceRecord.objects.count() == 0  # only checked


@pytest.mark.django_db(transaction=True)
def test_a_background_import_of_service_records_records_them(client, staff, people):
    from jobs.models import Job
    from tests.jobs.conftest import run_worker

    client.force_login(staff)
    upload = io.BytesIO(xlsx(SR, [sr_row(), sr_row(activity="二")], title=SERVICE_RECORDS.title))
    upload.name = "服务记录.xlsx"
    response = client.post("/api/v1/imports/service-records/?async=1", {"file": upload})
    assert response.status_code == 202, response.content
    run_worker()
    job = Job.objects.get()
    assert job.state == "done" and job.result["created"] == 2
    assert set(ServiceRecord.objects.values_list("status", "recorder")) == {("recorded", staff.pk)}
