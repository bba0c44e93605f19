"""The volunteer record in a real browser: staff enter one activity for several volunteers (a
bad line first), a colleague confirms the records and issues a certificate, the PDF downloads
and the public verification page, without logging in, says it is valid."""

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from certificates.models import Certificate
from tests.factories import make_hierarchy, make_user
from tests.model_rules import valid_id_number
from volunteers.models import ServiceRecord, Volunteer, VolunteerOrganization

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def sign_out(page):
    page.goto("about:blank")
    page.context.clear_cookies()


def test_bulk_entry_confirmation_certificate_and_verification(live_server, page, login, screenshot):
    community = make_hierarchy(communities=1)[0]
    recorder = make_user("vr_recorder", role="staff", scope_code=community.code)
    colleague = make_user("vr_colleague", role="staff", scope_code=community.code)
    org = VolunteerOrganization.objects.create(
        community=community,
        name="团结新村爱心服务队",
        registered_on=datetime.date(2011, 1, 1),
        manager_name="张队长",
        contact_phone="0931-8888888",
    )
    volunteers = [
        Volunteer.objects.create(
            community=community,
            organization=org,
            name=name,
            gender="female",
            id_number=valid_id_number(serial=60 + i),
            registered_on=datetime.date(2012, 3, 1),
        )
        for i, name in enumerate(["王小红", "李梅", "赵静"])
    ]
    base = live_server.url

    # The recorder enters one activity for two volunteers; one line has 30 hours.
    login(page, recorder.username)
    page.goto(f"{base}/communities/{community.code}/service-records/bulk/")
    page.get_by_test_id("activity-organization").select_option(str(org.pk))
    page.get_by_test_id("activity-activity").fill("重阳节敬老院探访")
    page.get_by_test_id("activity-served_on").fill("2015-10-21")
    page.get_by_test_id("activity-category").select_option("elderly")
    page.get_by_test_id("activity-place").fill("城关区敬老院")
    page.get_by_test_id("activity-people_served").fill("40")
    page.get_by_test_id("activity-beneficiaries").fill("老人")
    page.get_by_test_id("activity-leader").fill("张队长")
    page.get_by_test_id(f"hours-{volunteers[0].pk}").fill("3.5")
    page.get_by_test_id(f"hours-{volunteers[1].pk}").fill("30")
    page.get_by_test_id("bulk-submit").click()
    page.wait_for_selector("[data-testid=form-errors]")
    assert "24" in page.locator("[data-testid=bulk-volunteers]").inner_text()
    assert not ServiceRecord.objects.exists()
    # Corrected: both lines are saved and wait for confirmation.
    page.get_by_test_id(f"hours-{volunteers[1].pk}").fill("4")
    with page.expect_navigation():
        page.get_by_test_id("bulk-submit").click()
    assert page.url.endswith(f"/communities/{community.code}/service-records/")
    records = list(ServiceRecord.objects.order_by("volunteer_id"))
    assert [(r.hours, r.status) for r in records] == [(3.5, "recorded"), (4, "recorded")]
    # The recorder may not confirm their own records.
    assert page.locator(f"[data-testid=confirm-{records[0].pk}]").count() == 0
    sign_out(page)

    # A colleague confirms the first volunteer's record and issues her certificate.
    login(page, colleague.username)
    page.goto(f"{base}/communities/{community.code}/service-records/")
    with page.expect_navigation():
        page.get_by_test_id(f"confirm-{records[0].pk}").click()
    assert page.get_by_test_id(f"status-{records[0].pk}").inner_text() == "已确认"
    page.goto(f"{base}/volunteers/{volunteers[0].pk}/record/")
    assert page.get_by_test_id("confirmed-hours").inner_text() == "3.5"
    page.get_by_test_id("issue-link").click()
    page.wait_for_url(re.compile(r"/certificates/new/"))
    page.get_by_test_id("issue-organization").select_option(str(org.pk))
    page.get_by_test_id("issue-period_from").fill("2015-01-01")
    page.get_by_test_id("issue-period_to").fill("2015-12-31")
    with page.expect_navigation():
        page.get_by_test_id("issue-submit").click()
    certificate = Certificate.objects.get()
    assert page.url.endswith(f"/certificates/{certificate.number}/")
    assert page.get_by_test_id("certificate-hours").inner_text().startswith("3.5")
    screenshot(page, "certificate-detail")
    with page.expect_download() as caught:
        page.get_by_test_id("certificate-download").click()
    download = caught.value
    assert download.suggested_filename.endswith(".pdf")
    reader = PdfReader(io.BytesIO(open(download.path(), "rb").read()))
    text = re.sub(r"\s", "", reader.pages[0].extract_text())
    assert (
        "志愿服务证明" in text and "王小红" in text and certificate.number in text and "3.5" in text
    )
    sign_out(page)

    # Anyone checks it on the public page, without logging in.
    page.goto(f"{base}/verify/")
    page.fill("#id_number", certificate.number)
    page.fill("#id_code", certificate.check_code)
    with page.expect_navigation():
        page.get_by_role("button", name="验证").click()
    result = page.get_by_test_id("verify-result").inner_text()
    assert "该证明有效" in result and "王*" in result and "王小红" not in result
    assert not page.problems, page.problems
