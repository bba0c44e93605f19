"""Every validation rule of API.md answers 400 keyed by the API field, and saves nothing."""

import pytest

from communities.models import Community, CommunityStat
from facilities.models import Facility
from streets.models import Division, Street
from volunteers.models import Volunteer, VolunteerOrganization
from workforce.models import Worker

from . import data
from .conftest import INSIDE, INSIDE_2, OUTSIDE

pytestmark = pytest.mark.django_db


def post_refused(client, path, body, field, model):
    """POST ``body``, expect 400 with ``field`` among the error keys and no new row."""
    before = model.objects.count()
    response = client.post(f"/api/v1/{path}/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert all(isinstance(m, str) for m in response.json()[field])
    assert model.objects.count() == before
    return response.json()[field]


class TestCodes:
    def test_community_code_of_wrong_length(self, admin_client):
        post_refused(
            admin_client,
            "communities",
            {"code": "62010201600", "name": "短", "street_code": "620102016"},
            "code",
            Community,
        )

    def test_community_code_not_under_its_street(self, admin_client):
        messages = post_refused(
            admin_client,
            "communities",
            {"code": "620102017009", "name": "错", "street_code": "620102016"},
            "code",
            Community,
        )
        assert "620102016" in messages[0]

    def test_street_code_not_under_its_county(self, admin_client):
        post_refused(
            admin_client,
            "streets",
            {"code": "620201555", "name": "错", "kind": "town", "county_code": "620102"},
            "code",
            Street,
        )

    def test_street_under_a_prefecture_is_refused(self, admin_client):
        post_refused(
            admin_client,
            "streets",
            {"code": "620100555", "name": "错", "kind": "town", "county_code": "6201"},
            "county_code",
            Street,
        )

    def test_county_code_not_under_its_prefecture(self, admin_client):
        post_refused(
            admin_client,
            "divisions",
            {"code": "620299", "name": "错", "level": "county", "parent_code": "6201"},
            "code",
            Division,
        )

    def test_unknown_parent_code_is_a_bad_request(self, admin_client):
        post_refused(
            admin_client,
            "community-stats",
            data.stat(community="620102016999"),
            "community_code",
            CommunityStat,
        )

    def test_existing_code_is_refused(self, admin_client):
        post_refused(
            admin_client,
            "communities",
            {"code": INSIDE, "name": "重", "street_code": "620102016"},
            "code",
            Community,
        )

    def test_code_cannot_be_changed(self, admin_client):
        response = admin_client.patch(
            f"/api/v1/communities/{INSIDE}/", {"code": "620102016077"}, format="json"
        )
        assert response.status_code == 400
        assert "code" in response.json()
        assert Community.objects.filter(code=INSIDE).exists()


class TestFacilities:
    def test_station_without_community(self, admin_client):
        post_refused(
            admin_client,
            "facilities",
            data.facility(community_code=None),
            "community_code",
            Facility,
        )

    def test_specialized_without_community(self, admin_client):
        body = data.facility(kind="specialized", community_code=None, specialized_type="day_care")
        post_refused(admin_client, "facilities", body, "community_code", Facility)

    def test_centre_without_street(self, admin_client):
        post_refused(
            admin_client,
            "facilities",
            data.facility(kind="centre", street_code=None),
            "street_code",
            Facility,
        )

    @pytest.mark.parametrize("area", ["0", "-5", "0.00", "100000.01", "99999999"])
    def test_floor_area_out_of_range(self, admin_client, area):
        post_refused(
            admin_client, "facilities", data.facility(floor_area=area), "floor_area", Facility
        )

    def test_floor_area_of_exactly_100000_is_accepted(self, admin_client):
        response = admin_client.post(
            "/api/v1/facilities/", data.facility(floor_area="100000"), format="json"
        )
        assert response.status_code == 201, response.content
        assert response.json()["floor_area"] == "100000.00"

    def test_closed_before_opened(self, admin_client):
        body = data.facility(opened_on="2014-01-01", closed_on="2013-12-31")
        post_refused(admin_client, "facilities", body, "closed_on", Facility)

    def test_unknown_service_code(self, admin_client):
        post_refused(
            admin_client, "facilities", data.facility(services=["karaoke"]), "services", Facility
        )


class TestStats:
    @pytest.mark.parametrize(
        "field",
        [
            "households",
            "residents",
            "party_members",
            "party_members_volunteering",
            "residents_volunteering",
        ],
    )
    def test_negative_count(self, admin_client, field):
        post_refused(
            admin_client, "community-stats", data.stat(**{field: -1}), field, CommunityStat
        )

    def test_party_members_volunteering_over_party_members(self, admin_client):
        body = data.stat(party_members=100, party_members_volunteering=101)
        post_refused(
            admin_client, "community-stats", body, "party_members_volunteering", CommunityStat
        )

    def test_residents_volunteering_over_residents(self, admin_client):
        body = data.stat(residents=2800, residents_volunteering=2801)
        post_refused(admin_client, "community-stats", body, "residents_volunteering", CommunityStat)

    def test_party_members_over_residents(self, admin_client):
        body = data.stat(
            residents=50,
            households=20,
            party_members=51,
            party_members_volunteering=0,
            residents_volunteering=0,
        )
        post_refused(admin_client, "community-stats", body, "party_members", CommunityStat)

    def test_second_row_for_the_same_community_and_year(self, admin_client):
        assert (
            admin_client.post("/api/v1/community-stats/", data.stat(), format="json").status_code
            == 201
        )
        messages = post_refused(
            admin_client,
            "community-stats",
            data.stat(households=900),
            "non_field_errors",
            CommunityStat,
        )
        assert "已存在" in messages[0]

    def test_same_year_in_another_community_is_fine(self, admin_client):
        assert (
            admin_client.post("/api/v1/community-stats/", data.stat(), format="json").status_code
            == 201
        )
        assert (
            admin_client.post(
                "/api/v1/community-stats/", data.stat(community=INSIDE_2), format="json"
            ).status_code
            == 201
        )

    def test_year_outside_2000_to_2100(self, admin_client):
        post_refused(admin_client, "community-stats", data.stat(year=1999), "year", CommunityStat)


class TestVolunteers:
    def test_id_number_with_a_wrong_check_digit(self, admin_client):
        good = data.id_number(7)
        bad = good[:17] + ("0" if good[17] != "0" else "1")
        messages = post_refused(
            admin_client, "volunteers", data.volunteer(id_number=bad), "id_number", Volunteer
        )
        assert "校验" in messages[0]

    def test_id_number_with_an_impossible_birth_date(self, admin_client):
        body = data.volunteer(id_number=data.id_number(1, birth="19850231"))
        post_refused(admin_client, "volunteers", body, "id_number", Volunteer)

    def test_duplicate_id_number_anywhere_in_the_province(self, admin_client):
        assert (
            admin_client.post(
                "/api/v1/volunteers/", data.volunteer(serial=3), format="json"
            ).status_code
            == 201
        )
        body = data.volunteer(serial=3, community=OUTSIDE, name="王五")
        messages = post_refused(admin_client, "volunteers", body, "id_number", Volunteer)
        assert "不能在此登记" in messages[0]

    def test_duplicate_id_number_with_a_lower_case_x_is_still_a_duplicate(self, admin_client):
        serial = next(s for s in range(1000) if data.id_number(s).endswith("X"))
        assert (
            admin_client.post(
                "/api/v1/volunteers/", data.volunteer(serial=serial), format="json"
            ).status_code
            == 201
        )
        body = data.volunteer(id_number=data.id_number(serial).lower(), name="王五")
        post_refused(admin_client, "volunteers", body, "id_number", Volunteer)

    def test_id_number_is_required_on_create(self, admin_client):
        body = data.volunteer()
        del body["id_number"]
        post_refused(admin_client, "volunteers", body, "id_number", Volunteer)

    def test_left_before_registered(self, admin_client):
        body = data.volunteer(registered_on="2013-03-05", left_on="2013-03-04")
        post_refused(admin_client, "volunteers", body, "left_on", Volunteer)

    def test_bad_phone(self, admin_client):
        post_refused(admin_client, "volunteers", data.volunteer(phone="12345"), "phone", Volunteer)

    def test_service_categories_must_be_a_list_of_codes(self, admin_client):
        post_refused(
            admin_client,
            "volunteers",
            data.volunteer(service_categories="elderly"),
            "service_categories",
            Volunteer,
        )
        post_refused(
            admin_client,
            "volunteers",
            data.volunteer(service_categories=["flying"]),
            "service_categories",
            Volunteer,
        )

    def test_organization_of_another_community(self, admin_client):
        other = admin_client.post(
            "/api/v1/volunteer-organizations/",
            data.volunteer_organization(community=INSIDE_2),
            format="json",
        ).json()
        body = data.volunteer(organization=other["id"])
        post_refused(admin_client, "volunteers", body, "organization", Volunteer)

    def test_unknown_organization(self, admin_client):
        post_refused(
            admin_client,
            "volunteers",
            data.volunteer(organization=987654),
            "organization",
            Volunteer,
        )


class TestOrganisationsAndWorkers:
    def test_volunteer_organization_dissolved_before_registered(self, admin_client):
        body = data.volunteer_organization(registered_on="2012-01-01", dissolved_on="2011-12-31")
        post_refused(
            admin_client, "volunteer-organizations", body, "dissolved_on", VolunteerOrganization
        )

    def test_social_organization_with_unknown_category(self, admin_client):
        from communities.models import SocialOrganization

        post_refused(
            admin_client,
            "social-organizations",
            data.social_organization(category="bogus"),
            "category",
            SocialOrganization,
        )

    def test_worker_left_before_hired(self, admin_client):
        body = data.worker(hired_on="2011-09-01", left_on="2011-08-31")
        post_refused(admin_client, "workers", body, "left_on", Worker)

    def test_worker_with_unknown_role(self, admin_client):
        post_refused(admin_client, "workers", data.worker(role="mayor"), "role", Worker)

    def test_duplicate_worker_name_in_a_community(self, admin_client):
        assert (
            admin_client.post("/api/v1/workers/", data.worker(), format="json").status_code == 201
        )
        post_refused(
            admin_client, "workers", data.worker(role="member"), "non_field_errors", Worker
        )


class TestUpdatesValidateToo:
    def test_patch_breaking_a_rule_changes_nothing(self, admin_client):
        created = admin_client.post("/api/v1/community-stats/", data.stat(), format="json").json()
        response = admin_client.patch(
            f"/api/v1/community-stats/{created['id']}/",
            {"party_members_volunteering": 5000},
            format="json",
        )
        assert response.status_code == 400
        assert "party_members_volunteering" in response.json()
        row = CommunityStat.objects.get(pk=created["id"])
        assert (row.party_members_volunteering, row.version) == (80, 1)


def test_messages_are_chinese_by_default_and_english_on_request(admin_client):
    body = data.stat(households="many")
    zh = admin_client.post("/api/v1/community-stats/", body, format="json")
    en = admin_client.post(
        "/api/v1/community-stats/", body, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert zh.status_code == en.status_code == 400
    assert zh.json()["households"] == ["请填写合法的整数值。"]
    assert en.json()["households"] == ["A valid integer is required."]
