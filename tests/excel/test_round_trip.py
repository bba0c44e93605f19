"""Round trip: what the portal exports, imported back unchanged by the same user, changes nothing.

Every kind of record (every resource of ``excel.resources.RESOURCES``) goes out through the
real export view and comes back through the importer, masked (the default) and unmasked (a
user with the permission who asks). Masked ID numbers and phones keep the stored numbers;
facilities carry their 系统编号, so two facilities of one name at one owner come back too.
"""

import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from openpyxl import load_workbook

from accounts.models import AuditLog
from excel.importers import import_workbook
from excel.resources import FACILITIES, RESOURCES, VOLUNTEERS
from facilities.models import Facility
from tests.excel.test_exports import export, records  # noqa: F401 — the fixture
from tests.excel.test_import_volunteers import id_number
from tests.factories import make_facility, make_user
from volunteers.models import Volunteer

MASKED_NEW = (
    "这是脱敏的身份证号码（导出时隐藏了中间几位），与系统中该记录的号码不符或该记录尚未登记，"
    "不能导入；请填写完整号码。"
)


@pytest.fixture
def world(records):  # noqa: F811 — the fixture of test_exports
    """The export tests' records, more volunteers with phones, and two stations of one name."""
    a, b, _ = records
    for seq, community, phone in ((3, a, "13900001111"), (4, b, "0931-8123456"), (5, a, "")):
        Volunteer.objects.create(
            community=community,
            name=f"志愿者{seq}",
            gender="male" if seq % 2 else "female",
            id_number=id_number(seq),
            phone=phone,
            registered_on=datetime.date(2014, 3, 1),
        )
    # A station replaced by a new one that kept the old name: one owner, two of one name.
    make_facility(kind="station", community=b, area="120", name="东岗社区服务站", opened=2008)
    make_facility(kind="station", community=b, area="260", name="东岗社区服务站", opened=2014)
    return records


@pytest.fixture
def unmasker(world):
    user = make_user("admin_full", role="admin", scope_code="62")
    user.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    return user


def state(model):
    """Every stored value of every record (not only versions: some kinds have none) and the
    number of history rows."""
    fields = [f.attname for f in model._meta.concrete_fields]
    rows = sorted(repr([getattr(o, f) for f in fields]) for o in model.objects.all())
    history = model.history.count() if hasattr(model, "history") else None
    return rows, history


def assert_unchanged(resource, data: bytes, user):
    before = state(resource.model)
    result = import_workbook(resource=resource, upload=data, user=user)
    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged == result.rows > 0
    assert state(resource.model) == before
    return result


@pytest.mark.django_db
class TestEveryResource:
    @pytest.mark.parametrize("slug", list(RESOURCES))
    def test_a_masked_export_comes_back_unchanged(self, slug, client, admin, world):
        data, _ = export(client, admin, slug)
        result = assert_unchanged(RESOURCES[slug], data, admin)
        assert result.unchanged == RESOURCES[slug].model.objects.count()

    @pytest.mark.parametrize("slug", list(RESOURCES))
    def test_an_unmasked_export_comes_back_unchanged(self, slug, client, unmasker, world):
        data, _ = export(client, unmasker, slug, unmask=True)
        result = assert_unchanged(RESOURCES[slug], data, unmasker)
        assert result.unchanged == RESOURCES[slug].model.objects.count()

    @pytest.mark.parametrize("slug", ["volunteers", "workers", "facilities", "community-stats"])
    def test_a_street_staff_members_export_comes_back_unchanged(self, slug, client, staff, world):
        data, _ = export(client, staff, slug)
        assert_unchanged(RESOURCES[slug], data, staff)


