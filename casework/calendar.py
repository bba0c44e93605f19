"""Working days under the State Council's holiday arrangements (``chinese-calendar``).

A day is a working day when the published arrangement says so, makeup Saturdays and Sundays
included. For a year the package does not know yet, Monday to Friday count, and the answer
says so (``calendar_note``).
"""

import datetime
from functools import lru_cache

import chinese_calendar
from django.utils import timezone

UNKNOWN_YEAR_NOTE = "{years}年的法定节假日安排尚未收录，按周一至周五计算工作日。"


@lru_cache(maxsize=20000)
def workday(day: datetime.date) -> tuple[bool, bool]:
    """Return (is a working day, the arrangement of its year is known)."""
    try:
        return chinese_calendar.is_workday(day), True
    except NotImplementedError:
        return day.weekday() < 5, False


def is_working_day(day: datetime.date) -> bool:
    return workday(day)[0]


def add_working_days(start: datetime.date, days: int) -> tuple[datetime.date, str | None]:
    """Return the date ``days`` working days after ``start`` (``start`` not counted) and a note.

    The note names the years whose arrangement is unknown, or is None.
    """
    unknown: set[int] = set()
    day = start
    left = days
    while left > 0:
        day += datetime.timedelta(days=1)
        works, known = workday(day)
        if not known:
            unknown.add(day.year)
        if works:
            left -= 1
    return day, calendar_note(unknown)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Count the working days after ``start`` up to and including ``end`` (0 if not after)."""
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def previous_working_day(day: datetime.date) -> datetime.date:
    day -= datetime.timedelta(days=1)
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def calendar_note(years) -> str | None:
    years = sorted(set(years))
    if not years:
        return None
    return UNKNOWN_YEAR_NOTE.format(years="、".join(str(y) for y in years))


def today() -> datetime.date:
    """Today in Asia/Shanghai (the project's time zone)."""
    return timezone.localdate()
