"""Budget lines by Excel: the template, an import by a county official (own region only,
all or nothing, errors by row and column), export then import changes nothing."""

import io

import pytest
from openpyxl import load_workbook

from excel.exporters import build_export, build_template
from excel.importers import import_workbook
from excel.resources import RESOURCES
from funding.models import BudgetLine
from tests.excel.conftest import xlsx
from tests.factories import make_user

from .helpers import line, world

pytestmark = pytest.mark.django_db
RESOURCE = RESOURCES["budget-lines"]
HEADER = [c.title for c in RESOURCE.columns]


def test_template_has_the_columns():
    out = io.BytesIO()
    build_template(RESOURCE, out)
    wb = load_workbook(io.BytesIO(out.getvalue()))
    assert wb.sheetnames == ["专项经费预算", "填写说明"]
    assert [c.value for c in wb["专项经费预算"][1]] == HEADER


def test_county_official_imports_own_lines_all_or_nothing():
    world()
    county = make_user("cg", role="official", scope_code="620102")
    good = ["620102", 2013, "服务人员报酬", "财政补助", 120, 100, 90.5, None]
    other = ["620103", 2013, "服务运行经费", "财政补助", 10, 10, 10, None]
    bad = ["620102", 2013, "服务运行经费", "财政补助", 10, 20, 5, None]
    result = import_workbook(
        resource=RESOURCE, upload=io.BytesIO(xlsx(HEADER, [good, other, bad])), user=county
    )
    assert not result.ok
    where = {(e.row, e.column) for e in result.errors}
    assert (3, "区划代码") in where
    assert (4, "已拨付（万元）") in where
    assert BudgetLine.objects.count() == 0  # nothing written
    result = import_workbook(
        resource=RESOURCE, upload=io.BytesIO(xlsx(HEADER, [good])), user=county
    )
    assert result.ok and result.created == 1
    saved = BudgetLine.objects.get()
    assert (saved.region_code, saved.cost_type, str(saved.spent_wan_yuan), saved.status) == (
        "620102",
        "worker_pay",
        "90.50",
        "draft",
    )
    assert saved.history.count() == 1


def test_export_then_import_changes_nothing():
    world()
    line("620102", 2013, budgeted="50")
    admin = make_user("a", role="admin", is_superuser=True)
    out = io.BytesIO()
    build_export(RESOURCE, BudgetLine.objects.all(), out)
    before = {(o.pk, o.version) for o in BudgetLine.objects.all()}
    result = import_workbook(resource=RESOURCE, upload=io.BytesIO(out.getvalue()), user=admin)
    assert result.ok and result.unchanged == 1
    assert {(o.pk, o.version) for o in BudgetLine.objects.all()} == before


def test_portal_export_and_template_of_budget_lines(client):
    world()
    line("620102", 2013, budgeted="50")
    line("620201", 2013, budgeted="70")
    client.force_login(make_user("lz", role="official", scope_code="6201"))
    response = client.get("/excel/export/budget-lines.xlsx", {"scope": "6201"})
    assert response.status_code == 200
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0].values
    )
    assert [r[0] for r in rows[1:] if r[0]] == ["620102"]  # nothing of another prefecture
    assert client.get("/excel/templates/budget-lines.xlsx").status_code == 200


def test_officials_open_the_budget_line_import_page(client):
    world()
    client.force_login(make_user("cg", role="official", scope_code="620102"))
    assert client.get("/excel/import/budget-lines/").status_code == 200
    assert client.get("/excel/import/volunteers/").status_code == 403  # officials enter no records
