"""The compliance workbook: every figure equals the engine's (at the API's precision), typed and formatted."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from targets.engine import community_rows, compute_region, street_rows
from targets.payload import gap_string, ratio_string, region_payload, unit_value_string
from targets.plans import current_plan
from targets.registry import COMMUNITY_INDICATORS, INDICATOR_BY_CODE
from targets.report import build_compliance_workbook
from tests.factories import make_hierarchy

# Sheets other apps add through register_report_section, between 社区 and 指标说明.
SECTIONS = ["服务标准", "社区队伍", "民情流水线", "填报情况"]


def as_number(text):
    return None if text is None else float(Decimal(text))


def build(scope="62", year=2015):
    buf = io.BytesIO()
    build_compliance_workbook(scope_code=scope, year=year, plan=current_plan(), out=buf)
    buf.seek(0)
    return load_workbook(buf)


def find_row(ws, column, value):
    for row in ws.iter_rows():
        if row[column].value == value:
            return row
    raise AssertionError(f"{value} not found in {ws.title}")


@pytest.mark.django_db
class TestFigures:
    def test_summary_rows_equal_the_compliance_api(self, province):
        wb = build()
        assert wb.sheetnames == [
            "达标汇总",
            "各市州",
            "各市州明细",
            "街道",
            "社区",
            *SECTIONS,
            "指标说明",
        ]
        ws = wb["达标汇总"]
        payload = region_payload(compute_region(scope_code="62", year=2015), current_plan())
        for item in payload["indicators"]:
            row = find_row(ws, 1, item["name"])
            assert row[3].value == float(Decimal(item["threshold"]))
            assert row[5].value == item["applicable"]
            assert row[6].value == item["compliant"]
            assert row[7].value == as_number(item["rate"])
            assert row[8].value == as_number(item["value"])
            assert row[9].value == as_number(item["gap"])
            assert row[11].value == item["missing"]
        for item in payload["baseline"]:
            name = next(
                b.name
                for b in compute_region(scope_code="62", year=2015).baseline
                if b.code == item["code"]
            )
            row = find_row(ws, 1, name)
            assert row[7].value == item["count"]
            assert row[8].value == as_number(item["rate"])

    def test_summary_header_names_scope_year_and_plan(self, province):
        ws = build()["达标汇总"]
        assert ws["A1"].value == "甘肃省2015年社区服务体系建设达标情况（十二五规划）"
        assert ws["B2"].value.startswith("甘肃省")
        assert ws["B3"].value == 2015
        assert "十二五" in ws["B4"].value
        assert isinstance(ws["B5"].value, datetime.datetime)

    def test_next_level_sheet_has_one_row_per_child_with_its_rates(self, province):
        wb = build()
        ws = wb["各市州"]
        result = compute_region(scope_code="62", year=2015)
        header = [c.value.replace("\n", "") for c in ws[2]]
        detail = [[c.value for c in row] for row in wb["各市州明细"].iter_rows(min_row=3)]
        for child in result.children:
            row = find_row(ws, 0, child.code)
            assert row[1].value == child.name
            assert row[3].value == child.community_count
            for indicator in child.indicators:
                col = header.index(f"{INDICATOR_BY_CODE[indicator.code].short_name}达标率")
                assert row[col].value == as_number(ratio_string(indicator.rate))
                line = next(r for r in detail if r[0] == child.code and r[2] == indicator.name)
                assert line[5] == indicator.applicable and line[6] == indicator.compliant
                assert line[7] == as_number(ratio_string(indicator.rate))
                assert line[9] == as_number(
                    gap_string(INDICATOR_BY_CODE[indicator.code], indicator.gap)
                )

    def test_streets_sheet_marks_towns_as_not_held_to_the_centre_target(self, province):
        ws = build()["街道"]
        rows = {r.code: r for r in street_rows(scope_code="62", year=2015)}
        sub = find_row(ws, 2, "620102016")
        assert sub[5].value == 812.5 and sub[6].value == "达标"
        assert sub[5].fill.fgColor.rgb != "00F8CBAD"
        town = find_row(ws, 2, "620201101")
        assert town[6].value == "不适用"
        assert set(rows) == {"620102016", "620201101"}

    def test_community_sheet_values_and_verdicts_equal_the_engine_and_failing_cells_are_filled(
        self, province
    ):
        ws = build()["社区"]
        rows = community_rows(scope_code="62", year=2015)
        assert ws.max_row == 3 + len(rows)
        for row in rows:
            cells = find_row(ws, 3, row.code)
            assert cells[5].value == ("缺数据" if row.missing_data else "有")
            for i, indicator in enumerate(COMMUNITY_INDICATORS):
                unit = row.indicators[indicator.code]
                value = cells[6 + i]
                assert value.value == as_number(unit_value_string(indicator, unit.value))
                assert (value.fill.fgColor.rgb == "00F8CBAD") == (not unit.compliant)
                assert value.number_format.endswith('"▼"') == (not unit.compliant)
            passed = sum(u.compliant for u in row.indicators.values())
            assert cells[-2].value == passed
            assert cells[-1].value == ("是" if row.fully_compliant else "否")
        b = find_row(ws, 3, "620102016002")
        assert b[6].value == 299.99 and b[6].number_format == '#,##0.00"▼"'


@pytest.mark.django_db
class TestFormat:
    def test_numbers_are_numbers_with_number_formats(self, province):
        wb = build()
        summary = wb["达标汇总"]
        row = find_row(summary, 1, INDICATOR_BY_CODE["resident_participation"].name)
        assert row[7].data_type == "n" and row[7].number_format == "0.0%"
        assert row[8].number_format == "0.0%"
        assert row[3].value == 0.3 and row[3].number_format == "0%"
        area = find_row(summary, 1, INDICATOR_BY_CODE["community_station"].name)
        assert area[9].number_format == "#,##0.00" and area[9].data_type == "n"
        communities = wb["社区"]
        a = find_row(communities, 3, "620102016001")
        assert a[6].number_format == "#,##0.00"
        assert a[8].number_format.startswith("0.0%")

    def test_every_sheet_is_printable_a4_landscape_with_frozen_headers(self, province):
        wb = build()
        for ws in wb.worksheets:
            assert ws.page_setup.orientation == "landscape"
            assert ws.page_setup.paperSize == 9
            assert ws.freeze_panes is not None
            assert ws.print_title_rows or ws.title == "达标汇总"
        assert wb["社区"].auto_filter.ref.startswith("A3:")
        assert wb["社区"].row_dimensions[3].height == 14 * 4 + 6  # wrapped headers shown whole
        assert wb["社区"].freeze_panes == "F4"

    def test_definitions_sheet_quotes_the_plans_words(self, province):
        ws = build()["指标说明"]
        texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        for indicator in INDICATOR_BY_CODE.values():
            assert indicator.plan_words in texts

    def test_large_regions_are_fetched_child_by_child_in_code_order(self, province, monkeypatch):
        import targets.report as report

        calls = []
        real = report.community_rows

        def spy(**kwargs):
            calls.append(kwargs["scope_code"])
            return real(**kwargs)

        monkeypatch.setattr(report, "community_rows", spy)
        monkeypatch.setattr(report, "ROWS_AT_ONCE", 2)
        ws = build()["社区"]
        assert calls == ["6201", "6202"]
        codes = [r[3].value for r in ws.iter_rows(min_row=4)]
        assert codes == sorted(codes) and len(codes) == 5
        calls.clear()
        monkeypatch.setattr(report, "ROWS_AT_ONCE", 20000)
        build()
        assert calls == ["62"]

    def test_query_count_does_not_grow_with_the_number_of_communities(
        self, province, django_assert_max_num_queries
    ):
        """A fixed number of queries, none per community."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as small:
            build()
        make_hierarchy(prefecture="6201", county="620103", street="620103001", communities=20)
        with django_assert_max_num_queries(len(small)):
            build()


