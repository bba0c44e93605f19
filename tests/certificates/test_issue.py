"""Issuing a certificate: the issuer's confirmed records only, a number, frozen content, revocation."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from certificates.models import Certificate
from certificates.services import certificate_issue, certificate_revoke
from core.services import record_save
from volunteers.models import ServiceRecord

FROM, TO = datetime.date(2013, 1, 1), datetime.date(2015, 12, 31)
DAY = datetime.date(2016, 1, 10)


def issue(world, **extra):
    values = {
        "volunteer": world["volunteer"],
        "user": world["staff"],
        "organization": world["org"],
        "period_from": FROM,
        "period_to": TO,
        "issued_on": DAY,
    }
    values.update(extra)
    return certificate_issue(**values)


def test_only_the_issuers_confirmed_records_count(world):
    certificate = issue(world)
    # 8 + 4.5 confirmed by the organisation; the unconfirmed 20 and the community's own 6 do not.
    assert certificate.hours == Decimal("12.5")
    assert certificate.content["record_count"] == 2
    assert certificate.status == "valid"


def test_the_community_certifies_its_own_records(world):
    certificate = issue(world, organization=None)
    assert certificate.hours == Decimal("6")
    assert certificate.content["issuer"] == world["community"].name


def test_the_number_is_community_year_and_a_six_digit_serial(world):
    first = issue(world)
    second = issue(world, organization=None)
    code = world["community"].code
    assert first.number == f"{code}-2016-000001"
    assert second.number == f"{code}-2016-000002"
    nextyear = issue(world, issued_on=datetime.date(2017, 1, 2))
    assert nextyear.number == f"{code}-2017-000001"
    assert len(first.check_code) == 6 and first.check_code != second.check_code


def test_the_content_lists_what_the_rules_ask_and_masks_the_id_number(world):
    c = issue(world).content
    assert c["volunteer_name"] == "王小明"
    assert c["id_number_masked"] == world["volunteer"].id_number_masked
    assert world["volunteer"].id_number not in str(c)
    assert c["issuer"] == "团结新村爱心服务队"
    assert c["head"] == "张队长"
    assert c["handler"] == "staff1"
    assert c["contact"] == "0931-8888888"
    assert c["issued_on"] == "2016-01-10"
    assert {row["label"] for row in c["by_category"]} == {"为老", "文体"}


def test_the_content_is_frozen_when_records_change_later(world):
    certificate = issue(world)
    record = ServiceRecord.objects.get(hours=Decimal("8"))
    ServiceRecord.objects.filter(pk=record.pk).update(hours=Decimal("1"), status="disputed")
    world["volunteer"].name = "王大明"
    world["volunteer"].save()
    fresh = Certificate.objects.get(pk=certificate.pk)
    assert fresh.hours == Decimal("12.5")
    assert fresh.content["volunteer_name"] == "王小明"
    assert fresh.masked_name == "王*"


def test_a_certificate_cannot_be_edited_or_deleted(world):
    certificate = issue(world)
    certificate.period_to = datetime.date(2014, 1, 1)
    with pytest.raises(PermissionDenied, match="不能修改"):
        record_save(instance=certificate, user=world["staff"])


def test_no_confirmed_records_in_the_period_means_no_certificate(world):
    with pytest.raises(ValidationError, match="没有本组织已确认的服务记录"):
        issue(world, period_from=datetime.date(2015, 1, 1))
    assert not Certificate.objects.exists()


def test_period_end_before_start_is_refused(world):
    with pytest.raises(ValidationError):
        issue(world, period_from=TO, period_to=FROM)


def test_staff_of_another_community_may_not_issue(world):
    with pytest.raises(PermissionDenied):
        issue(world, user=world["other_staff"])


def test_the_organisations_manager_issues_from_outside_the_community(world):
    org = world["org"]
    org.manager = world["other_staff"]
    org.save()
    assert issue(world, user=world["other_staff"]).hours == Decimal("12.5")


def test_revoking_needs_a_reason_and_is_kept_in_the_history(world):
    certificate = issue(world)
    with pytest.raises(ValidationError):
        certificate_revoke(certificate=certificate, user=world["staff"], reason=" ")
    revoked = certificate_revoke(
        certificate=certificate, user=world["staff"], reason="记录有误，重新出具"
    )
    assert revoked.status == "revoked"
    assert revoked.revoke_reason == "记录有误，重新出具"
    assert list(revoked.history.order_by("history_id").values_list("status", flat=True)) == [
        "valid",
        "revoked",
    ]
    with pytest.raises(ValidationError):
        certificate_revoke(certificate=revoked, user=world["staff"], reason="再撤销")
