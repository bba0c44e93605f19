"""Imports of statistics, facilities, organisations and workers: natural keys, approval lock, scope."""

import datetime
from decimal import Decimal

import pytest

from communities.models import CommunityStat, SocialOrganization
from excel.importers import import_workbook
from excel.resources import (
    COMMUNITY_STATS,
    FACILITIES,
    SOCIAL_ORGANIZATIONS,
    WORKERS,
)
from facilities.models import Facility
from tests.excel.conftest import xlsx
from tests.factories import make_stat
from workforce.models import Worker

STATS = [
    "社区代码*",
    "社区名称",
    "年度*",
    "户数*",
    "常住居民人数*",
    "党员人数*",
    "参与志愿活动的党员人数*",
    "参与志愿活动的居民人数*",
]
FAC = [
    "设施名称*",
    "设施类型*",
    "专项设施类别",
    "所属街道代码",
    "所属社区代码",
    "建筑面积（平方米）*",
    "投入使用日期",
    "停用日期",
    "建设方式*",
    "地址",
    "一站式服务项目",
]


def stats_row(
    code="620102016001",
    year=2015,
    households=1000,
    residents=2800,
    party=100,
    party_v=80,
    res_v=840,
):
    return [code, "", year, households, residents, party, party_v, res_v]


def run(resource, header, rows, user):
    return import_workbook(
        resource=resource, upload=xlsx(header, rows, title=resource.title), user=user
    )


@pytest.mark.django_db
class TestStats:
    def test_new_rows_are_drafts_and_existing_ones_update_by_community_and_year(
        self, staff, communities
    ):
        existing = make_stat(communities[0], 2014)
        result = run(
            COMMUNITY_STATS,
            STATS,
            [stats_row(year=2014, households=1100), stats_row(year=2015)],
            staff,
        )
        assert (result.created, result.updated) == (1, 1)
        existing.refresh_from_db()
        assert existing.households == 1100 and existing.version == 2
        assert CommunityStat.objects.get(year=2015).status == "draft"

    def test_model_rules_are_reported_in_chinese_for_every_row(self, staff, communities):
        rows = [
            stats_row(party=100, party_v=120),
            stats_row(year=2013, residents=50, households=60, party=10, party_v=1, res_v=1),
            stats_row(year="二〇一五"),
            stats_row(year=2014, households=-3),
        ]
        result = run(COMMUNITY_STATS, STATS, rows, staff)
        texts = [str(e) for e in result.errors]
        assert "第2行 参与志愿活动的党员人数：参与志愿活动的党员人数不能超过党员人数。" in texts
        assert "第3行 户数：户数不能超过常住居民人数。" in texts
        assert "第4行 年度：应填写四位年份，如 2015。" in texts
        assert "第5行 户数：不能为负数。" in texts
        assert CommunityStat.objects.count() == 0

    def test_staff_cannot_overwrite_approved_statistics_but_an_identical_row_is_fine(
        self, staff, communities
    ):
        make_stat(communities[0], 2015, status="approved")
        same = run(COMMUNITY_STATS, STATS, [stats_row()], staff)
        assert same.ok and same.unchanged == 1
        changed = run(COMMUNITY_STATS, STATS, [stats_row(households=999)], staff)
        assert [str(e) for e in changed.errors] == [
            "第2行 整行：2015年统计已审核，不能通过导入修改；如需修改请联系上级退回。"
        ]
        assert CommunityStat.objects.get().households == 1000

    def test_an_administrator_may_correct_approved_statistics(self, admin, communities):
        make_stat(communities[0], 2015, status="approved")
        result = run(COMMUNITY_STATS, STATS, [stats_row(households=999)], admin)
        assert result.updated == 1
        stat = CommunityStat.objects.get()
        assert stat.households == 999 and stat.status == "approved"
        assert stat.history.first().history_user == admin


