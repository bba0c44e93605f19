"""Resident ID numbers (GB 11643), phones and their masks."""

import datetime

import pytest

from core.validators import mask_id_number, mask_phone
from tests.factories import make_hierarchy
from tests.model_rules import assert_accepted, assert_refused, valid_id_number
from volunteers.models import Volunteer


@pytest.fixture
def community(db):
    return make_hierarchy(communities=1)[0]


def volunteer(community, id_number, **fields):
    values = {"name": "王五", "gender": "male", "registered_on": datetime.date(2013, 3, 1)}
    values.update(fields)
    return Volunteer(community=community, id_number=id_number, **values)


def with_x_check_digit() -> str:
    return next(n for n in (valid_id_number(serial=s) for s in range(1, 1000)) if n.endswith("X"))


def test_wrong_check_digit_is_refused(community):
    good = valid_id_number()
    bad = good[:17] + ("1" if good[17] != "1" else "2")
    assert_refused(volunteer(community, bad), "id_number", "身份证号码校验位错误（GB 11643）。")


def test_impossible_birth_date_is_refused(community):
    first17 = "62010219800230001"  # 30 February
    from core.validators import id_check_char

    assert_refused(
        volunteer(community, first17 + id_check_char(first17)),
        "id_number",
        "身份证号码中的出生日期无效。",
    )


def test_birth_date_in_the_future_is_refused(community):
    future = f"{datetime.date.today().year + 1}0101"
    assert_refused(
        volunteer(community, valid_id_number(birth=future)),
        "id_number",
        "身份证号码中的出生日期无效。",
    )


def test_seventeen_digits_are_refused(community):
    assert_refused(
        volunteer(community, valid_id_number()[:17]),
        "id_number",
        "身份证号码应为18位，前17位为数字，末位为数字或X。",
    )


def test_lower_case_x_is_accepted_and_stored_upper_case(community):
    number = with_x_check_digit()
    row = volunteer(community, number.lower())
    assert_accepted(row)
    assert Volunteer.objects.get(pk=row.pk).id_number == number


def test_valid_id_number_is_accepted(community):
    assert_accepted(volunteer(community, valid_id_number()))


def test_duplicate_id_number_in_the_province_is_refused(community):
    other = make_hierarchy(prefecture="6202", county="620201", street="620201001")[0]
    number = valid_id_number()
    assert_accepted(volunteer(other, number))
    assert_refused(volunteer(community, number), "id_number", "该身份证号码不能在此登记；如该志愿者已迁入本社区，请在“志愿者转移”中提交转移申请，由街道审核后转入。")


def test_duplicate_differing_only_by_the_case_of_x_is_refused(community):
    number = with_x_check_digit()
    assert_accepted(volunteer(community, number))
    assert_refused(
        volunteer(community, number.lower(), name="重复"), "id_number", "该身份证号码不能在此登记；如该志愿者已迁入本社区，请在“志愿者转移”中提交转移申请，由街道审核后转入。"
    )


@pytest.mark.parametrize("phone", ["1381234567", "23812345678", "138-1234-5678", "电话"])
def test_malformed_phone_is_refused(community, phone):
    row = volunteer(community, valid_id_number(), phone=phone)
    assert_refused(row, "phone", "电话号码格式不正确，应为11位手机号或带区号的固定电话。")


@pytest.mark.parametrize("phone", ["13812345678", "0931-8765432", "09318765432", ""])
def test_mobile_landline_or_no_phone_is_accepted(community, phone):
    assert_accepted(volunteer(community, valid_id_number(), phone=phone))


def test_id_number_mask_keeps_region_and_last_four():
    assert mask_id_number("620102198001010017") == "620102********0017"
    assert mask_id_number("") == ""
    assert mask_id_number(None) == ""


def test_phone_mask_keeps_first_three_and_last_four():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("") == ""


def test_volunteer_shows_masked_values(community):
    row = volunteer(community, valid_id_number(), phone="13812345678")
    assert row.id_number_masked == row.id_number[:6] + "********" + row.id_number[-4:]
    assert row.phone_masked == "138****5678"
