"""Entry rules the models hold for every channel: no start date after today, a specialized
facility names its category, and numbers answer in the portal's own Chinese."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from communities.models import SocialOrganization
from facilities.models import Facility
from tests.factories import make_hierarchy
from tests.model_rules import assert_accepted, assert_refused, valid_id_number
from volunteers.models import Volunteer, VolunteerOrganization
from workforce.models import Worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def community():
    return make_hierarchy()[0]


def today():
    return timezone.localdate()


def tomorrow():
    return today() + datetime.timedelta(days=1)


def volunteer(community, registered_on):
    return Volunteer(
        community=community,
        name="王芳",
        gender="female",
        id_number=valid_id_number(serial=2),
        registered_on=registered_on,
    )


def worker(community, hired_on):
    return Worker(
        community=community,
        name="李明",
        gender="male",
        role="full_time",
        education="bachelor",
        hired_on=hired_on,
    )


def station(community, **fields):
    return Facility(
        **{
            "name": "社区服务站",
            "kind": "station",
            "community": community,
            "floor_area": 300,
            **fields,
        }
    )


def test_a_volunteer_registered_tomorrow_is_refused_and_today_is_accepted(community):
    message = f"注册日期不能晚于今天（{today():%Y年%m月%d日}）。"
    assert_refused(volunteer(community, tomorrow()), "registered_on", message)
    assert_accepted(volunteer(community, today()))


def test_a_facility_opened_tomorrow_is_refused_but_a_planned_one_has_no_date(community):
    assert_refused(
        station(community, opened_on=tomorrow()), "opened_on", "投入使用日期不能晚于今天"
    )
    assert_accepted(station(community, opened_on=None))


def test_a_worker_hired_tomorrow_is_refused(community):
    assert_refused(worker(community, tomorrow()), "hired_on", "任职日期不能晚于今天")


@pytest.mark.parametrize("model", [VolunteerOrganization, SocialOrganization])
def test_an_organisation_registered_tomorrow_is_refused(community, model):
    org = model(community=community, name="爱心服务队", registered_on=tomorrow())
    assert_refused(org, "registered_on", "成立日期不能晚于今天")


def test_a_3d_completion_tomorrow_is_refused(community):
    community.digital_3d_completed_on = tomorrow()
    assert_refused(community, "digital_3d_completed_on", "三维数字社区建成日期不能晚于今天")
    community.digital_3d_completed_on = today()
    assert_accepted(community)


def test_a_specialized_facility_needs_its_category(community):
    facility = station(community, kind="specialized")
    assert_refused(facility, "specialized_type", "专项服务设施必须选择专项设施类别")
    facility.specialized_type = "day_care"
    assert_accepted(facility)


def test_an_area_of_1e9_answers_in_the_portals_words(community):
    facility = station(community, floor_area=Decimal("1e9"))
    assert_refused(facility, "floor_area", "建筑面积不能超过100000平方米。")
    assert_refused(facility, "floor_area", "数值过大：最多 9 位数字。")
    with pytest.raises(ValidationError) as caught:
        facility.full_clean()
    assert not any("确认" in text for text in caught.value.message_dict["floor_area"])


# -- plausibility bounds: nothing of the portal happened before 1949-10-01 (issue 12) --


@pytest.mark.parametrize("day", [datetime.date(1, 1, 1), datetime.date(1949, 9, 30)])
def test_a_volunteer_registered_before_1949_10_01_is_refused(community, day):
    assert_refused(volunteer(community, day), "registered_on", "注册日期不能早于1949年10月01日")


def test_a_volunteer_registered_on_1949_10_01_is_accepted(community):
    assert_accepted(volunteer(community, datetime.date(1949, 10, 1)))


@pytest.mark.parametrize(
    ("make", "field", "label"),
    [
        (lambda c, d: worker(c, d), "hired_on", "任职日期"),
        (lambda c, d: station(c, opened_on=d), "opened_on", "投入使用日期"),
        (
            lambda c, d: SocialOrganization(community=c, name="爱心服务队", registered_on=d),
            "registered_on",
            "成立日期",
        ),
    ],
)
def test_other_start_dates_before_1949_10_01_are_refused(community, make, field, label):
    assert_refused(make(community, datetime.date(1900, 1, 1)), field, f"{label}不能早于1949年")


def test_a_3d_completion_before_1949_is_refused(community):
    community.digital_3d_completed_on = datetime.date(1, 1, 1)
    assert_refused(community, "digital_3d_completed_on", "三维数字社区建成日期不能早于1949年")


# -- gender and the ID number's 17th digit (odd 男, even 女) --


def test_gender_must_agree_with_the_id_numbers_sex_digit(community):
    male_number = valid_id_number(serial=1)  # 17th digit 1: odd, 男
    female_number = valid_id_number(serial=2)  # 17th digit 2: even, 女
    wrong = Volunteer(
        community=community,
        name="王芳",
        gender="male",
        id_number=female_number,
        registered_on=today(),
    )
    assert_refused(wrong, "gender", "性别与身份证号码不符：身份证号码第17位为偶数，应为“女”。")
    wrong = Volunteer(
        community=community,
        name="李强",
        gender="female",
        id_number=male_number,
        registered_on=today(),
    )
    assert_refused(wrong, "gender", "性别与身份证号码不符：身份证号码第17位为奇数，应为“男”。")
    wrong.gender = "male"
    assert_accepted(wrong)


def test_a_malformed_id_number_is_reported_once_not_as_a_gender_mismatch(community):
    bad = Volunteer(
        community=community,
        name="王芳",
        gender="male",
        id_number="62010219800101002",  # 17 characters
        registered_on=today(),
    )
    with pytest.raises(ValidationError) as caught:
        bad.full_clean()
    assert "id_number" in caught.value.message_dict
    assert "gender" not in caught.value.message_dict


def test_the_sex_digit_helper():
    from core.validators import id_number_sex

    assert id_number_sex(valid_id_number(serial=11)) == "male"
    assert id_number_sex(valid_id_number(serial=10)) == "female"
    assert id_number_sex("123") is None
