"""All or nothing: a failure while writing, or a record changed by someone else, leaves no trace."""

import datetime

import pytest

from core import services as core_services
from core.xlsx.reading import ImportFileError
from excel import importers
from excel.importers import import_workbook
from excel.resources import VOLUNTEER_ORGANIZATIONS
from tests.excel.conftest import xlsx
from volunteers.models import VolunteerOrganization

HEADER = ["社区代码*", "社区名称", "组织名称*", "成立日期*", "解散日期"]


def rows():
    return [
        ["620102016001", "", "已有的队", "2012-01-01", "2015-06-30"],
        ["620102016001", "", "新队", "2014-01-01", None],
    ]


@pytest.fixture
def existing(communities):
    return VolunteerOrganization.objects.create(
        community=communities[0], name="已有的队", registered_on=datetime.date(2012, 1, 1)
    )


@pytest.mark.django_db
def test_a_failure_while_writing_rolls_back_the_rows_already_written(staff, existing, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    # The import writes through the one write path's bulk twin (core.services).
    monkeypatch.setattr(core_services, "bulk_update_with_history", broken)
    with pytest.raises(RuntimeError):
        import_workbook(resource=VOLUNTEER_ORGANIZATIONS, upload=xlsx(HEADER, rows()), user=staff)
    assert list(VolunteerOrganization.objects.values_list("name", "version", "dissolved_on")) == [
        ("已有的队", 1, None)
    ]
    assert VolunteerOrganization.history.count() == 1


@pytest.mark.django_db
def test_a_record_saved_by_someone_else_during_the_check_stops_the_import(
    staff, existing, monkeypatch
):
    check = importers._Importer.check

    def check_then_someone_saves(self, parsed):
        plan = check(self, parsed)
        VolunteerOrganization.objects.filter(pk=existing.pk).update(version=2)
        return plan

    monkeypatch.setattr(importers._Importer, "check", check_then_someone_saves)
    with pytest.raises(ImportFileError) as caught:
        import_workbook(resource=VOLUNTEER_ORGANIZATIONS, upload=xlsx(HEADER, rows()), user=staff)
    assert "有记录被他人修改" in caught.value.message
    assert list(VolunteerOrganization.objects.values_list("name", flat=True)) == ["已有的队"]
    assert VolunteerOrganization.objects.get().dissolved_on is None


@pytest.mark.django_db
def test_a_clashing_record_saved_during_the_check_is_a_message_not_an_error(
    staff, existing, monkeypatch
):
    check = importers._Importer.check

    def check_then_someone_creates(self, parsed):
        plan = check(self, parsed)
        VolunteerOrganization.objects.create(
            community=existing.community, name="新队", registered_on=datetime.date(2014, 1, 1)
        )
        return plan

    monkeypatch.setattr(importers._Importer, "check", check_then_someone_creates)
    with pytest.raises(ImportFileError) as caught:
        import_workbook(resource=VOLUNTEER_ORGANIZATIONS, upload=xlsx(HEADER, rows()), user=staff)
    assert "有他人同时保存了相同的记录" in caught.value.message
    assert VolunteerOrganization.objects.get(name="已有的队").dissolved_on is None
