"""Messy input that real staff produce: each case read right, or refused with a Chinese message
that says what is wrong.

Full-width digits, zero-width spaces and BOMs (pasted from Word or WeChat), title rows above
the header, merged cells, a renamed data sheet beside another sheet, Excel serial dates in
General cells, text datetimes and impossible or implausible dates.
"""

import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import from_excel

from core.text import normalize
from core.xlsx.reading import ImportFileError
from excel.importers import import_workbook
from excel.resources import VOLUNTEERS
from tests.excel.conftest import xlsx
from tests.excel.test_import_volunteers import HEADER, id_number, row
from volunteers.forms import VolunteerForm
from volunteers.models import Volunteer

FULL_WIDTH = str.maketrans("0123456789-X", "０１２３４５６７８９－Ｘ")
ZWSP, BOM = "\u200b", "\ufeff"
REGISTERED, REG_COLUMN = 7, "H"  # 注册日期 in the volunteer template


def full_width(text: str) -> str:
    return text.translate(FULL_WIDTH)


def run(user, data: bytes):
    return import_workbook(resource=VOLUNTEERS, upload=data, user=user)


def save(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def messages(result) -> list[str]:
    return [str(e) for e in result.errors]


def with_date(value, number_format: str | None = None) -> bytes:
    """One volunteer row whose 注册日期 cell holds ``value`` (optionally formatted)."""
    wb = Workbook()
    ws = wb.active
    ws.title = VOLUNTEERS.title
    ws.append(HEADER)
    ws.append(row(seq=1, reg=value))
    if number_format:
        ws[f"{REG_COLUMN}2"].number_format = number_format
    return save(wb)


def test_normalize_makes_full_width_ascii_and_drops_invisible_characters():
    assert normalize(f"{BOM}６２０１０２\u3000{ZWSP}Ａ\u00a0") == "620102 A"
    assert normalize("２０１５－０３－０１") == "2015-03-01"
    assert normalize("\u2060138\u200c1234\u200d5678 ") == "13812345678"
    assert normalize(42064) == 42064


@pytest.mark.django_db
class TestCharacters:
    def test_full_width_digits_in_code_id_phone_and_date_are_read(self, staff):
        number = id_number(5)  # ends in X
        data = xlsx(
            HEADER,
            [
                row(
                    code=full_width("620102016001"),
                    id=full_width(number),
                    phone=full_width("13812345678"),
                    reg=full_width("2014-03-01"),
                    seq=5,
                )
            ],
            title=VOLUNTEERS.title,
        )
        result = run(staff, data)
        assert result.ok, messages(result)
        person = Volunteer.objects.get()
        assert (person.community_id, person.id_number, person.phone) == (
            "620102016001",
            number,
            "13812345678",
        )
        assert person.registered_on == datetime.date(2014, 3, 1)

    def test_a_full_width_code_outside_the_area_is_named_in_ascii(self, staff):
        data = xlsx(HEADER, [row(code=full_width("620201001001"))], title=VOLUNTEERS.title)
        assert messages(run(staff, data)) == [
            "第2行 社区代码：社区代码“620201001001”不存在或不在您的管辖范围内。"
        ]

    def test_zero_width_spaces_and_boms_in_code_and_id_number_are_dropped(self, staff):
        data = xlsx(
            HEADER,
            [
                row(
                    code=f"{BOM}620102016001{ZWSP}",
                    id=f"{ZWSP}{id_number(1)}{BOM}",
                    gender="男",
                ),
                row(
                    code=f"620102{ZWSP}016001",
                    id=f"{BOM}{id_number(2)}",
                    gender="女",
                    name="李四",
                ),
            ],
            title=VOLUNTEERS.title,
        )
        result = run(staff, data)
        assert result.ok, messages(result)
        assert sorted(Volunteer.objects.values_list("id_number", flat=True)) == [
            id_number(1),
            id_number(2),
        ]

    def test_a_full_width_id_number_with_a_wrong_check_digit_is_told_so(self, staff):
        wrong = id_number(1)[:-1] + ("1" if id_number(1)[-1] != "1" else "2")
        data = xlsx(HEADER, [row(id=full_width(wrong))], title=VOLUNTEERS.title)
        assert messages(run(staff, data)) == [
            "第2行 身份证号码：身份证号码校验位错误（GB 11643）。"
        ]

    def test_the_portal_form_normalises_the_id_number_and_phone(self, communities):
        a = communities[0]
        form = VolunteerForm(
            data={
                "name": "王五",
                "gender": "male",
                "id_number": f"{BOM}{full_width(id_number(1))}{ZWSP}",
                "phone": "１３８\u3000１２３４\u00a0５６７８",
                "is_party_member": "",
                "registered_on": "２０１４－０３－０１",
            },
            instance=Volunteer(community=a),
        )
        assert form.is_valid(), form.errors
        assert form.cleaned_data["id_number"] == id_number(1)
        assert form.cleaned_data["phone"] == "13812345678"
        assert form.cleaned_data["registered_on"] == datetime.date(2014, 3, 1)


@pytest.mark.django_db
class TestLayout:
    def test_a_merged_title_row_above_the_header_is_skipped(self, staff):
        wb = Workbook()
        ws = wb.active
        ws.title = VOLUNTEERS.title
        ws.append(["城关区注册志愿者名单（2015年）"])
        ws.merge_cells("A1:K1")
        ws.append(["填报单位：团结新村街道"])
        ws.append(HEADER)
        ws.append(row(seq=1))
        ws.append(row(seq=2, name="李四", gender="女", reg="2015-02-30"))
        result = run(staff, save(wb))
        # The rows are numbered as Excel shows them: the header is row 3.
        assert messages(result) == ["第5行 注册日期：日期不正确：2015年2月没有30日。"]

    def test_missing_headers_name_the_row_the_header_was_looked_for(self, staff):
        data = xlsx(["社区代码*", "姓名*"], [["620102016001", "张三"]], title=VOLUNTEERS.title)
        with pytest.raises(ImportFileError) as exc:
            run(staff, data)
        assert exc.value.message.startswith("第1行缺少必填列：性别、身份证号码、注册日期。")

    def test_merged_code_cells_are_refused_with_their_range(self, staff):
        wb = Workbook()
        ws = wb.active
        ws.title = VOLUNTEERS.title
        ws.append(HEADER)
        for seq in range(1, 6):
            ws.append(row(seq=seq, name=f"志愿者{seq}"))
        ws.merge_cells("A5:A6")
        with pytest.raises(ImportFileError) as exc:
            run(staff, save(wb))
        assert exc.value.message == "第5行A5:A6为合并单元格，请取消合并后再导入。"
        assert Volunteer.objects.count() == 0

    def test_a_renamed_data_sheet_beside_an_extra_sheet_is_found_by_its_headers(self, staff):
        wb = Workbook()
        summary = wb.active
        summary.title = "汇总"
        summary.append(["社区", "人数"])
        summary.append(["团结新村", 2])
        data_sheet = wb.create_sheet("志愿者名单（修改版）")
        data_sheet.append(HEADER)
        data_sheet.append(row(seq=1))
        data_sheet.append(row(seq=2, name="李四", gender="女"))
        result = run(staff, save(wb))
        assert result.ok, messages(result)
        assert result.created == 2


@pytest.mark.django_db
class TestDates:
    def test_an_excel_serial_date_in_a_general_cell_is_read(self, staff):
        result = run(staff, with_date(42064))
        assert result.ok, messages(result)
        assert Volunteer.objects.get().registered_on == datetime.date(2015, 3, 1)

    def test_a_text_datetime_at_midnight_is_read(self, staff):
        result = run(staff, with_date("2015-03-01 00:00:00"))
        assert result.ok, messages(result)
        assert Volunteer.objects.get().registered_on == datetime.date(2015, 3, 1)

    def test_a_text_datetime_with_a_time_of_day_is_refused(self, staff):
        assert messages(run(staff, with_date("2015-03-01 14:30:00"))) == [
            "第2行 注册日期：日期不应带有时刻，请只填写日期，如“2015-03-01”。"
        ]

    @pytest.mark.parametrize("number_format", [None, "yyyy-mm-dd"])
    def test_a_date_of_minus_five_is_refused(self, staff, number_format):
        assert messages(run(staff, with_date(-5, number_format))) == [
            "第2行 注册日期：注册日期不能早于1949年10月01日，请检查年份。"
        ]
        assert Volunteer.objects.count() == 0

    def test_february_the_thirtieth_says_why(self, staff):
        assert messages(run(staff, with_date("2015-02-30"))) == [
            "第2行 注册日期：日期不正确：2015年2月没有30日。"
        ]

    @pytest.mark.parametrize("value", ["1900-01-01", datetime.datetime(1900, 1, 1)])
    def test_the_year_1900_is_refused(self, staff, value):
        assert messages(run(staff, with_date(value))) == [
            "第2行 注册日期：注册日期不能早于1949年10月01日，请检查年份。"
        ]

    def test_a_date_after_next_year_is_refused(self, staff):
        year = datetime.date.today().year + 2
        assert messages(run(staff, with_date(f"{year}-01-01"))) == [
            f"第2行 注册日期：注册日期不能晚于{year - 1}年12月31日，请检查年份。"
        ]

    def test_a_month_that_does_not_exist_says_so(self, staff):
        assert messages(run(staff, with_date("2015年13月1日"))) == [
            "第2行 注册日期：日期不正确：月份应为1至12，不能是13月。"
        ]

    def test_the_templates_date_check_uses_the_same_bounds(self):
        from excel.exporters import build_template

        buf = io.BytesIO()
        build_template(VOLUNTEERS, buf)
        ws = load_workbook(buf)[VOLUNTEERS.title]
        dv = next(
            d for d in ws.data_validations.dataValidation if str(d.sqref).startswith(REG_COLUMN)
        )
        next_year = datetime.date.today().year + 1
        assert (dv.type, dv.formula1) == ("date", "18172")  # 1949-10-01
        assert from_excel(int(dv.formula2)) == datetime.datetime(next_year, 12, 31)
        assert "1949年10月01日" in dv.error and f"{next_year}年12月31日" in dv.error
