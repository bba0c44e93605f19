"""The API of certificates (API.md): issue, read by number, PDF, revoke; nothing else."""

import datetime

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def client(world):
    client = APIClient()
    client.force_authenticate(world["staff"])
    return client


def issue(client, world, **extra):
    data = {
        "volunteer": world["volunteer"].pk,
        "organization": world["org"].pk,
        "period_from": "2013-01-01",
        "period_to": "2015-12-31",
    }
    data.update(extra)
    return client.post("/api/v1/certificates/", data, format="json")


def test_issue_answers_the_contract_fields(client, world):
    response = issue(client, world)
    assert response.status_code == 201, response.data
    data = response.json()
    today = datetime.date.today()
    assert data["number"] == f"{world['community'].code}-{today.year}-000001"
    assert data["hours"] == "12.5"
    assert data["status"] == "valid"
    assert data["issued_on"] == today.isoformat()
    assert len(data["check_code"]) == 6
    for key in ("volunteer", "organization", "period_from", "period_to"):
        assert key in data


def test_issue_without_confirmed_records_is_400(client, world):
    response = issue(client, world, period_from="2015-01-01")
    assert response.status_code == 400


def test_read_by_number_pdf_and_revoke(client, world):
    number = issue(client, world).json()["number"]
    assert client.get(f"/api/v1/certificates/{number}/").json()["number"] == number
    pdf = client.get(f"/api/v1/certificates/{number}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert (
        client.post(
            f"/api/v1/certificates/{number}/revoke/", {"reason": ""}, format="json"
        ).status_code
        == 400
    )
    revoked = client.post(
        f"/api/v1/certificates/{number}/revoke/", {"reason": "重新出具"}, format="json"
    )
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert client.get("/api/v1/certificates/", {"status": "revoked"}).json()["count"] == 1


def test_certificates_cannot_be_edited_or_deleted(client, world):
    number = issue(client, world).json()["number"]
    patched = client.patch(
        f"/api/v1/certificates/{number}/", {"period_to": "2014-01-01"}, format="json"
    )
    assert patched.status_code == 403 and "不能修改" in patched.json()["detail"]
    deleted = client.delete(f"/api/v1/certificates/{number}/")
    assert deleted.status_code == 403 and "不能删除" in deleted.json()["detail"]


def test_outside_the_scope_is_404_and_403(client, world):
    number = issue(client, world).json()["number"]
    other = APIClient()
    other.force_authenticate(world["other_staff"])
    assert other.get(f"/api/v1/certificates/{number}/").status_code == 404
    assert other.get(f"/api/v1/certificates/{number}.pdf").status_code == 404
    assert issue(other, world).status_code == 400  # the volunteer is not visible to them
