"""A row with several problems reports every one of them, by row and column, and saves nothing.

A cell that cannot be read (an unknown label, a blank required cell, a formula) no longer
hides the row's other problems: the cells that were read are still checked by the model's
own validation (GB 11643 check digit, phone format, date order…).
"""

import datetime

import pytest

from communities.models import CommunityStat
from excel.importers import import_workbook
from excel.resources import COMMUNITY_STATS, FACILITIES, VOLUNTEERS
from facilities.models import Facility
from tests.excel.conftest import xlsx
from tests.excel.test_import_records import FAC, STATS, stats_row
from tests.excel.test_import_volunteers import HEADER, id_number, row
from volunteers.models import Volunteer


def wrong_check_digit(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def texts(resource, header, rows, user):
    result = import_workbook(
        resource=resource, upload=xlsx(header, rows, title=resource.title), user=user
    )
    assert not result.ok and not result.applied
    return [str(e) for e in result.errors]


@pytest.mark.django_db
class TestEveryProblemOfARow:
    def test_volunteer_row_reports_category_id_phone_and_dates_together(self, staff):
        bad = row(
            seq=1,
            cats="跳舞",
            id=wrong_check_digit(id_number(1)),
            phone="12345",
            reg=datetime.date(2015, 1, 1),
            left=datetime.date(2014, 1, 1),
        )
        found = texts(VOLUNTEERS, HEADER, [bad], staff)
        assert len(found) == 4, found
        assert "第2行 身份证号码：身份证号码校验位错误（GB 11643）。" in found
        assert any(t.startswith("第2行 联系电话：") for t in found)
        assert "第2行 退出日期：退出日期不能早于注册日期。" in found
        assert any(t.startswith("第2行 服务类别：") and "跳舞" in t for t in found)
        # In the order of the template's columns.
        assert [t.split("：")[0] for t in found] == [
            "第2行 身份证号码",
            "第2行 联系电话",
            "第2行 退出日期",
            "第2行 服务类别",
        ]
        assert Volunteer.objects.count() == 0

    def test_every_row_keeps_all_its_problems(self, staff):
        rows = [
            row(seq=1),
            row(seq=2, gender="未知", phone="12345"),
            row(seq=3, reg=None, id=wrong_check_digit(id_number(3))),
            row(seq=4, name="=1+1", left=datetime.date(2000, 1, 1)),
        ]
        found = texts(VOLUNTEERS, HEADER, rows, staff)
        assert "第3行 性别：“未知”不是有效选项，可选：男、女。" in found
        assert any(t.startswith("第3行 联系电话：") for t in found)
        assert "第4行 注册日期：必填，不能为空。" in found
        assert "第4行 身份证号码：身份证号码校验位错误（GB 11643）。" in found
        assert "第5行 姓名：不支持公式，请直接填写数值或文字。" in found
        assert "第5行 退出日期：退出日期不能早于注册日期。" in found
        assert len(found) == 6, found
        assert Volunteer.objects.count() == 0

    def test_a_cell_that_failed_is_not_reported_twice(self, staff):
        # A blank required date must not bring the model's "cannot be null" on top.
        found = texts(VOLUNTEERS, HEADER, [row(seq=1, reg=None, gender="")], staff)
        assert found == ["第2行 性别：必填，不能为空。", "第2行 注册日期：必填，不能为空。"]

    def test_a_refused_community_does_not_hide_the_rows_other_problems(self, staff):
        bad = row(code="620201001001", id=wrong_check_digit(id_number(1)), phone="12345")
        found = texts(VOLUNTEERS, HEADER, [bad], staff)
        assert found[0] == "第2行 社区代码：社区代码“620201001001”不存在或不在您的管辖范围内。"
        assert "第2行 身份证号码：身份证号码校验位错误（GB 11643）。" in found
        assert any(t.startswith("第2行 联系电话：") for t in found)
        assert len(found) == 3, found

    def test_an_unknown_organization_does_not_hide_a_bad_phone(self, staff):
        found = texts(VOLUNTEERS, HEADER, [row(seq=1, org="不存在的队", phone="12345")], staff)
        assert len(found) == 2, found
        assert found[0].startswith("第2行 联系电话：")
        assert found[1].startswith("第2行 志愿者组织：本社区没有名为“不存在的队”")

    def test_statistics_row_reports_an_unreadable_number_and_a_broken_rule(self, staff):
        bad = stats_row(households="很多", party=100, party_v=150)
        found = texts(COMMUNITY_STATS, STATS, [bad], staff)
        assert found == [
            "第2行 户数：应填写整数。",
            "第2行 参与志愿活动的党员人数：参与志愿活动的党员人数不能超过党员人数。",
        ]
        assert CommunityStat.objects.count() == 0

    def test_facility_row_reports_an_unknown_kind_with_its_other_problems(self, staff):
        bad = [
            "服务站",
            "不知道",
            None,
            None,
            "620102016001",
            -5,
            datetime.date(2015, 1, 1),
            datetime.date(2014, 1, 1),
            "新建",
            "",
            "",
        ]
        found = texts(FACILITIES, FAC, [bad], staff)
        assert any(t.startswith("第2行 设施类型：") for t in found)
        assert any(t.startswith("第2行 建筑面积（平方米）：") for t in found)
        assert "第2行 停用日期：停用日期不能早于投入使用日期。" in found
        assert Facility.objects.count() == 0