@pytest.mark.django_db
class TestMaskedNumbers:
    def test_the_export_is_masked_and_the_stored_numbers_are_kept(self, client, staff, world):
        data, wb = export(client, staff, "volunteers")
        rows = list(wb[VOLUNTEERS.title].iter_rows(min_row=2, values_only=True))
        assert {r[4] for r in rows} == {
            id_number(s)[:6] + "********" + id_number(s)[-4:] for s in (1, 3, 4, 5)
        }
        assert "139****1111" in {r[5] for r in rows}
        stored = dict(Volunteer.objects.values_list("name", "id_number"))
        assert_unchanged(VOLUNTEERS, data, staff)
        assert dict(Volunteer.objects.values_list("name", "id_number")) == stored

    def test_unmasking_stays_audited(self, client, unmasker, world):
        export(client, unmasker, "volunteers", unmask=True)
        log = AuditLog.objects.get(action="view_personal_data")
        assert log.user == unmasker
        assert AuditLog.objects.get(action="export").detail["masked"] is False

    def test_a_changed_cell_beside_a_masked_number_is_updated_alone(self, client, staff, world):
        data, _ = export(client, staff, "volunteers")
        wb = load_workbook(io.BytesIO(data))
        ws = wb[VOLUNTEERS.title]
        row = next(r for r in ws.iter_rows(min_row=2) if r[2].value == "志愿者3")
        row[6].value = "是"  # 是否党员
        buf = io.BytesIO()
        wb.save(buf)
        result = import_workbook(resource=VOLUNTEERS, upload=buf.getvalue(), user=staff)
        assert result.ok, [str(e) for e in result.errors]
        assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
        person = Volunteer.objects.get(name="志愿者3")
        assert person.is_party_member and person.id_number == id_number(3)
        assert person.phone == "13900001111" and person.version == 2

    def test_a_masked_phone_that_no_longer_matches_is_refused(self, client, staff, world):
        data, _ = export(client, staff, "volunteers")
        Volunteer.objects.filter(name="志愿者3").update(phone="13700002222")
        result = import_workbook(resource=VOLUNTEERS, upload=data, user=staff)
        assert [e.column for e in result.errors] == ["联系电话"]
        assert result.errors[0].message.startswith("这是脱敏的电话号码")
        assert Volunteer.objects.get(name="志愿者3").phone == "13700002222"

    def test_a_masked_number_for_a_new_volunteer_is_refused(self, client, staff, world):
        data, _ = export(client, staff, "volunteers")
        wb = load_workbook(io.BytesIO(data))
        ws = wb[VOLUNTEERS.title]
        ws.append(
            ["620102016001", None, "新来的", "男", "620102********0016", None, "否", "2015-03-01"]
        )
        buf = io.BytesIO()
        wb.save(buf)
        result = import_workbook(resource=VOLUNTEERS, upload=buf.getvalue(), user=staff)
        new_row = ws.max_row
        assert [(e.row, e.column, e.message) for e in result.errors if e.row == new_row] == [
            (new_row, "身份证号码", MASKED_NEW)
        ]
        assert not Volunteer.objects.filter(name="新来的").exists()

    def test_a_masked_number_in_another_community_finds_nothing(self, client, staff, world):
        data, _ = export(client, staff, "volunteers")
        wb = load_workbook(io.BytesIO(data))
        ws = wb[VOLUNTEERS.title]
        row = next(r for r in ws.iter_rows(min_row=2) if r[2].value == "志愿者3")
        row[0].value = "620102016002"  # the masked number stands for a volunteer of 001
        buf = io.BytesIO()
        wb.save(buf)
        result = import_workbook(resource=VOLUNTEERS, upload=buf.getvalue(), user=staff)
        assert [(e.column, e.message) for e in result.errors][0] == ("身份证号码", MASKED_NEW)
        assert Volunteer.objects.get(name="志愿者3").community_id == "620102016001"


