"""Service standards: the catalogue, the self-check and its review, the measures per scope."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from core.services import record_save
from facilities.models import ServiceItem
from standards.measures import standards_summary
from standards.models import CheckStatus, ServiceStandard, StandardCheck
from standards.services import check_return, check_review, check_submit
from tests.factories import make_facility, make_hierarchy, make_user
from tests.teams.world import ensure_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def catalogue(db):
    ensure_catalogue()


def test_the_catalogue_covers_the_eight_service_lines_with_hyphenated_codes():
    lines = set(ServiceStandard.objects.values_list("service_line", flat=True))
    assert lines == set(ServiceItem.values)
    assert ServiceStandard.objects.count() == 24
    for code in ServiceStandard.objects.values_list("code", flat=True):
        assert "-" in code and code == code.lower()
    bad = ServiceStandard(
        code="Bad_Code",
        service_line="employment",
        name="x",
        content="x",
        standard="x",
        check_method="x",
    )
    with pytest.raises(ValidationError):
        bad.full_clean()


def check(facility, code, result="meets", year=2015, **extra):
    return StandardCheck.objects.create(
        facility=facility, standard_id=code, year=year, result=result, **extra
    )


def test_only_stations_and_centres_check_themselves():
    (community,) = make_hierarchy()
    specialized = make_facility(kind="specialized", community=community, specialized_type="library")
    row = StandardCheck(
        facility=specialized, standard_id="employment-01", year=2015, result="meets"
    )
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert "facility" in error.value.message_dict


def test_the_street_reviews_and_returns_staff_cannot():
    (community,) = make_hierarchy()
    station = make_facility(community=community)
    staff = make_user("s1", role="staff", scope_code=community.code)
    official = make_user("o1", role="official", scope_code="620102016")
    row = record_save(
        instance=StandardCheck(
            facility=station, standard_id="employment-01", year=2015, result="partly"
        ),
        user=staff,
    )
    assert row.status == CheckStatus.SUBMITTED
    with pytest.raises(PermissionDenied):
        check_review(check=row, user=staff)
    returned = check_return(check=row, user=official, note="请补充照片")
    assert (returned.status, returned.review_note, returned.reviewed_by) == (
        "returned",
        "请补充照片",
        official,
    )
    with pytest.raises(ValidationError):
        check_return(check=returned, user=official, note="")
    again = check_submit(check=returned, user=staff, expected_version=returned.version)
    reviewed = check_review(check=again, user=official)
    assert reviewed.status == CheckStatus.REVIEWED
    # Reviewed: staff no longer change it.
    reviewed.result = "meets"
    with pytest.raises(PermissionDenied):
        record_save(instance=reviewed, user=staff)


def test_measures_against_hand_counts_in_five_queries(django_assert_num_queries):
    a, b = make_hierarchy(communities=2)
    station_a = make_facility(community=a, name="甲站")
    station_b = make_facility(community=b, name="乙站")
    centre = make_facility(kind="centre", street=a.street, name="中心")
    make_facility(community=b, name="未开放", opened=datetime.date(2016, 1, 1))
    make_facility(kind="specialized", community=a, specialized_type="library")
    # Station A: the three employment items (2 meet) and one social-insurance item (meets).
    check(station_a, "employment-01")
    check(station_a, "employment-02")
    check(station_a, "employment-03", "not_met")
    check(station_a, "social-insurance-01")
    # Station B: one item, partly; the centre: two items, one meets. A 2014 check does not count.
    check(station_b, "employment-01", "partly")
    check(centre, "social-assistance-01")
    check(centre, "social-assistance-02", "not_met")
    check(station_b, "employment-02", year=2014)
    with django_assert_num_queries(5):  # catalogue, facilities, checks, child units, stations
        summary = standards_summary("620102016", 2015)
    total = summary.scope
    assert (total.facilities, total.stations, total.catalogue) == (3, 2, 24)
    assert (total.provided, total.meets, total.partly, total.not_met) == (7, 4, 1, 2)
    assert str(total.coverage) == "0.0972"  # 7 / (3 × 24)
    assert str(total.meeting_share) == "0.5714"  # 4 / 7
    children = {row.code: row for row in summary.children}
    assert (children[a.code].facilities, children[a.code].provided) == (1, 4)
    assert (children[b.code].facilities, children[b.code].provided) == (1, 1)
    employment = next(line for line in summary.lines if line["code"] == "employment")
    assert (employment["items"], employment["provided"], employment["meets"]) == (3, 4, 2)
    missing = {item["facility"].name: item["lines"] for item in summary.missing_lines}
    assert set(missing) == {"甲站", "乙站"}
    assert len(missing["甲站"]) == 6 and "employment" not in missing["甲站"]
    assert "social_insurance" not in missing["甲站"]
    assert len(missing["乙站"]) == 7


def test_the_self_check_form_saves_a_file(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (community,) = make_hierarchy()
    station = make_facility(community=community)
    make_user("s1", role="staff", scope_code=community.code)
    client.force_login(User.objects.get(username="s1"))
    url = reverse("standard-check-create", args=[station.pk])
    page = client.get(url + "?standard=employment-01&year=2015")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()
    photo = SimpleUploadedFile("公示栏.png", b"\x89PNG\r\n\x1a\nfake", content_type="image/png")
    answer = client.post(
        url,
        {
            "standard": "employment-01",
            "year": "2015",
            "result": "partly",
            "note": "公告栏未及时更新",
            "attachment": photo,
        },
    )
    assert answer.status_code == 302
    row = StandardCheck.objects.get()
    assert (row.result, row.status, row.note) == ("partly", "submitted", "公告栏未及时更新")
    assert row.attachment.name.startswith("standard-checks/")
    download = client.get(reverse("standard-check-attachment", args=[row.pk]))
    assert download.status_code == 200
    # A second check of the same item and year is refused on the form.
    again = client.post(url, {"standard": "employment-01", "year": "2015", "result": "meets"})
    assert again.status_code == 200
    assert "该设施该年度已有这一服务标准的自查记录。" in again.content.decode()
    # A file of another kind is refused.
    script = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    bad = client.post(
        url, {"standard": "employment-02", "year": "2015", "result": "meets", "attachment": script}
    )
    assert "附件只能是图片、PDF、Word 或 Excel 文件。" in bad.content.decode()


def test_the_attachment_is_not_served_outside_the_scope(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (community,) = make_hierarchy()
    other = make_hierarchy(prefecture="6202", county="620201", street="620201001")[0]
    station = make_facility(community=community)
    row = check(station, "employment-01", attachment=SimpleUploadedFile("a.pdf", b"%PDF-1.4"))
    make_user("away", role="staff", scope_code=other.code)
    client.force_login(User.objects.get(username="away"))
    assert client.get(reverse("standard-check-attachment", args=[row.pk])).status_code == 404


def test_the_review_queue_approves_from_the_page(client):
    (community,) = make_hierarchy()
    station = make_facility(community=community)
    row = check(station, "employment-01")
    make_user("o1", role="official", scope_code="620102016")
    client.force_login(User.objects.get(username="o1"))
    page = client.get(reverse("standard-reviews") + "?year=2015")
    assert f'data-check="{row.pk}"' in page.content.decode()
    answer = client.post(reverse("standard-check-review", args=[row.pk]), {"version": row.version})
    assert answer.status_code == 302
    row.refresh_from_db()
    assert row.status == "reviewed"
