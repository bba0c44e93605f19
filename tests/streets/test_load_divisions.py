"""load_divisions: the real Gansu hierarchy, loaded idempotently."""

from django.core.management import call_command

from communities.models import Community
from streets.models import Division, Street


def test_loads_the_real_counts(db):
    call_command("load_divisions", verbosity=0)
    assert Division.objects.filter(level="province").count() == 1
    assert Division.objects.filter(level="prefecture").count() == 14
    assert Division.objects.filter(level="county").count() == 88
    assert Street.objects.count() == 527
    assert Street.objects.subdistricts().count() == 130
    assert Community.objects.count() == 2119
    assert Division.objects.get(code="6201").name == "兰州市"
    assert Street.objects.get(code="620102016").name == "团结新村街道"
    assert Community.objects.under("620102016").exists()


def test_running_twice_changes_nothing(db):
    call_command("load_divisions", verbosity=0)
    before = list(Community.objects.values_list("code", "name", "street_id"))
    call_command("load_divisions", verbosity=0)
    assert list(Community.objects.values_list("code", "name", "street_id")) == before
    assert Street.objects.count() == 527


def test_a_renamed_community_is_updated_back(db):
    call_command("load_divisions", verbosity=0)
    Community.objects.filter(code="620102016001").update(name="错误名称")
    call_command("load_divisions", verbosity=0)
    assert Community.objects.get(code="620102016001").name != "错误名称"


def test_every_code_starts_with_its_parent_code(db):
    call_command("load_divisions", verbosity=0)
    for c in Community.objects.select_related("street__county__parent"):
        assert c.code.startswith(c.street_id) and len(c.code) == 12
        assert c.street.code.startswith(c.street.county_id)


def test_each_loaded_row_has_its_first_history_entry_once(db):
    call_command("load_divisions", verbosity=0)
    call_command("load_divisions", verbosity=0)
    first = Community.history.filter(code="620102016001")
    assert first.count() == 1
    entry = first.get()
    assert (entry.history_type, entry.history_change_reason, entry.history_user) == (
        "+",
        "初始数据（行政区划）",
        None,
    )
    assert entry.name == Community.objects.get(code="620102016001").name
    assert Community.history.count() == 2119
    assert Street.history.count() == 527
