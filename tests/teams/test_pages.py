"""The teams' entry pages: committees, projects and training plans through the one write path."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import AuditLog, User
from communities.models import Community
from teams.models import Committee, EntrustedProject, TrainingPlan
from tests.factories import make_hierarchy, make_user
from volunteers.models import VolunteerOrganization

from .world import worker

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def home():
    community, _ = make_hierarchy(communities=2)
    make_user("staff", role="staff", scope_code=community.code)
    return community


def signed_in(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def test_staff_add_a_committee_with_its_chair_and_see_it_listed(client, home):
    chair = worker(home, "王主任委员", "member")
    signed_in(client, "staff")
    url = reverse("committee-create", args=[home.code])
    answer = client.post(
        url, {"kind": "mediation", "chair": chair.pk, "established_on": "2013-04-01"}
    )
    assert answer.status_code == 302
    committee = Committee.objects.get()
    assert (committee.kind, committee.chair, committee.version) == ("mediation", chair, 1)
    assert committee.history.count() == 1
    assert AuditLog.objects.filter(action="record_add").exists()
    page = client.get(reverse("teams-community", args=[home.code]) + "?year=2015").content.decode()
    assert "人民调解委员会" in page and "王主任委员" in page
    history = client.get(reverse("record-history", args=["committee", committee.pk]))
    assert history.status_code == 200


def test_the_project_form_offers_only_the_communitys_organisations(client, home):
    own = VolunteerOrganization.objects.create(
        community=home, name="本社区服务队", registered_on=D(2012, 1, 1)
    )
    other = VolunteerOrganization.objects.create(
        community=Community.objects.exclude(pk=home.pk).get(),
        name="邻社区服务队",
        registered_on=D(2012, 1, 1),
    )
    signed_in(client, "staff")
    url = reverse("entrusted-project-create", args=[home.code])
    page = client.get(url).content.decode()
    assert "本社区服务队" in page and "邻社区服务队" not in page
    body = {
        "organization": other.pk,
        "name": "助老",
        "service_line": "social_security",
        "starts_on": "2015-01-01",
        "funding_wan_yuan": "1.00",
        "target_beneficiaries": "10",
        "achieved_beneficiaries": "8",
        "rating": "",
    }
    refused = client.post(url, body)
    assert refused.status_code == 200 and not EntrustedProject.objects.exists()
    body["organization"] = own.pk
    assert client.post(url, body).status_code == 302
    project = EntrustedProject.objects.get()
    assert project.code == home.code


def test_staff_set_the_number_of_residents_groups(client, home):
    signed_in(client, "staff")
    answer = client.post(reverse("community-edit", args=[home.code]), {"resident_groups": "4"})
    assert answer.status_code == 302
    home.refresh_from_db()
    assert home.resident_groups == 4


def test_only_administrators_add_training_plans(client, home):
    signed_in(client, "staff")
    assert client.get(reverse("training-plan-create")).status_code == 403
    make_user("admin", role="admin", scope_code="62")
    signed_in(client, "admin")
    body = {
        "region_code": "6201",
        "year": "2015",
        "courses": "3",
        "hours_per_worker": "24",
        "share_to_train": "0.8",
    }
    assert client.post(reverse("training-plan-create"), body).status_code == 302
    again = client.post(reverse("training-plan-create"), body)
    assert "该区划该年度已有培训计划。" in again.content.decode()
    body["region_code"] = "6299"
    unknown = client.post(reverse("training-plan-create"), body)
    assert "区划代码应为已登记的省、市州、县区或街道代码。" in unknown.content.decode()
    assert TrainingPlan.objects.count() == 1
