"""A script that knows only API.md loads a whole county, reads it back as that county's official,
is refused outside it, and gets the same compliance figures as the ``compliance`` command.

The county is the real 泾川县 (620821, 平凉市): one 街道, one town and nine communities, taken
from the project's hierarchy file; its records are made up but deterministic.
"""

import csv
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.factories import PASSWORD, make_user

from . import data

pytestmark = pytest.mark.django_db

COUNTY = "620821"
NEIGHBOUR = "620802"  # 崆峒区, same prefecture, used as "outside"
YEAR = 2015


def hierarchy_rows(*county_codes):
    """Read the province, prefecture, the counties, their streets and communities from fixtures/."""
    path = Path(settings.BASE_DIR) / "fixtures" / "gansu_divisions.csv"
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    wanted = {"62", COUNTY[:4]}
    return [r for r in rows if r["code"] in wanted or r["code"][:6] in county_codes]


class Script:
    """A plain HTTP client of /api/v1/, as an outside system would write it."""

    def __init__(self, username):
        self.http = APIClient()
        answer = self.http.post(
            "/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json"
        )
        assert answer.status_code == 200, answer.content
        self.http.credentials(HTTP_AUTHORIZATION=f"Token {answer.json()['token']}")

    def post(self, path, body, expect=201):
        response = self.http.post(f"/api/v1/{path}", body, format="json")
        assert response.status_code == expect, (path, body, response.content.decode())
        return response.json()

    def get(self, path, expect=200, **params):
        response = self.http.get(f"/api/v1/{path}", params)
        assert response.status_code == expect, (path, response.content.decode())
        return response.json()

    def get_all(self, path, **params):
        """Follow the pagination to the end."""
        rows, page = [], 1
        while True:
            answer = self.get(path, page=page, page_size=4, **params)
            rows += answer["results"]
            if not answer["next"]:
                return rows
            page += 1


