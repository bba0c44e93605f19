"""The pages: registration, queue (overdue first), a request's page, 回访, dashboard, Excel."""

import datetime
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from casework import calendar
from casework import services as s
from casework.models import Case

pytestmark = pytest.mark.django_db
D = datetime.date


def login(user):
    client = Client()
    client.force_login(user)
    return client


def test_register_page_gives_the_number_at_once(community, users):
    client = login(users["desk"])
    assert client.get("/casework/new/").status_code == 200
    response = client.post(
        "/casework/new/",
        {
            "community": community.code,
            "category": "help",
            "channel": "phone",
            "description": "路灯不亮",
            "resident_name": "赵六",
            "resident_phone": "13700001111",
            "address": "五号楼",
            "accepted_on": "2015-09-30",
        },
        follow=True,
    )
    case = Case.objects.get()
    assert case.number == f"{community.code}20150930001"
    page = response.content.decode()
    assert case.number in page and "2015年10月13日" in page
    assert "赵*" in page and "137****1111" in page and "13700001111" not in page


def test_register_page_refuses_a_community_outside(community, users, place):
    client = login(users["neighbour"])
    response = client.post(
        "/casework/new/",
        {
            "community": community.code,
            "category": "help",
            "channel": "phone",
            "description": "x",
            "resident_name": "赵六",
            "accepted_on": "2015-09-30",
        },
    )
    assert response.status_code == 200  # not among the choices: a form error
    assert not Case.objects.exists()


def test_queue_puts_overdue_first(register, units, users):
    late = register(accepted_on=D(2015, 1, 5))
    fresh = register(accepted_on=calendar.today())
    for case in (late, fresh):
        s.case_dispatch(case=case, user=users["desk"], unit=units["street"])
    client = login(users["street_staff"])
    page = client.get("/casework/queue/?tab=todo").content.decode()
    assert page.index(late.number) < page.index(fresh.number)
    assert "已超期" in page
    page = client.get("/casework/queue/?tab=late").content.decode()
    assert late.number in page and fresh.number not in page


def test_case_page_steps_and_timeline(register, units, users):
    case = register()
    desk = login(users["desk"])
    page = desk.get(f"/casework/cases/{case.pk}/").content.decode()
    assert "分派" in page and "受理" in page
    r = desk.post(
        f"/casework/cases/{case.pk}/dispatch/",
        {"handling_unit": units["street"].pk, "version": case.version},
    )
    assert r.status_code == 302
    street = login(users["street_staff"])
    street.post(f"/casework/cases/{case.pk}/accept/", {})
    street.post(f"/casework/cases/{case.pk}/resolve/", {"resolution": "已修复"})
    assert desk.get(f"/casework/cases/{case.pk}/rate/").status_code == 200
    desk.post(f"/casework/cases/{case.pk}/rate/", {"satisfaction": "satisfied"})
    case.refresh_from_db()
    assert case.status == "closed"
    page = desk.get(f"/casework/cases/{case.pk}/").content.decode()
    for word in ("受理", "分派", "签收", "办结", "回访"):
        assert word in page
    # Wrong unit: 403 page; GET on a step: 405; outside: 404.
    assert desk.post(f"/casework/cases/{case.pk}/urge/", {}).status_code == 403
    assert desk.get(f"/casework/cases/{case.pk}/accept/").status_code == 405
    assert login(users["other_pref"]).get(f"/casework/cases/{case.pk}/").status_code == 404


def test_dashboard(register, users, community):
    register(accepted_on=D(2015, 3, 2))
    client = login(users["county_official"])
    response = client.get("/casework/dashboard/620102/?year=2015")
    assert response.status_code == 200
    page = response.content.decode()
    assert "民情流水线" in page and "cw-chart-data" in page and "超期未办结" in page
    assert client.get("/casework/dashboard/6202/").status_code == 404
    assert client.get("/casework/").status_code == 302


def test_export_is_masked_by_default(register, users):
    register(accepted_on=D(2015, 3, 2), resident_name="王小明", resident_phone="13812345678")
    client = login(users["county_official"])
    response = client.get("/casework/export.xlsx?scope=620102&year=2015")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = [c for row in wb["民情诉求"].iter_rows(values_only=True) for c in row]
    assert "王**" in values and "138****5678" in values and "13812345678" not in values
    template = client.get("/casework/template.xlsx")
    assert template.status_code == 200


def _template_with(rows):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "社区代码*",
            "类别*",
            "受理渠道*",
            "诉求内容*",
            "居民姓名*",
            "联系电话",
            "地址",
            "受理日期*",
        ]
    )
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "诉求.xlsx"
    return out


def test_import_is_all_or_nothing(community, users):
    client = login(users["desk"])
    good = [
        community.code,
        "求助",
        "电话受理",
        "路灯坏了",
        "张三",
        "13800001111",
        "一号楼",
        "2015-09-30",
    ]
    bad = [community.code, "闲聊", "电话受理", "x", "李四", "", "", "2015-09-30"]
    page = client.post("/casework/import/", {"file": _template_with([good, bad])}).content.decode()
    assert "第 3 行“类别”" in page
    assert not Case.objects.exists()
    response = client.post("/casework/import/", {"file": _template_with([good, good])})
    assert response.status_code == 302
    numbers = sorted(Case.objects.values_list("number", flat=True))
    assert numbers == [f"{community.code}20150930001", f"{community.code}20150930002"]
