"""Breadcrumbs keep the year the official was looking at.

An official who picks 2012 on the dashboard and drills down to a community expects the
breadcrumbs to lead back to the 2012 dashboards, not to the default target year.
"""

import pytest
from django.urls import reverse

from tests.entry_data import EntryWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return EntryWorld()


def crumb_links(html: str) -> list[str]:
    nav = html.split('class="breadcrumb', 1)[1].split("</ol>", 1)[0]
    return [part.split('"', 1)[0] for part in nav.split('href="')[1:]]


def test_community_page_breadcrumbs_keep_the_chosen_year(client, world):
    client.force_login(world.admin)
    html = client.get(reverse("community-detail", args=[world.home.code]), {"year": 2012})
    links = crumb_links(html.content.decode())
    assert links, "the community page has breadcrumbs"
    assert all(link.endswith("?year=2012") for link in links), links


def test_community_page_breadcrumbs_without_a_year_stay_plain(client, world):
    client.force_login(world.admin)
    html = client.get(reverse("community-detail", args=[world.home.code]))
    assert all("year=" not in link for link in crumb_links(html.content.decode()))


def test_street_page_breadcrumbs_keep_the_chosen_year(client, world):
    client.force_login(world.prefecture_official)
    street = world.home.street_id
    html = client.get(reverse("street-communities", args=[street]), {"year": 2013})
    links = crumb_links(html.content.decode())
    assert links
    assert all(link.endswith("?year=2013") for link in links), links


def test_a_junk_year_is_not_echoed_into_the_links(client, world):
    client.force_login(world.admin)
    html = client.get(reverse("community-detail", args=[world.home.code]), {"year": "<x>"})
    assert all("year=" not in link for link in crumb_links(html.content.decode()))
