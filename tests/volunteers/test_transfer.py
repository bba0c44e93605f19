"""志愿者转移: the receiving community asks by ID number, learns nothing before approval;
the official above both (or the sending street) decides; approval moves the volunteer with
their records; refusal changes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, override_settings
from rest_framework.test import APIClient

from accounts.models import AuditLog
from core.validators import id_check_char
from tests.factories import make_hierarchy, make_user
from volunteers import services
from volunteers.duplicates import STOPPED
from volunteers.models import (
    ServiceRecord,
    TransferRequest,
    TransferStatus,
    Volunteer,
    VolunteerOrganization,
)

pytestmark = pytest.mark.django_db
HOME = "620102016001"
ELSEWHERE = "620201001001"
SECRET_NAME = "隐秘志愿者"


def id_number(serial: int) -> str:
    first17 = f"62020119800101{serial:03d}"
    return first17 + id_check_char(first17)


@pytest.fixture
def world(db):
    make_hierarchy(communities=1)
    make_hierarchy(prefecture="6202", county="620201", street="620201001", communities=1)
    organization = VolunteerOrganization.objects.create(
        community_id=ELSEWHERE, name="外地志愿队", registered_on=datetime.date(2010, 1, 1)
    )
    volunteer = Volunteer.objects.create(
        community_id=ELSEWHERE,
        organization=organization,
        name=SECRET_NAME,
        gender="male",  # the ID number's 17th digit is odd
        id_number=id_number(1),
        registered_on=datetime.date(2012, 1, 1),
    )
    record = ServiceRecord.objects.create(
        volunteer=volunteer,
        organization=organization,
        activity="敬老院服务",
        served_on=datetime.date(2013, 5, 1),
        hours=Decimal("3.0"),
        category="elderly",
        status="confirmed",
    )
    return {
        "volunteer": volunteer,
        "record": record,
        "staff": make_user("tr_staff", role="staff", scope_code=HOME),
        "sending_street": make_user("tr_street_out", role="official", scope_code="620201001"),
        "receiving_street": make_user("tr_street_in", role="official", scope_code="620102016"),
        "receiving_prefecture": make_user("tr_pref_in", role="official", scope_code="6201"),
        "province": make_user("tr_province", role="official", scope_code="62"),
        "sending_staff": make_user("tr_staff_out", role="staff", scope_code=ELSEWHERE),
    }


def ask(world, number=None):
    from communities.models import Community

    return services.transfer_request_create(
        user=world["staff"],
        to_community=Community.objects.get(code=HOME),
        id_number=number or id_number(1),
        reason="已迁入本社区居住",
    )


def page_of(user, path):
    client = Client()
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_requester_sees_nothing_of_the_volunteer_before_approval(world):
    transfer = ask(world)
    for path in (
        f"/volunteer-transfers/{transfer.pk}/",
        "/volunteer-transfers/",
        f"/history/volunteer-transfer/{transfer.pk}/",
    ):
        text = page_of(world["staff"], path)
        assert SECRET_NAME not in text, path
        assert ELSEWHERE not in text and "外地志愿队" not in text, path
    body = api(world["staff"]).get(f"/api/v1/volunteer-transfers/{transfer.pk}/").json()
    assert body["volunteer"] is None and body["from_community_code"] is None
    assert SECRET_NAME not in str(body) and ELSEWHERE not in str(body)
    assert body["id_number_masked"] != id_number(1) and "id_number" not in body
    # The volunteer's own pages stay out of reach.
    assert (
        api(world["staff"]).get(f"/api/v1/volunteers/{world['volunteer'].pk}/").status_code == 404
    )


def test_the_approver_sees_who_is_asked_for(world):
    transfer = ask(world)
    text = page_of(world["sending_street"], "/volunteer-transfers/")
    assert SECRET_NAME in text and 'data-testid="transfer-queue"' in text
    text = page_of(world["sending_street"], f"/volunteer-transfers/{transfer.pk}/")
    assert SECRET_NAME in text and "同意转移" in text


def test_approval_moves_the_volunteer_with_history_and_records(world):
    transfer = ask(world)
    volunteer = world["volunteer"]
    before = volunteer.history.count()
    saved = services.transfer_approve(
        transfer=transfer, user=world["sending_street"], expected_version=transfer.version
    )
    assert saved.status == TransferStatus.APPROVED and saved.decided_by == world["sending_street"]
    volunteer.refresh_from_db()
    assert volunteer.community_id == HOME and volunteer.organization_id is None
    assert volunteer.history.count() == before + 1
    latest = volunteer.history.first()
    assert (
        latest.history_user == world["sending_street"]
        and "志愿者转移" in latest.history_change_reason
    )
    record = world["record"]
    assert ServiceRecord.objects.visible_to(world["staff"]).filter(pk=record.pk).exists()
    assert (
        not ServiceRecord.objects.visible_to(world["sending_staff"]).filter(pk=record.pk).exists()
    )
    actions = AuditLog.objects.filter(user=world["sending_street"]).values_list("detail", flat=True)
    assert any(d.get("transition") == "approve" for d in actions)
    assert any(
        d.get("step") == "transfer_approve" and d.get("pk") == str(volunteer.pk) for d in actions
    )
    text = page_of(world["staff"], f"/volunteer-transfers/{transfer.pk}/")
    assert SECRET_NAME in text


def test_a_refused_request_changes_nothing(world):
    transfer = ask(world)
    volunteer = world["volunteer"]
    state = (volunteer.community_id, volunteer.organization_id, volunteer.version)
    history = volunteer.history.count()
    with pytest.raises(ValidationError):
        services.transfer_refuse(transfer=transfer, user=world["province"], reason="")
    saved = services.transfer_refuse(transfer=transfer, user=world["province"], reason="未迁入")
    assert saved.status == TransferStatus.REFUSED
    volunteer.refresh_from_db()
    assert (volunteer.community_id, volunteer.organization_id, volunteer.version) == state
    assert volunteer.history.count() == history
    assert ServiceRecord.objects.get(pk=world["record"].pk).volunteer.community_id == ELSEWHERE
    text = page_of(world["staff"], f"/volunteer-transfers/{transfer.pk}/")
    assert SECRET_NAME not in text and "未同意" in text
    with pytest.raises(ValidationError):
        services.transfer_approve(transfer=saved, user=world["province"])


@pytest.mark.parametrize(
    "who", ["receiving_street", "receiving_prefecture", "staff", "sending_staff"]
)
def test_only_the_level_above_both_or_the_sending_street_decides(world, who):
    transfer = ask(world)
    with pytest.raises(PermissionDenied):
        services.transfer_approve(transfer=transfer, user=world[who])
    world["volunteer"].refresh_from_db()
    assert world["volunteer"].community_id == ELSEWHERE


def test_the_province_official_covers_both(world):
    transfer = ask(world)
    services.transfer_approve(transfer=transfer, user=world["province"])
    world["volunteer"].refresh_from_db()
    assert world["volunteer"].community_id == HOME


def test_the_requester_withdraws_and_nothing_is_left_to_approve(world):
    transfer = ask(world)
    with pytest.raises(PermissionDenied):
        services.transfer_withdraw(transfer=transfer, user=world["sending_staff"])
    saved = services.transfer_withdraw(transfer=transfer, user=world["staff"])
    assert saved.status == TransferStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        services.transfer_approve(transfer=saved, user=world["province"])
    ask(world)  # a new request may follow a withdrawn one


def test_one_open_request_per_volunteer(world):
    ask(world)
    with pytest.raises(ValidationError):
        ask(world)


def test_an_unknown_number_and_a_bad_one_are_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        ask(world, id_number(9))
    assert services.TRANSFER_NOT_FOUND in str(excinfo.value)
    with pytest.raises(ValidationError):
        ask(world, "620201198001010000")
    assert not TransferRequest.objects.exists()


@override_settings(DUPLICATE_ID_DAILY_LIMIT=2)
def test_requests_count_towards_the_daily_limit_of_lookups(world):
    for serial in (7, 8):
        with pytest.raises(ValidationError):
            ask(world, id_number(serial))
    with pytest.raises(PermissionDenied) as excinfo:
        ask(world, id_number(6))
    assert str(excinfo.value) == STOPPED
    assert AuditLog.objects.filter(user=world["staff"], action="duplicate_id").count() == 3


def test_the_api_flow(world):
    client = api(world["staff"])
    response = client.post(
        "/api/v1/volunteer-transfers/",
        {"to_community_code": HOME, "id_number": id_number(1), "reason": "已迁入"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "requested" and body["volunteer"] is None
    assert SECRET_NAME not in str(body)
    pk, version = body["id"], body["version"]
    assert (
        client.post(f"/api/v1/volunteer-transfers/{pk}/approve/", {}, format="json").status_code
        == 403
    )
    assert (
        client.patch(
            f"/api/v1/volunteer-transfers/{pk}/", {"reason": "x"}, format="json"
        ).status_code
        == 403
    )
    assert client.delete(f"/api/v1/volunteer-transfers/{pk}/").status_code == 403
    official = api(world["sending_street"])
    response = official.post(
        f"/api/v1/volunteer-transfers/{pk}/approve/", {"version": version}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["from_community_code"] == ELSEWHERE
    after = client.get(f"/api/v1/volunteer-transfers/{pk}/").json()
    assert after["volunteer"] == world["volunteer"].pk
    assert client.get(f"/api/v1/volunteers/{world['volunteer'].pk}/").status_code == 200


def test_the_api_refuses_a_request_into_another_community(world):
    response = api(world["staff"]).post(
        "/api/v1/volunteer-transfers/",
        {"to_community_code": ELSEWHERE, "id_number": id_number(1), "reason": "x"},
        format="json",
    )
    assert response.status_code == 403


def test_the_request_form_page(world):
    client = Client()
    client.force_login(world["staff"])
    url = f"/communities/{HOME}/volunteer-transfers/new/"
    assert url in client.get("/volunteer-transfers/").content.decode()  # 提出转移申请
    assert client.get(url).status_code == 200
    response = client.post(url, {"id_number": id_number(1), "reason": "已迁入"})
    transfer = TransferRequest.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/volunteer-transfers/{transfer.pk}/"
    )
    response = client.post(url, {"id_number": id_number(9), "reason": "已迁入"})
    assert services.TRANSFER_NOT_FOUND in response.content.decode()
