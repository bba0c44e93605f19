"""No lost work when the session ends: htmx gets a 401 notice, a posted form is kept through
the login and comes back once, the keep-alive renews the session."""

import pytest
from django.urls import reverse

from core.sessions import EXPIRED_MESSAGE, PENDING_FORM
from tests.entry_data import EntryWorld
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

STAT = {
    "year": "2015",
    "households": "900",
    "residents": "2500",
    "party_members": "120",
    "party_members_volunteering": "100",
    "residents_volunteering": "800",
}


@pytest.fixture
def world():
    return EntryWorld()


def test_an_htmx_request_after_expiry_answers_401_not_the_login_page(client, world):
    response = client.get(
        "/dashboard/62/chart/?indicator=street_centre",
        headers={
            "HX-Request": "true",
            "HX-Current-URL": "http://testserver/dashboard/6201/?year=2015",
        },
    )
    assert response.status_code == 401
    assert response.content.decode() == EXPIRED_MESSAGE
    assert response["X-Login-URL"] == "/login/?next=%2Fdashboard%2F6201%2F%3Fyear%3D2015"
    assert "id_password" not in response.content.decode()


def test_a_form_posted_after_expiry_comes_back_filled_in_after_the_login(client, world):
    url = reverse("stat-create", args=[world.home.code])
    response = client.post(url, {**STAT, "csrfmiddlewaretoken": "stale"})
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={url.replace('/', '%2F')}"
    assert not world.home.stats.exists()

    client.post("/login/", {"username": world.staff.username, "password": PASSWORD})
    kept = client.get(url).context["pending_form"]
    assert dict(kept) == STAT  # every field, no CSRF token
    assert PENDING_FORM not in client.session
    assert "pending_form" not in client.get(url).context  # only once


def test_kept_fields_wait_only_for_the_page_they_came_from(client, world):
    url = reverse("stat-create", args=[world.home.code])
    client.post(url, STAT)
    client.post("/login/", {"username": world.staff.username, "password": PASSWORD})
    assert (
        "pending_form"
        not in client.get(reverse("community-detail", args=[world.home.code])).context
    )


def test_the_keep_alive_renews_a_live_session_and_refuses_an_ended_one(client, world):
    assert client.get(reverse("session-keep-alive")).status_code == 302
    client.force_login(world.staff)
    assert client.get(reverse("session-keep-alive")).status_code == 204


def test_pages_carry_the_idle_timeout_for_the_warning(client, world, settings):
    settings.SESSION_COOKIE_AGE = 600
    settings.SESSION_WARNING_SECONDS = 90
    client.force_login(world.staff)
    html = client.get(reverse("community-detail", args=[world.home.code])).content.decode()
    assert 'data-session-seconds="600"' in html and 'data-session-warning-seconds="90"' in html
    assert 'data-testid="session-warning"' in html
