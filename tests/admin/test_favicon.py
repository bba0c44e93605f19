"""The Django admin names the portal's icon, so browsers do not ask for a missing /favicon.ico."""

from django.templatetags.static import static
from django.urls import reverse


def test_admin_pages_link_the_portal_icon(world, login):
    client = login("admin")
    icon = static("img/favicon.svg")
    for url in (
        reverse("admin:index"),
        reverse("admin:volunteers_volunteer_changelist"),
        reverse("admin:login"),
    ):
        html = client.get(url, follow=True).content.decode()
        assert f'<link rel="icon" href="{icon}"' in html, url


def test_admin_keeps_its_chinese_title_and_header(world, login):
    html = login("admin").get(reverse("admin:index")).content.decode()
    assert "<title>数据管理 | 甘肃省社区服务体系建设管理平台</title>" in html
    assert ">甘肃省社区服务体系建设管理平台</a>" in html
