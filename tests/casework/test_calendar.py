"""Working days and due dates: 2015's 国庆节 and 春节, makeup Saturdays, unknown years, overdue."""

import datetime

import pytest
import time_machine

from casework import calendar
from casework.models import CaseCategory

D = datetime.date
pytestmark = pytest.mark.django_db


def test_categories_carry_the_default_limits():
    limits = dict(CaseCategory.objects.values_list("code", "time_limit_working_days"))
    assert limits == {"consultation": 3, "help": 5, "suggestion": 10, "complaint": 13, "report": 15}


def test_national_day_2015_and_the_makeup_saturday():
    # 30 Sep (Wed) + 5: 1–7 Oct off; 8, 9, 10 (Saturday, worked), 12, 13.
    assert calendar.add_working_days(D(2015, 9, 30), 5) == (D(2015, 10, 13), None)
    # The makeup Saturday itself is a working day.
    assert calendar.add_working_days(D(2015, 10, 9), 1) == (D(2015, 10, 10), None)


def test_spring_festival_2015():
    # 16 Feb (Mon) + 3: 17 Feb, then 18–24 Feb off, 25, 26.
    assert calendar.add_working_days(D(2015, 2, 16), 3) == (D(2015, 2, 26), None)
    # + 13 runs across the makeup Saturday of 28 Feb.
    assert calendar.add_working_days(D(2015, 2, 16), 13) == (D(2015, 3, 11), None)


def test_a_year_the_calendar_does_not_know_counts_monday_to_friday():
    due, note = calendar.add_working_days(D(2026, 12, 28), 5)
    assert due == D(2027, 1, 4)  # 29, 30, 31 Dec, 1 Jan (a Friday, unknown), 4 Jan
    assert "2027年" in note and "周一至周五" in note


def test_case_due_on_across_national_day(register):
    case = register(category="help", accepted_on=D(2015, 9, 30))
    assert case.due_on == D(2015, 10, 13)
    assert case.calendar_note is None
    assert case.number == f"{case.community_id}20150930001"


def test_case_due_on_across_spring_festival(register):
    case = register(category="complaint", accepted_on=D(2015, 2, 16))
    assert case.due_on == D(2015, 3, 11)


def test_case_in_an_unknown_year_says_so(register):
    case = register(category="help", accepted_on=D(2003, 6, 2))
    assert case.due_on == D(2003, 6, 9)
    assert "2003年" in case.calendar_note


def test_overdue_at_the_end_of_due_on_in_shanghai(register):
    case = register(category="help", accepted_on=D(2015, 9, 30))  # due 13 Oct 2015
    # 23:59 on the due date in Shanghai (15:59 UTC): not yet overdue.
    with time_machine.travel(datetime.datetime(2015, 10, 13, 15, 59, tzinfo=datetime.UTC)):
        assert not case.is_overdue
        assert not type(case).objects.overdue().filter(pk=case.pk).exists()
    # 00:00 the next day in Shanghai (16:00 UTC on the due date): overdue.
    with time_machine.travel(datetime.datetime(2015, 10, 13, 16, 0, tzinfo=datetime.UTC)):
        assert case.is_overdue
        assert type(case).objects.overdue().filter(pk=case.pk).exists()


def test_future_acceptance_is_refused(register):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        register(accepted_on=D(2100, 1, 1))
    assert "accepted_on" in exc.value.message_dict


def test_numbers_run_per_community_and_day(register):
    first = register(accepted_on=D(2015, 9, 30))
    second = register(accepted_on=D(2015, 9, 30))
    other_day = register(accepted_on=D(2015, 10, 8))
    assert first.number.endswith("20150930001")
    assert second.number.endswith("20150930002")
    assert other_day.number.endswith("20151008001")