def load_county(admin: Script) -> dict:
    """Load the county's hierarchy and a year of records; return what the script expects back."""
    rows = hierarchy_rows(COUNTY, NEIGHBOUR)
    for row in rows:
        level = row["level"]
        if level in ("province", "prefecture", "county"):
            admin.post(
                "divisions/",
                {
                    "code": row["code"],
                    "name": row["name"],
                    "level": level,
                    "parent_code": row["parent_code"] or None,
                },
            )
        elif level.startswith("street:"):
            admin.post(
                "streets/",
                {
                    "code": row["code"],
                    "name": row["name"],
                    "kind": level.split(":")[1],
                    "county_code": row["parent_code"],
                },
            )
        else:
            admin.post(
                "communities/",
                {"code": row["code"], "name": row["name"], "street_code": row["parent_code"]},
            )
    communities = [
        r["code"] for r in rows if r["level"] == "community" and r["code"].startswith(COUNTY)
    ]
    subdistricts = [
        r["code"]
        for r in rows
        if r["level"] == "street:subdistrict" and r["code"].startswith(COUNTY)
    ]
    assert len(communities) == 9 and len(subdistricts) == 1

    for street in subdistricts:
        admin.post(
            "facilities/",
            data.facility(
                kind="centre",
                community=street + "000",
                name="街道社区服务中心",
                floor_area="850.00",
            ),
        )
    serial = 0
    expected = {"stations_300": 0, "orgs_5": 0}
    for i, code in enumerate(communities):
        residents = 40 + 5 * i
        admin.post(
            "community-stats/",
            {
                "community_code": code,
                "year": YEAR,
                "households": 12 + i,
                "residents": residents,
                "party_members": 5,
                "party_members_volunteering": 4 if i % 2 else 3,
                "residents_volunteering": 12 + i,
            },
        )
        area = "300.00" if i % 3 == 0 else "280.00"
        expected["stations_300"] += area == "300.00"
        admin.post(
            "facilities/",
            data.facility(
                community=code, name=f"社区服务站{i}", floor_area=area, opened_on="2013-05-01"
            ),
        )
        if i % 2 == 0:
            admin.post(
                "facilities/",
                data.facility(
                    kind="specialized",
                    community=code,
                    name=f"日间照料中心{i}",
                    specialized_type="day_care",
                    floor_area="60.00",
                ),
            )
        org = admin.post(
            "volunteer-organizations/",
            data.volunteer_organization(community=code, name=f"志愿服务队{i}"),
        )
        for k in range(residents // 10 + (i % 2) - 1 + 1):
            serial += 1
            admin.post(
                "volunteers/",
                data.volunteer(
                    serial=serial,
                    community=code,
                    name=f"志愿者{serial}",
                    organization=org["id"] if k % 2 else None,
                    id_number=data.id_number(serial, area=COUNTY),
                ),
            )
        orgs = 4 + i % 3
        expected["orgs_5"] += orgs >= 5
        for k in range(orgs):
            admin.post(
                "social-organizations/",
                data.social_organization(community=code, name=f"社会组织{i}-{k}"),
            )
        for k, (education, qualification) in enumerate(
            [
                ("bachelor", "assistant" if i % 2 else "none"),
                ("high_school", "none"),
                ("college", "none"),
            ][: 2 + i % 2]
        ):
            admin.post(
                "workers/",
                data.worker(
                    community=code,
                    name=f"工作者{i}-{k}",
                    role="director" if k == 0 else "member",
                    education=education,
                    social_work_qualification=qualification,
                ),
            )
        if i < 4:
            response = admin.http.patch(
                f"/api/v1/communities/{code}/",
                {"digital_3d_completed_on": "2014-10-01"},
                format="json",
            )
            assert response.status_code == 200
    expected["communities"] = communities
    expected["volunteers"] = serial
    return expected


def test_a_county_loaded_through_the_api_reads_back_scoped_and_complies_as_computed(db):
    make_user("county_loader", role="admin", scope_code="62")
    make_user("jingchuan_official", role="official", scope_code=COUNTY)
    first_community = next(r["code"] for r in hierarchy_rows(COUNTY) if r["level"] == "community")
    make_user("jingchuan_staff", role="staff", scope_code=first_community)

    admin = Script("county_loader")
    expected = load_county(admin)

    official = Script("jingchuan_official")
    # Everything of the county, and nothing of the neighbour.
    codes = [row["code"] for row in official.get_all("communities/")]
    assert codes == sorted(expected["communities"])
    assert official.get("volunteers/")["count"] == expected["volunteers"]
    assert {r["code"][:6] for r in official.get_all("facilities/")} == {COUNTY}
    assert all(
        v["id_number_masked"].startswith(COUNTY) and "*" in v["id_number_masked"]
        for v in official.get_all("volunteers/")
    )
    assert official.get("community-stats/", year=YEAR)["count"] == 9
    # Outside the county: 404 for reads, 403 for writes into it, and officials do not write.
    neighbour = next(r["code"] for r in hierarchy_rows(NEIGHBOUR) if r["level"] == "community")
    official.get(f"communities/{neighbour}/", expect=404)
    official.get(f"divisions/{NEIGHBOUR}/", expect=404)
    outside_stat = admin.post("community-stats/", data.stat(community=neighbour))
    official.get(f"community-stats/{outside_stat['id']}/", expect=404)
    official.post("community-stats/", data.stat(community=neighbour, year=2014), expect=403)
    official.post(
        "community-stats/", data.stat(community=expected["communities"][0], year=2014), expect=403
    )
    staff = Script("jingchuan_staff")
    staff.post("workers/", data.worker(community=neighbour, name="越界"), expect=403)

    # The approval workflow as the county's official.
    stat = official.get("community-stats/", community_code=expected["communities"][0], year=YEAR)[
        "results"
    ][0]
    admin.post(f"community-stats/{stat['id']}/submit/", {}, expect=200)
    assert (
        official.post(f"community-stats/{stat['id']}/approve/", {}, expect=200)["status"]
        == "approved"
    )

    # Compliance: the API answers what the command computes, and a few figures by hand.
    api = official.get("compliance/", scope=COUNTY, year=YEAR)
    out = io.StringIO()
    call_command("compliance", scope=COUNTY, year=YEAR, format="json", stdout=out)
    assert api == json.loads(out.getvalue())
    by_code = {row["code"]: row for row in api["indicators"]}
    assert api["scope"]["code"] == COUNTY
    assert (
        by_code["street_centre"]["applicable"] == 1 and by_code["street_centre"]["compliant"] == 1
    )
    assert by_code["community_station"]["applicable"] == 9
    assert by_code["community_station"]["compliant"] == expected["stations_300"]
    assert by_code["social_organizations"]["compliant"] == expected["orgs_5"]
    assert by_code["digital_3d_community"]["compliant"] == 4
    streets = [r["code"] for r in hierarchy_rows(COUNTY) if r["level"].startswith("street:")]
    assert [c["code"] for c in api["children"]] == sorted(streets)
    rows = official.get_all("compliance/communities/", scope=COUNTY, year=YEAR)
    assert sorted(r["code"] for r in rows) == sorted(expected["communities"])
    official.get("compliance/", expect=404, scope=NEIGHBOUR, year=YEAR)
