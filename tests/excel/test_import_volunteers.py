"""Volunteer import: whole-file check, all-or-nothing, idempotent re-import, scope."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import AuditLog
from core.validators import id_check_char
from excel.importers import import_workbook
from excel.resources import VOLUNTEERS
from tests.excel.conftest import xlsx
from volunteers.models import Volunteer, VolunteerOrganization

HEADER = [
    "社区代码*",
    "社区名称",
    "姓名*",
    "性别*",
    "身份证号码*",
    "联系电话",
    "是否党员",
    "注册日期*",
    "退出日期",
    "志愿者组织",
    "服务类别",
]


def id_number(seq: int, birth: str = "19800101") -> str:
    first = f"620102{birth}{seq:03d}"
    return first + id_check_char(first)


def row(code="620102016001", name="张三", seq=1, **over):
    """One volunteer row; its gender follows the ID number's 17th digit unless given."""
    number = over.get("id") or id_number(seq)
    values = {
        "code": code,
        "cname": "",
        "name": name,
        "gender": "男" if number[16:17].isdigit() and int(number[16]) % 2 else "女",
        "id": number,
        "phone": "13812345678",
        "party": "否",
        "reg": datetime.datetime(2014, 3, 1),
        "left": None,
        "org": None,
        "cats": "为老、助残",
    }
    values.update(over)
    return list(values.values())


def run(user, rows, **kwargs):
    return import_workbook(
        resource=VOLUNTEERS, upload=xlsx(HEADER, rows, title="注册志愿者"), user=user, **kwargs
    )


@pytest.mark.django_db
class TestCleanFile:
    def test_creates_every_row_with_history(self, staff):
        result = run(staff, [row(seq=1), row(name="李四", seq=2, gender="女", party="是")])
        assert result.ok and result.applied
        assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
        li = Volunteer.objects.get(name="李四")
        assert li.gender == "female" and li.is_party_member
        assert li.service_categories == ["elderly", "disability"]
        assert li.registered_on == datetime.date(2014, 3, 1)
        assert li.history.count() == 1
        assert li.history.first().history_user == staff

    def test_same_file_twice_changes_nothing(self, staff):
        rows = [row(seq=1), row(name="李四", seq=2)]
        run(staff, rows)
        before = list(Volunteer.objects.values_list("id", "version", "updated_at"))
        again = run(staff, rows)
        assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 2)
        assert list(Volunteer.objects.values_list("id", "version", "updated_at")) == before
        assert all(v.history.count() == 1 for v in Volunteer.objects.all())

    def test_changed_row_is_updated_by_id_number_with_new_version_and_history(self, staff):
        run(staff, [row(seq=1)])
        result = run(staff, [row(seq=1, name="张三丰", left=datetime.date(2015, 6, 30))])
        assert (result.created, result.updated) == (0, 1)
        vol = Volunteer.objects.get()
        assert vol.name == "张三丰" and vol.left_on == datetime.date(2015, 6, 30)
        assert vol.version == 2
        assert vol.history.count() == 2

    def test_organization_is_found_by_name_in_the_same_community(self, staff, communities):
        org = VolunteerOrganization.objects.create(
            community=communities[0], name="夕阳红服务队", registered_on=datetime.date(2012, 1, 1)
        )
        run(staff, [row(seq=1, org="夕阳红服务队")])
        assert Volunteer.objects.get().organization == org

    def test_lower_case_check_letter_and_text_dates_are_accepted(self, staff):
        number = id_number(5)
        assert number.endswith("X")
        result = run(staff, [row(seq=5, id=number.lower(), reg="2014年3月1日")])
        assert result.ok, [str(e) for e in result.errors]
        assert Volunteer.objects.get().id_number == number.upper()

    def test_each_import_leaves_an_audit_row_with_the_file_hash(self, staff):
        result = run(staff, [row(seq=1)])
        log = AuditLog.objects.get(action="import")
        assert log.detail["sha256"] == result.sha256 and len(result.sha256) == 64
        assert log.detail["rows"] == 1 and log.detail["created"] == 1