@pytest.mark.django_db
class TestFacilities:
    def test_centre_by_street_and_station_by_community(self, staff, communities):
        rows = [
            [
                "街道服务中心",
                "街道社区服务中心",
                None,
                "620102016",
                None,
                812.5,
                datetime.date(2012, 1, 1),
                None,
                "新建",
                "中山路1号",
                "劳动就业、社会保险",
            ],
            [
                "服务站",
                "社区服务站",
                None,
                None,
                "620102016001",
                "300",
                "2013-06-01",
                None,
                "购置",
                None,
                None,
            ],
        ]
        result = run(FACILITIES, FAC, rows, staff)
        assert result.ok, [str(e) for e in result.errors]
        centre = Facility.objects.get(kind="centre")
        assert centre.code == "620102016" and centre.floor_area == Decimal("812.50")
        assert centre.services == ["employment", "social_insurance"]
        station = Facility.objects.get(kind="station")
        assert station.code == "620102016001" and station.construction_mode == "purchase"
        again = run(FACILITIES, FAC, [rows[0][:5] + [900] + rows[0][6:], rows[1]], staff)
        assert (again.updated, again.unchanged) == (1, 1)
        centre.refresh_from_db()
        assert centre.floor_area == Decimal("900.00") and centre.version == 2

    def test_model_rules_name_the_right_column(self, staff, communities):
        rows = [
            ["中心", "街道社区服务中心", None, None, None, 900, None, None, "新建", None, None],
            ["站", "社区服务站", None, None, "620102016001", 0, None, None, "新建", None, None],
            [
                "站2",
                "社区服务站",
                None,
                None,
                "620102016001",
                300,
                "2015-01-01",
                "2014-01-01",
                "新建",
                None,
                "跳舞",
            ],
        ]
        texts = [str(e) for e in run(FACILITIES, FAC, rows, staff).errors]
        assert "第2行 所属街道代码：街道社区服务中心必须指定所属街道。" in texts
        assert "第3行 建筑面积（平方米）：建筑面积必须大于0平方米。" in texts
        assert (
            "第4行 一站式服务项目：“跳舞”不是有效选项，可选：劳动就业、社会保险、社会救助、社会治安、社会保障、卫生计生、文化教育体育、流动人口管理。"
            in texts
        )

    def test_community_staff_cannot_import_their_streets_centre(self, community_staff):
        rows = [
            [
                "中心",
                "街道社区服务中心",
                None,
                "620102016",
                None,
                900,
                None,
                None,
                "新建",
                None,
                None,
            ]
        ]
        result = run(FACILITIES, FAC, rows, community_staff)
        assert [str(e) for e in result.errors] == [
            "第2行 所属街道代码：街道代码“620102016”不存在或不在您的管辖范围内。"
        ]
        assert Facility.objects.count() == 0


@pytest.mark.django_db
class TestOrganisationsAndWorkers:
    def test_social_organisations_update_by_community_and_name(self, staff, communities):
        header = ["社区代码*", "社区名称", "组织名称*", "类别*", "成立（登记）日期*", "注销日期"]
        run(
            SOCIAL_ORGANIZATIONS,
            header,
            [["620102016001", "", "舞蹈队", "文体娱乐类", "2012-01-01", None]],
            staff,
        )
        result = run(
            SOCIAL_ORGANIZATIONS,
            header,
            [["620102016001", "", "舞蹈队", "文体娱乐类", "2012-01-01", "2015-12-31"]],
            staff,
        )
        assert result.updated == 1
        assert SocialOrganization.objects.get().dissolved_on == datetime.date(2015, 12, 31)

    def test_workers_with_defaults_for_blank_optional_columns(self, staff, communities):
        header = [
            "社区代码*",
            "社区名称",
            "姓名*",
            "性别*",
            "职务*",
            "学历*",
            "社会工作者职业资格",
            "产生方式",
            "任职日期*",
            "离职日期",
        ]
        rows = [
            ["620102016001", "", "王芳", "女", "党组织书记", "本科", None, None, "2011-03-01", None]
        ]
        assert run(WORKERS, header, rows, staff).ok
        worker = Worker.objects.get()
        assert (
            worker.role,
            worker.education,
            worker.social_work_qualification,
            worker.recruitment,
        ) == ("secretary", "bachelor", "none", "hiring")
        assert worker.history.count() == 1
