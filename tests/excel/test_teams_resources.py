"""Committees, entrusted projects, training plans and standard self-checks by Excel.

Each goes through the importer's one write path (``records_bulk_save``: history with the
user and reason, one audit row of the import); a row names its parents (chair, volunteer
organisation, budget line, facility, catalogue item) by their natural keys inside the
user's scope, and each kind keeps its policy: plans are the administrators', self-checks
enter as 待街道审核 and a reviewed one is not changed by import.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditLog
from excel.importers import CHANGE_REASON, import_workbook
from excel.resources import (
    COMMITTEES,
    ENTRUSTED_PROJECTS,
    RESOURCES,
    STANDARD_CHECKS,
    TRAINING_PLANS,
)
from funding.models import BudgetLine
from standards.models import StandardCheck
from teams.models import Committee, EntrustedProject, TrainingPlan
from tests.excel.conftest import xlsx
from tests.excel.test_new_resources import export_bytes
from tests.factories import make_facility
from tests.teams.world import ensure_catalogue
from volunteers.models import VolunteerOrganization
from workforce.models import Worker

NEW = ("committees", "entrusted-projects", "training-plans", "standard-checks")
D = datetime.date
A, B, OTHER = "620102016001", "620102016002", "620201001001"
STREET = "620102016"


def header(resource):
    return [c.title for c in resource.columns]


def run(resource, rows, user):
    return import_workbook(
        resource=resource, upload=xlsx(header(resource), rows, title=resource.title), user=user
    )


def texts(result) -> list[str]:
    return [str(e) for e in result.errors]


@pytest.fixture
def world(communities):
    a, b, other = communities
    ensure_catalogue()
    person = {
        code: Worker.objects.create(
            community=community,
            name="王芳",
            gender="female",
            role="member",
            education="bachelor",
            hired_on=D(2011, 1, 1),
        )
        for code, community in ((A, a), (B, b), (OTHER, other))
    }
    orgs = {
        code: VolunteerOrganization.objects.create(
            community=community, name=name, registered_on=D(2012, 5, 1)
        )
        for code, community, name in (
            (A, a, "夕阳红服务队"),
            (B, b, "邻社区服务队"),
            (OTHER, other, "外县服务队"),
        )
    }
    line = BudgetLine.objects.create(
        region_code="620102",
        year=2014,
        cost_type="running",
        source="fiscal",
        budgeted_wan_yuan=Decimal("100"),
        allocated_wan_yuan=Decimal("80"),
    )
    stations = {
        A: make_facility(kind="station", community=a, name="服务站"),
        B: make_facility(kind="station", community=b, name="东岗服务站"),
        OTHER: make_facility(kind="station", community=other, name="外县服务站"),
        "day_care": make_facility(
            kind="specialized", community=a, name="日间照料", specialized_type="day_care"
        ),
    }
    return {"workers": person, "orgs": orgs, "line": line, "stations": stations}


@pytest.mark.django_db
class TestTemplates:
    @pytest.mark.parametrize("slug", NEW)
    def test_template_downloads_in_the_portal_and_the_api(self, slug, client, admin):
        resource = RESOURCES[slug]
        client.force_login(admin)
        for url in (
            reverse("excel-template", args=[slug]),
            reverse("api-import-template", args=[slug]),
        ):
            response = client.get(url)
            assert response.status_code == 200
            wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
            assert wb.sheetnames == [resource.title, "填写说明"]
            assert [c.value for c in wb[resource.title][1]] == header(resource)

    def test_the_excel_page_offers_import_as_each_policy_allows(self, client, staff, admin):
        client.force_login(staff)
        page = client.get(reverse("excel-home")).content.decode()
        for slug in ("committees", "entrusted-projects", "standard-checks"):
            assert reverse("excel-import", args=[slug]) in page
        assert reverse("excel-import", args=["training-plans"]) not in page
        assert reverse("excel-template", args=["training-plans"]) in page
        client.force_login(admin)
        page = client.get(reverse("excel-home")).content.decode()
        assert reverse("excel-import", args=["training-plans"]) in page


def committee_row(
    code=A, kind="人民调解委员会", chair="王芳", established="2013-04-01", ended=None
):
    return [code, "", kind, chair, established, ended]


@pytest.mark.django_db
class TestCommittees:
    def test_rows_create_committees_with_their_chairs_through_the_write_path(self, staff, world):
        rows = [committee_row(), committee_row(B, "治安保卫委员会", chair="")]
        result = run(COMMITTEES, rows, staff)
        assert result.ok, texts(result)
        assert (result.created, result.updated) == (2, 0)
        mediation = Committee.objects.get(kind="mediation")
        assert mediation.chair == world["workers"][A] and mediation.community_id == A
        assert Committee.objects.get(kind="security").chair is None
        history = mediation.history.get()
        assert history.history_user == staff and history.history_change_reason == CHANGE_REASON
        assert AuditLog.objects.filter(action="import", detail__created=2).count() == 1
        again = run(COMMITTEES, [committee_row(ended="2015-01-31")], staff)
        assert (again.created, again.updated) == (0, 1)
        mediation.refresh_from_db()
        assert mediation.dissolved_on == D(2015, 1, 31) and mediation.version == 2

    def test_problems_are_named_by_row_and_column_in_chinese(self, staff, world):
        rows = [
            committee_row(chair="无名氏"),
            committee_row(kind="跳舞委员会"),
            committee_row(kind="文化教育委员会", ended="2012-01-01"),
            committee_row(OTHER, chair=""),
            committee_row(),
        ]
        found = texts(run(COMMITTEES, rows, staff))
        assert (
            "第2行 主任委员：该社区没有名为“无名氏”的社区工作者，请先导入或登记该工作者。" in found
        )
        assert any(t.startswith("第3行 委员会：“跳舞委员会”不是有效选项") for t in found)
        assert any(t.startswith("第4行 撤销日期：") for t in found)
        assert "第5行 社区代码：社区代码“620201001001”不存在或不在您的管辖范围内。" in found
        assert any(t.startswith("第6行 委员会：与第2行重复") for t in found)
        assert Committee.objects.count() == 0

    def test_another_communitys_committee_is_refused_to_community_staff(
        self, community_staff, world
    ):
        found = texts(run(COMMITTEES, [committee_row(B)], community_staff))
        assert found == [f"第2行 社区代码：社区代码“{B}”不存在或不在您的管辖范围内。"]
        assert Committee.objects.count() == 0

    def test_export_then_import_changes_nothing(self, staff, world):
        run(COMMITTEES, [committee_row(), committee_row(B, "公共卫生委员会")], staff)
        history = Committee.history.count()
        result = import_workbook(
            resource=COMMITTEES, upload=export_bytes(COMMITTEES, staff), user=staff
        )
        assert (result.ok, result.created, result.updated, result.unchanged) == (True, 0, 0, 2)
        assert Committee.history.count() == history


def project_row(
    community=A,
    street=None,
    org="夕阳红服务队",
    *,
    name="邻里互助",
    starts="2014-03-01",
    budget=("620102", "服务运行经费", "财政补助"),
    funding="12.5",
):
    return [
        community,
        street,
        name,
        org,
        "社会救助",
        starts,
        None,
        funding,
        *budget,
        200,
        180,
        "良好",
    ]


NO_BUDGET = (None, None, None)


@pytest.mark.django_db
class TestEntrustedProjects:
    def test_community_and_street_projects_are_created_with_their_budget_line(self, staff, world):
        rows = [
            project_row(),
            project_row(None, STREET, "邻社区服务队", name="街道助老", budget=NO_BUDGET),
        ]
        result = run(ENTRUSTED_PROJECTS, rows, staff)
        assert result.ok, texts(result)
        assert result.created == 2
        own = EntrustedProject.objects.get(name="邻里互助")
        assert (own.code, own.organization, own.budget_line) == (
            A,
            world["orgs"][A],
            world["line"],
        )
        assert own.funding_wan_yuan == Decimal("12.50") and own.rating == "good"
        assert own.history.get().history_change_reason == CHANGE_REASON
        street = EntrustedProject.objects.get(name="街道助老")
        assert (street.code, street.organization, street.budget_line) == (
            STREET,
            world["orgs"][B],
            None,
        )
        # The three budget cells left blank unlink the line.
        again = run(ENTRUSTED_PROJECTS, [project_row(budget=NO_BUDGET)], staff)
        assert (again.created, again.updated) == (0, 1)
        own.refresh_from_db()
        assert own.budget_line is None and own.version == 2

    def test_an_organisation_outside_the_area_is_refused(self, staff, community_staff, world):
        found = texts(run(ENTRUSTED_PROJECTS, [project_row(org="邻社区服务队")], staff))
        assert found == [
            "第2行 承接志愿服务组织：本社区没有名为“邻社区服务队”的志愿服务组织："
            "项目只能委托本社区的志愿服务组织，请核对名称或先登记该组织。"
        ]
        row = project_row(None, STREET, "外县服务队", budget=NO_BUDGET)
        found = texts(run(ENTRUSTED_PROJECTS, [row], staff))
        assert found == [
            "第2行 承接志愿服务组织：本街道各社区没有名为“外县服务队”的志愿服务组织："
            "项目只能委托本街道各社区的志愿服务组织，请核对名称或先登记该组织。"
        ]
        assert EntrustedProject.objects.count() == 0

    def test_out_of_scope_owners_are_refused(self, staff, community_staff, world):
        found = texts(run(ENTRUSTED_PROJECTS, [project_row(OTHER, org="外县服务队")], staff))
        assert found == [f"第2行 委托社区代码：社区代码“{OTHER}”不存在或不在您的管辖范围内。"]
        row = project_row(None, STREET, budget=NO_BUDGET)
        found = texts(run(ENTRUSTED_PROJECTS, [row], community_staff))
        assert found == [f"第2行 委托街道代码：街道代码“{STREET}”不存在或不在您的管辖范围内。"]
        found = texts(run(ENTRUSTED_PROJECTS, [project_row(None, "620201001")], staff))
        assert found == ["第2行 委托街道代码：街道代码“620201001”不存在或不在您的管辖范围内。"]
        assert EntrustedProject.objects.count() == 0

    def test_budget_problems_are_named_in_chinese(self, staff, world):
        rows = [
            project_row(name="一", starts="2015-03-01"),
            project_row(name="二", budget=("620201", "服务运行经费", "财政补助")),
            project_row(name="三", budget=("620102", None, "财政补助")),
            project_row(name="四", budget=("620102", "服务信息化", "财政补助")),
            project_row(A, STREET, name="五", budget=NO_BUDGET),
            project_row(name="六", funding="-1", budget=NO_BUDGET),
        ]
        found = texts(run(ENTRUSTED_PROJECTS, rows, staff))
        assert found[:4] == [
            "第2行 预算区划代码：区划“620102”没有2015年（项目开始年度）“服务运行经费”“财政补助”"
            "的专项经费预算，请核对或先录入该预算。",
            "第3行 预算区划代码：预算区划代码“620201”不是项目所在社区（街道）或其上级区划的代码。",
            "第4行 预算支出类别：关联预算须同时填写预算区划代码、预算支出类别和预算资金来源；"
            "不关联预算请三项都留空。",
            "第5行 预算区划代码：区划“620102”没有2014年（项目开始年度）“服务信息化”“财政补助”"
            "的专项经费预算，请核对或先录入该预算。",
        ]
        assert "第6行 委托社区代码：委托单位须为一个社区或一个街道（二者选一）。" in found
        assert any(t.startswith("第7行 经费（万元）：") for t in found), found
        assert EntrustedProject.objects.count() == 0

    def test_export_then_import_changes_nothing(self, staff, world):
        rows = [project_row(), project_row(None, STREET, "邻社区服务队", name="街道助老")]
        assert run(ENTRUSTED_PROJECTS, rows, staff).ok
        data = export_bytes(ENTRUSTED_PROJECTS, staff)
        sheet = load_workbook(io.BytesIO(data))[ENTRUSTED_PROJECTS.title]
        assert [r[8:11] for r in sheet.iter_rows(min_row=2, values_only=True)] == [
            ("620102", "服务运行经费", "财政补助")
        ] * 2
        history = EntrustedProject.history.count()
        result = import_workbook(resource=ENTRUSTED_PROJECTS, upload=data, user=staff)
        assert (result.ok, result.created, result.updated, result.unchanged) == (True, 0, 0, 2)
        assert EntrustedProject.history.count() == history


@pytest.mark.django_db
class TestTrainingPlans:
    def test_administrators_import_plans_of_any_region(self, admin, world):
        rows = [["62", 2014, 40, 16, 0.7], ["620102", 2014, None, "20.5", "0.85"]]
        result = run(TRAINING_PLANS, rows, admin)
        assert result.ok, texts(result)
        plan = TrainingPlan.objects.get(region_code="620102")
        assert (plan.courses, plan.hours_per_worker, plan.share_to_train) == (
            0,
            Decimal("20.5"),
            Decimal("0.8500"),
        )
        assert plan.history.get().history_user == admin
        again = run(TRAINING_PLANS, [["62", 2014, 40, 16, 0.75]], admin)
        assert (again.created, again.updated) == (0, 1)
        assert TrainingPlan.objects.get(region_code="62").share_to_train == Decimal("0.75")

    def test_staff_may_not_import_plan_data(self, staff, world):
        with pytest.raises(PermissionDenied):
            run(TRAINING_PLANS, [["620102016", 2014, 1, 8, 0.5]], staff)
        assert TrainingPlan.objects.count() == 0

    def test_problems_are_named_by_row_and_column_in_chinese(self, admin, world):
        rows = [
            ["620102", 2014, 1, 8, 1.5],
            ["6299", 2014, 1, 8, 0.5],
            ["620102", 1990, 1, 8, 0.5],
            ["620102", 2014, 1, 8, 0.5],
        ]
        found = texts(run(TRAINING_PLANS, rows, admin))
        assert "第2行 培训覆盖比例：培训覆盖比例应在0到1之间。" in found
        assert "第3行 区划代码：区划代码应为已登记的省、市州、县区或街道代码。" in found
        assert any(t.startswith("第4行 年度：") for t in found)
        assert any(t.startswith("第5行 年度：与第2行重复") for t in found)
        assert TrainingPlan.objects.count() == 0

    def test_export_then_import_changes_nothing(self, admin, world):
        assert run(TRAINING_PLANS, [["62", 2014, 40, 16, 0.7], ["6201", 2015, 2, 8, 1]], admin).ok
        history = TrainingPlan.history.count()
        result = import_workbook(
            resource=TRAINING_PLANS, upload=export_bytes(TRAINING_PLANS, admin), user=admin
        )
        assert (result.ok, result.created, result.updated, result.unchanged) == (True, 0, 0, 2)
        assert TrainingPlan.history.count() == history


def check_row(owner=A, name="服务站", standard="employment-01", year=2014, result="达标", note=""):
    return [owner, name, None, standard, "", year, result, note]


@pytest.mark.django_db
class TestStandardChecks:
    def test_imported_checks_await_the_streets_review(self, community_staff, world):
        rows = [
            check_row(),
            check_row(standard="employment-02", result="部分达标", note="人员不足"),
        ]
        result = run(STANDARD_CHECKS, rows, community_staff)
        assert result.ok, texts(result)
        assert result.created == 2
        checks = StandardCheck.objects.order_by("standard_id")
        assert {c.status for c in checks} == {"submitted"}
        assert {c.facility for c in checks} == {world["stations"][A]}
        assert checks[1].result == "partly" and checks[1].note == "人员不足"
        assert checks[0].reviewed_by is None and checks[0].reviewed_at is None
        assert checks[0].history.get().history_user == community_staff

    def test_a_reviewed_check_is_not_changed_by_import_even_by_an_administrator(
        self, community_staff, admin, world
    ):
        run(STANDARD_CHECKS, [check_row()], community_staff)
        StandardCheck.objects.update(status="reviewed")
        assert run(STANDARD_CHECKS, [check_row()], admin).unchanged == 1
        for user in (community_staff, admin):
            found = texts(run(STANDARD_CHECKS, [check_row(result="未达标")], user))
            assert found == [
                "第2行 整行：该自查已经街道审核，不能通过导入修改；如需修改请联系街道退回。"
            ]
        # Returned by the street, it is corrected by import and stays with the facility.
        StandardCheck.objects.update(status="returned")
        result = run(STANDARD_CHECKS, [check_row(result="未达标")], community_staff)
        assert (result.ok, result.updated) == (True, 1)
        check = StandardCheck.objects.get()
        assert (check.result, check.status, check.version) == ("not_met", "returned", 2)

    def test_problems_are_named_by_row_and_column_in_chinese(self, staff, world):
        rows = [
            check_row(standard="nothing-99"),
            check_row(name="无名站"),
            check_row(name="日间照料"),
            check_row(result="很好"),
            check_row(OTHER, "外县服务站"),
        ]
        found = texts(run(STANDARD_CHECKS, rows, staff))
        assert (
            "第2行 标准编号：服务标准目录中没有编号为“nothing-99”的服务标准，请核对（见服务标准目录）。"
            in found
        )
        assert "第3行 设施名称：该单位没有名为“无名站”的设施，请先导入或登记该设施。" in found
        assert "第4行 设施名称：只有社区服务站和街道社区服务中心需要进行服务标准自查。" in found, (
            found
        )
        assert any(t.startswith("第5行 自查结果：“很好”不是有效选项") for t in found)
        assert f"第6行 所属单位代码：代码“{OTHER}”下没有设施，或该单位不在您的管辖范围内。" in found
        assert StandardCheck.objects.count() == 0

    def test_another_communitys_station_is_refused_to_community_staff(self, community_staff, world):
        found = texts(run(STANDARD_CHECKS, [check_row(B, "东岗服务站")], community_staff))
        assert found == [f"第2行 所属单位代码：代码“{B}”下没有设施，或该单位不在您的管辖范围内。"]

    def test_export_then_import_changes_nothing(self, staff, world):
        rows = [check_row(), check_row(B, "东岗服务站", result="未达标")]
        assert run(STANDARD_CHECKS, rows, staff).ok
        StandardCheck.objects.filter(facility__community_id=B).update(status="reviewed")
        history = StandardCheck.history.count()
        result = import_workbook(
            resource=STANDARD_CHECKS, upload=export_bytes(STANDARD_CHECKS, staff), user=staff
        )
        assert (result.ok, result.created, result.updated, result.unchanged) == (True, 0, 0, 2)
        assert StandardCheck.history.count() == history
