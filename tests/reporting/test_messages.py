"""站内消息: returned rows, rows waiting for a level, reminders (idempotent), 催报, the inbox."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from communities.services import stat_approve, stat_return, stat_submit
from reporting.messages import send_reminders, urge
from reporting.models import Message
from tests.factories import make_stat

pytestmark = pytest.mark.django_db


def test_a_return_messages_the_staff_with_the_reason(world):
    world.staff.email = "staff@example.cn"
    world.staff.save()
    stat = stat_submit(stat=make_stat(world.home), user=world.staff)
    stat = stat_return(stat=stat, user=world.street_official, reason="户数有误")
    message = Message.objects.get(recipient=world.staff, kind="returned")
    assert "户数有误" in message.body
    assert message.url == f"/stats/{stat.pk}/"
    # street staff of the community's street hear of it too
    assert Message.objects.filter(recipient=world.street_staff, kind="returned").exists()


def test_an_email_follows_when_configured(world, django_capture_on_commit_callbacks):
    world.staff.email = "staff@example.cn"
    world.staff.save()
    stat = stat_submit(stat=make_stat(world.home), user=world.staff)
    with django_capture_on_commit_callbacks(execute=True):
        stat_return(stat=stat, user=world.street_official, reason="户数有误")
    assert [m.to for m in mail.outbox] == [["staff@example.cn"]]
    assert "户数有误" in mail.outbox[0].body


def test_officials_hear_of_rows_waiting_for_their_level(world):
    stat = stat_submit(stat=make_stat(world.home), user=world.staff)
    assert Message.objects.filter(recipient=world.street_official, kind="waiting").count() == 1
    assert not Message.objects.filter(recipient=world.county_official).exists()
    stat_approve(stat=stat, user=world.street_official)
    assert Message.objects.filter(recipient=world.county_official, kind="waiting").count() == 1


def test_reminders_are_sent_once(world):
    make_stat(world.sibling)  # a draft: not submitted
    stat_submit(stat=make_stat(world.home), user=world.staff)  # submitted: no reminder
    before = datetime.date(2016, 1, 23)  # 8 days before the due date: too early
    assert send_reminders(before) == 0
    day = datetime.date(2016, 1, 24)  # 7 days before
    first = send_reminders(day)
    assert first > 0
    assert Message.objects.filter(recipient=world.sibling_staff, kind="reminder").count() == 1
    assert not Message.objects.filter(recipient=world.staff, kind="reminder").exists()
    assert send_reminders(day) == 0
    assert send_reminders(day + datetime.timedelta(days=1)) == 0
    assert send_reminders(datetime.date(2016, 2, 1)) == 0  # after the due date
    call_command("send_reminders", date="2016-01-25", stdout=open("/dev/null", "w"))
    assert Message.objects.filter(kind="reminder").count() == first


def test_urge_messages_every_late_community_once_a_day(world):
    stat_submit(stat=make_stat(world.home), user=world.staff)
    sent = urge(scope_code="620102016", year=2015, user=world.street_official)
    assert sent == Message.objects.filter(kind="urge").count() > 0
    assert Message.objects.filter(recipient=world.sibling_staff, kind="urge").exists()
    assert not Message.objects.filter(recipient=world.staff, kind="urge").exists()
    assert urge(scope_code="620102016", year=2015, user=world.street_official) == 0


def test_the_urge_button(client, world):
    client.force_login(world.street_official)
    html = client.get("/reporting/620102016/", {"year": 2015}).content.decode()
    assert 'data-testid="urge"' in html
    response = client.post("/reporting/620102016/urge/", {"year": 2015}, follow=True)
    assert "催报消息" in response.content.decode()
    client.force_login(world.staff)
    assert client.post(f"/reporting/{world.home.code}/urge/", {"year": 2015}).status_code == 403


def test_the_inbox_and_its_unread_count(client, world):
    stat = stat_submit(stat=make_stat(world.home), user=world.staff)
    stat_return(stat=stat, user=world.street_official, reason="补充材料")
    client.force_login(world.staff)
    assert 'data-testid="unread-count">1<' in client.get("/inbox/count/").content.decode()
    html = client.get("/inbox/").content.decode()
    assert "补充材料" in html
    message = Message.objects.get(recipient=world.staff)
    response = client.post(f"/inbox/{message.pk}/open/")
    assert response.status_code == 302 and response["Location"] == f"/stats/{stat.pk}/"
    assert "unread-count" not in client.get("/inbox/count/").content.decode()
    client.force_login(world.sibling_staff)
    assert client.post(f"/inbox/{message.pk}/open/").status_code == 404