@pytest.mark.django_db
class TestErrors:
    def test_a_gender_against_the_id_numbers_sex_digit_or_a_date_before_1949_is_refused(
        self, staff
    ):
        rows = [
            row(seq=1, gender="女"),  # 17th digit 1: 男
            row(seq=2, reg=datetime.date(1, 1, 1)),
        ]
        result = run(staff, rows)
        assert not result.ok and not result.applied
        texts = [str(e) for e in result.errors]
        assert "第2行 性别：性别与身份证号码不符：身份证号码第17位为奇数，应为“男”。" in texts
        assert any(t.startswith("第3行 注册日期：注册日期不能早于1949年10月01日") for t in texts)
        assert Volunteer.objects.count() == 0

    def test_errors_in_several_rows_are_all_reported_and_nothing_is_saved(self, staff):
        bad_id = id_number(5)[:-1] + ("0" if id_number(5)[-1] != "0" else "1")
        rows = [
            row(seq=1),
            row(seq=2, gender="未知"),
            row(seq=3, reg=None),
            row(id=bad_id),
            row(seq=6, phone="12345"),
            row(seq=7, reg=datetime.date(2015, 1, 1), left=datetime.date(2014, 1, 1)),
            row(seq=1, name="重复"),
        ]
        result = run(staff, rows)
        assert not result.ok and not result.applied
        texts = [str(e) for e in result.errors]
        assert "第3行 性别：“未知”不是有效选项，可选：男、女。" in texts
        assert "第4行 注册日期：必填，不能为空。" in texts
        assert "第5行 身份证号码：身份证号码校验位错误（GB 11643）。" in texts
        assert any(t.startswith("第6行 联系电话：") for t in texts)
        assert "第7行 退出日期：退出日期不能早于注册日期。" in texts
        assert "第8行 身份证号码：与第2行重复（同一身份证号码只能有一行）。" in texts
        assert Volunteer.objects.count() == 0

    def test_a_formula_cell_is_refused_not_evaluated(self, staff):
        result = run(staff, [row(seq=1, name="=1+1")])
        assert [str(e) for e in result.errors] == ["第2行 姓名：不支持公式，请直接填写数值或文字。"]

    def test_an_error_cell_is_reported(self, staff):
        result = run(staff, [row(seq=1, name="#N/A")])
        assert [str(e) for e in result.errors] == [
            "第2行 姓名：单元格是错误值（#N/A），请填写正确的内容。"
        ]

    def test_masked_id_number_from_an_export_is_refused(self, staff):
        result = run(staff, [row(id="620102********0016")])
        assert [str(e) for e in result.errors] == [
            "第2行 身份证号码：这是脱敏的身份证号码，不能导入，请填写完整号码。"
        ]

    def test_unknown_organization_is_reported(self, staff):
        result = run(staff, [row(seq=1, org="不存在的队")])
        assert "本社区没有名为“不存在的队”的志愿者组织" in result.errors[0].message


@pytest.mark.django_db
class TestScope:
    def test_rows_outside_the_users_scope_are_refused_like_unknown_codes(self, staff):
        result = run(
            staff, [row(seq=1), row(code="620201001001", seq=2), row(code="620102016999", seq=3)]
        )
        texts = [str(e) for e in result.errors]
        assert texts == [
            "第3行 社区代码：社区代码“620201001001”不存在或不在您的管辖范围内。",
            "第4行 社区代码：社区代码“620102016999”不存在或不在您的管辖范围内。",
        ]
        assert Volunteer.objects.count() == 0

    def test_community_staff_cannot_import_into_a_sibling_community(self, community_staff):
        result = run(community_staff, [row(code="620102016002", seq=1)])
        assert not result.ok and Volunteer.objects.count() == 0

    def test_id_number_registered_outside_the_scope_is_refused_without_saying_where(
        self, staff, admin
    ):
        run(admin, [row(code="620201001001", seq=1)])
        result = run(staff, [row(seq=1)])
        assert [str(e) for e in result.errors] == ["第2行 身份证号码：该身份证号码不能在此登记；如该志愿者已迁入本社区，请在“志愿者转移”中提交转移申请，由街道审核后转入。"]
        assert Volunteer.objects.get().community_id == "620201001001"

    def test_officials_may_not_import(self, prefecture_official, communities):
        with pytest.raises(PermissionDenied):
            run(prefecture_official, [row(seq=1)])


@pytest.mark.django_db
def test_checking_a_file_makes_no_query_per_row(staff, communities, django_assert_max_num_queries):
    """Codes, organisations and ID numbers are looked up in bulk, whatever the number of rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    VolunteerOrganization.objects.create(
        community=communities[0], name="服务队", registered_on=datetime.date(2012, 1, 1)
    )
    few = [row(seq=i, org="服务队") for i in range(1, 4)]
    many = [
        row(code=f"62010201600{1 + i % 2}", seq=i, org="服务队" if i % 2 == 0 else None)
        for i in range(1, 61)
    ]
    with CaptureQueriesContext(connection) as small:
        run(staff, few, dry_run=True)
    with django_assert_max_num_queries(len(small)):
        result = run(staff, many, dry_run=True)
    assert result.ok and result.created == 60