@pytest.mark.django_db
def test_names_that_look_like_formulas_are_written_as_text(province):
    from communities.models import Community

    Community.objects.filter(code="620102016003").update(name='=HYPERLINK("http://x","点我")')
    ws = build()["社区"]
    cell = find_row(ws, 3, "620102016003")[4]
    assert cell.value == '=HYPERLINK("http://x","点我")'
    assert cell.data_type == "s" and cell.quotePrefix


@pytest.mark.django_db
@pytest.mark.parametrize("scope", ["6201", "620102", "620102016", "620102016001"])
def test_every_level_of_scope_gives_a_complete_report(province, scope):
    wb = build(scope=scope)
    streets = ["街道"] if len(scope) < 12 else []
    assert wb.sheetnames[0] == "达标汇总"
    assert wb.sheetnames[-2 - len(streets) - len(SECTIONS) :] == [
        *streets,
        "社区",
        *SECTIONS,
        "指标说明",
    ]
    rows = community_rows(scope_code=scope, year=2015)
    sheet = wb["社区"]
    assert sheet.max_row == 3 + len(rows)
    code_column = [c.value for c in sheet[3]].index("社区代码")
    assert [r[code_column].value for r in sheet.iter_rows(min_row=4)] == [r.code for r in rows]


# -- layout: no sheet repeats another, and the summary says where the rows are ----------