@pytest.mark.django_db
class TestFacilitiesOfOneName:
    def column(self, ws, header):
        return next(c.column - 1 for c in ws[1] if c.value.rstrip("*") == header)

    def test_two_of_one_name_come_back_and_each_is_updated_by_its_number(
        self, client, staff, world
    ):
        data, wb = export(client, staff, "facilities")
        ws = wb[FACILITIES.title]
        assert ws.cell(row=1, column=ws.max_column).value == "系统编号"
        assert_unchanged(FACILITIES, data, staff)
        old, new = Facility.objects.filter(name="东岗社区服务站").order_by("opened_on")
        number, area = self.column(ws, "系统编号"), self.column(ws, "建筑面积（平方米）")
        row = next(r for r in ws.iter_rows(min_row=2) if r[number].value == new.pk)
        row[area].value = 280
        row[0].value = "东岗社区服务站（新）"
        buf = io.BytesIO()
        wb.save(buf)
        result = import_workbook(resource=FACILITIES, upload=buf.getvalue(), user=staff)
        assert result.ok, [str(e) for e in result.errors]
        assert (result.created, result.updated) == (0, 1)
        new.refresh_from_db()
        old.refresh_from_db()
        assert (new.name, new.floor_area, new.version) == ("东岗社区服务站（新）", 280, 2)
        assert (old.name, old.floor_area, old.version) == ("东岗社区服务站", 120, 1)

    def test_a_row_without_its_number_cannot_pick_one_of_two(self, client, staff, world):
        data, wb = export(client, staff, "facilities")
        ws = wb[FACILITIES.title]
        number = self.column(ws, "系统编号")
        for row in ws.iter_rows(min_row=2):
            if row[0].value == "东岗社区服务站":
                row[number].value = None
        buf = io.BytesIO()
        wb.save(buf)
        result = import_workbook(resource=FACILITIES, upload=buf.getvalue(), user=staff)
        messages = {e.message for e in result.errors}
        assert any("多个同名设施" in m and "系统编号" in m for m in messages)

    def test_a_number_outside_the_scope_or_of_another_owner_is_refused(self, client, staff, world):
        _, _, other = world
        elsewhere = make_facility(kind="station", community=other, name="外县服务站")
        data, wb = export(client, staff, "facilities")
        ws = wb[FACILITIES.title]
        number = self.column(ws, "系统编号")
        rows = list(ws.iter_rows(min_row=2))
        station_a = next(r for r in rows if r[0].value == "服务站")
        station_b = next(r for r in rows if r[0].value == "东岗社区服务站")
        station_a[number].value = elsewhere.pk  # a facility of another county
        station_b[number].value = Facility.objects.get(name="服务站").pk  # of community 001
        buf = io.BytesIO()
        wb.save(buf)
        result = import_workbook(resource=FACILITIES, upload=buf.getvalue(), user=staff)
        refused = [e for e in result.errors if e.column == "系统编号"]
        assert len(refused) == 2
        assert all("不存在、不在您的管辖范围内或不属于所填的所属单位" in e.message for e in refused)
        assert Facility.objects.get(pk=elsewhere.pk).version == 1

    def test_a_row_without_a_number_is_new(self, client, staff, world):
        data, wb = export(client, staff, "facilities")
        ws = wb[FACILITIES.title]
        ws.append(["新建服务站", "社区服务站", None, None, "620102016002", 150, None, None, "新建"])
        buf = io.BytesIO()
        wb.save(buf)
        result = import_workbook(resource=FACILITIES, upload=buf.getvalue(), user=staff)
        assert result.ok, [str(e) for e in result.errors]
        assert result.created == 1
        assert Facility.objects.get(name="新建服务站").community_id == "620102016002"

    def test_the_template_explains_the_number(self):
        from excel.exporters import build_template

        buf = io.BytesIO()
        build_template(FACILITIES, buf)
        notes = [
            str(c.value)
            for row in load_workbook(buf)["填写说明"].iter_rows()
            for c in row
            if c.value
        ]
        assert any("系统编号" in n and "同名设施" in n for n in notes)
        assert "系统编号" in notes

    def test_one_facility_by_its_number_and_by_its_name_is_refused_once(self, client, staff, world):
        data, wb = export(client, staff, "facilities")
        ws = wb[FACILITIES.title]
        number = self.column(ws, "系统编号")
        station = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "街道服务中心")
        ws.append([c.value for c in station[:number]])  # the same centre without its number
        buf = io.BytesIO()
        wb.save(buf)
        result = import_workbook(resource=FACILITIES, upload=buf.getvalue(), user=staff)
        assert [(e.row, e.message) for e in result.errors] == [
            (
                ws.max_row,
                f"与第{station[0].row}行是同一条记录（同一所属单位的同名设施只能有一行）。",
            )
        ]
