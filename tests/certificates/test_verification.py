"""The public verification page: no login, no personal data, one answer for every mismatch, a rate."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from certificates.services import certificate_issue, certificate_revoke


@pytest.fixture
def certificate(world):
    return certificate_issue(
        volunteer=world["volunteer"],
        user=world["staff"],
        organization=world["org"],
        period_from=datetime.date(2013, 1, 1),
        period_to=datetime.date(2015, 12, 31),
        issued_on=datetime.date(2016, 1, 10),
    )


def ask(client, number, code):
    return client.get(reverse("certificate-verify", args=[number]), {"code": code})


def body(response) -> str:
    # The CSRF token differs on every answer; everything else must not.
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", response.content.decode())


def test_anyone_verifies_a_certificate_without_logging_in(certificate):
    response = ask(Client(), certificate.number, certificate.check_code)
    assert response.status_code == 200
    page = body(response)
    for shown in (
        certificate.number,
        "王*",
        "12.5",
        "2013-01-01",
        "2015-12-31",
        "团结新村爱心服务队",
        "该证明有效",
    ):
        assert shown in page, shown


def test_the_page_shows_no_personal_data(certificate, world):
    page = body(ask(Client(), certificate.number, certificate.check_code))
    volunteer = world["volunteer"]
    for hidden in (
        "王小明",
        "小明",
        volunteer.id_number,
        volunteer.id_number_masked,
        volunteer.id_number[-4:],
        "张队长",
        "staff1",
        "0931-8888888",
        "敬老服务",
    ):
        assert hidden not in page, hidden


def test_the_form_leads_to_the_same_answer(certificate):
    response = Client().get(
        reverse("certificate-verify-form"),
        {"number": certificate.number, "code": certificate.check_code.lower()},
    )
    assert response.status_code == 200 and "该证明有效" in body(response)


def test_a_wrong_check_code_answers_exactly_like_an_unknown_number(certificate):
    wrong = ask(Client(), certificate.number, "ZZZZZZ")
    unknown = ask(
        Client(REMOTE_ADDR="10.0.0.2"), certificate.number[:-1] + "9", certificate.check_code
    )
    assert wrong.status_code == unknown.status_code == 404
    assert body(wrong) == body(unknown)
    assert "王*" not in body(wrong)


def test_a_revoked_certificate_is_shown_as_revoked(certificate, world):
    certificate_revoke(certificate=certificate, user=world["staff"], reason="错误")
    page = body(ask(Client(), certificate.number, certificate.check_code))
    assert "该证明已撤销" in page and "错误" not in page


def test_lookups_past_the_rate_are_refused_even_with_the_right_code(certificate, settings):
    settings.CERTIFICATE_VERIFY_RATE = (3, 600)
    client = Client(REMOTE_ADDR="203.0.113.7")
    for serial in range(3):
        assert ask(client, f"620102016001-2016-{serial + 100:06d}", "AAAAAA").status_code == 404
    refused = ask(client, certificate.number, certificate.check_code)
    assert refused.status_code == 429
    assert "查询过于频繁" in body(refused) and "王*" not in body(refused)
    # Another address is not affected.
    assert (
        ask(
            Client(REMOTE_ADDR="203.0.113.8"), certificate.number, certificate.check_code
        ).status_code
        == 200
    )


def test_staff_download_the_pdf_as_an_attachment(certificate, world):
    client = Client()
    client.force_login(world["staff"])
    response = client.get(reverse("certificate-download", args=[certificate.number]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
