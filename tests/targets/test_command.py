"""``manage.py compliance``: a readable Chinese table, or the API's JSON."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from targets.engine import compute_region
from targets.payload import region_payload
from targets.plans import current_plan
from tests.factories import make_hierarchy, make_stat

from .builders import facility

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("compliance", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def data():
    a, b = make_hierarchy(communities=2)
    make_stat(a)
    facility(community=a, area="320")
    facility(kind="centre", street=a.street, area="900")
    return a, b


def test_table_shows_every_indicator_baseline_and_children(data):
    text = run("--scope", "6201", "--year", "2015")
    assert "市6201（6201，市州）2015年社区服务体系建设达标情况" in text
    assert "十二五规划（2011—2015年）" in text
    for words in (
        "街道社区服务中心面积不低于800平方米",
        "每个社区拥有5个以上社区社会组织",
        "完成三维数字社区建设",
    ):
        assert words in text
    assert "社区服务站面积不少于300平方米" in text and "50.0%" in text  # 1 of 2 stations
    assert "基本情况" in text and "89.5%" in text
    assert "下一级（县区）达标率" in text and "县620102（620102）" in text


def test_json_is_the_api_payload(data):
    body = json.loads(run("--scope", "620102016", "--format", "json"))
    expected = region_payload(compute_region(scope_code="620102016", year=2015), current_plan())
    assert body == expected


def test_unknown_scope_and_plan_are_clear_errors(data):
    with pytest.raises(CommandError, match="未知的区划代码"):
        run("--scope", "6299")
    with pytest.raises(CommandError, match="未知的规划"):
        run("--plan", "nope")
    with pytest.raises(CommandError, match="2000至2100"):
        run("--year", "1999")


def test_a_streets_communities_are_listed_with_their_verdicts(data):
    text = run("--scope", "620102016")
    assert "各社区达标情况" in text
    a_line = next(line for line in text.splitlines() if "620102016001）" in line)
    b_line = next(line for line in text.splitlines() if "620102016002）" in line)
    # columns: community, 全部达标, 社区服务站, 每百户设施面积, …
    assert a_line.split()[1:4] == ["未达标", "达标", "达标"]  # 320 ㎡; 320 × 100 ÷ 1000 = 32
    assert b_line.split()[1:4] == ["未达标", "未达标", "缺数据"]  # no station, no statistics