def guide(wb) -> str:
    return find_row(wb["达标汇总"], 0, "明细")[1].value


@pytest.mark.django_db
class TestNextLevelSheet:
    def test_a_street_has_no_next_level_sheet_repeating_the_communities(self, province):
        wb = build(scope="620102016")
        assert wb.sheetnames == ["达标汇总", "街道", "社区", *SECTIONS, "指标说明"]
        text = guide(wb)
        assert "“社区”工作表" in text and "“街道”工作表" in text and "“指标说明”工作表" in text
        assert "各社区”" not in text and "下级区划" not in text

    def test_a_community_has_no_empty_streets_sheet_and_its_summary_points_to_none(self, province):
        wb = build(scope="620102016001")
        assert wb.sheetnames == ["达标汇总", "社区", *SECTIONS, "指标说明"]
        text = guide(wb)
        assert "“社区”工作表" in text and "“指标说明”工作表" in text
        assert "“街道”" not in text
        for title in ("社区", "指标说明"):
            assert wb[title].max_row > 3

    def test_the_summary_table_still_starts_below_the_guide(self, province):
        ws = build(scope="620102016")["达标汇总"]
        assert ws["A8"].value == "明细" and ws["A10"].value == "序号"
        assert ws.auto_filter.ref.startswith("A10:") and ws.freeze_panes == "A11"

    def test_the_street_summary_points_to_one_row_per_community(self, province):
        assert "各社区的指标数值和达标情况见“社区”工作表（每个社区一行）" in guide(
            build(scope="620102016")
        )

    @pytest.mark.parametrize(
        ("scope", "sheet", "children"),
        [
            ("62", "各市州", "各市州"),
            ("6201", "各县区", "各县区"),
            ("620102", "各街道（乡镇）", "各街道（乡镇）"),
        ],
    )
    def test_larger_scopes_keep_their_next_level_sheet_and_name_it(
        self, province, scope, sheet, children
    ):
        wb = build(scope=scope)
        assert wb.sheetnames == [
            "达标汇总",
            sheet,
            f"{sheet}明细",
            "街道",
            "社区",
            *SECTIONS,
            "指标说明",
        ]
        assert f"{children}的汇总见“{sheet}”工作表" in guide(wb)
        assert "“社区”工作表" in guide(wb)


# -- the plan's published baseline values are numbers, formatted as printed -------------------


@pytest.mark.django_db
class TestPublishedBaseline:
    def published(self, wb, name):
        return find_row(wb["达标汇总"], 1, name)[6]

    @pytest.mark.parametrize(
        ("name", "value", "number_format"),
        [
            ("设有社区服务中心的街道", 0.6, "0.0%"),
            ("没有社区服务中心的街道", 51, "#,##0"),
            ("设有社区服务站的社区", 0.895, "0.0%"),
            ("没有办公服务用房的社区", 124, "#,##0"),
            ("办公服务用房在300平方米以下的社区", 699, "#,##0"),
            ("社区志愿者组织", 7000, '#,##0"+"'),  # 7000多个: shown as 7,000+
            ("注册志愿者人数", 138400, "#,##0"),
        ],
    )
    def test_published_values_are_numbers_with_formats(self, province, name, value, number_format):
        cell = self.published(build(), name)
        assert cell.data_type == "n"
        assert cell.value == pytest.approx(value)
        assert cell.number_format == number_format

    def test_a_published_value_that_is_not_a_figure_stays_text_never_a_formula(self, province):
        plan = current_plan()
        plan.baseline = {
            **(plan.baseline or {}),
            "volunteer_organizations": "=1+1",
            "registered_volunteer_count": "约13.84万",
        }
        buf = io.BytesIO()
        build_compliance_workbook(scope_code="62", year=2015, plan=plan, out=buf)
        buf.seek(0)
        wb = load_workbook(buf)
        formula = self.published(wb, "社区志愿者组织")
        assert formula.value == "=1+1" and formula.data_type == "s" and formula.quotePrefix
        assert self.published(wb, "注册志愿者人数").value == "约13.84万"
