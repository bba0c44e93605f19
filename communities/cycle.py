"""What the yearly reporting cycle tells the statistics: a year's approval levels and due date.

The reporting periods are plan data of an app above this one (``reporting``), which installs
its rules here from its ``ready()``. Without a period for the year a row needs one approval
by any official above it and has no due date (the portal's behaviour before periods existed).

A row keeps the levels it must pass (``CommunityStat.approval_levels``), fixed when it is
submitted and updated by the period's owner when the period changes, so that deciding who
may approve it reads no other table.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from core.roles import Role, role_of
from core.scoping import LEVEL_BY_LENGTH

APPROVAL_LEVELS = ("street", "county", "prefecture", "province")  # bottom up
LEVEL_NAMES = {"street": "街道", "county": "县区", "prefecture": "市州", "province": "省"}
REPORTING_TZ = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class YearRules:
    """The approval levels (in order) and the due date of one year's statistics."""

    levels: tuple[str, ...] = ()
    due_on: datetime.date | None = None


def _no_period(year: int) -> YearRules:
    return YearRules()


_provider = _no_period


def install(provider) -> None:
    """Let ``provider(year) -> YearRules`` answer for every year (the reporting app's ready())."""
    global _provider
    _provider = provider


def _no_checks(stat) -> list:
    return []


_checker = _no_checks


def install_checks(checker) -> None:
    """Let ``checker(stat) -> [problem]`` judge rows (problems have ``severity``, ``field``,
    ``message``; ``error`` refuses the save, ``warning`` is confirmed at submission)."""
    global _checker
    _checker = checker


def problems(stat) -> list:
    """Return the data-quality problems of a row (none without an installed checker)."""
    return _checker(stat)


def errors_of(stat) -> dict[str, list[str]]:
    """Return the row's refusing problems as field → messages."""
    found: dict[str, list[str]] = {}
    for problem in problems(stat):
        if problem.severity == "error":
            found.setdefault(problem.field, []).append(problem.message)
    return found


def warnings_of(stat) -> list:
    return [p for p in problems(stat) if p.severity == "warning"]


def rules_for(year: int) -> YearRules:
    """Return the rules of ``year`` (no levels and no due date when no period is set)."""
    return _provider(year)


def due_cutoff(due_on: datetime.date) -> datetime.datetime:
    """Return the first instant after ``due_on`` in Asia/Shanghai: on time is strictly before it."""
    day = due_on + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=REPORTING_TZ)


def on_time(first_submitted_at, due_on) -> bool | None:
    """Say whether a first submission came on or before the due date (None: unknown)."""
    if first_submitted_at is None or due_on is None:
        return None
    return first_submitted_at < due_cutoff(due_on)


def user_level(user) -> str | None:
    """Return the level an official approves at (from the length of their code)."""
    if role_of(user) == Role.ADMIN:
        return "province"
    if role_of(user) != Role.OFFICIAL:
        return None
    return LEVEL_BY_LENGTH.get(len(getattr(user, "scope_code", "") or ""))


def next_level(stat) -> str | None:
    """Return the level the row waits for (None: all done, or one-step approval)."""
    levels = stat.approval_levels or []
    if stat.approved_levels < len(levels):
        return levels[stat.approved_levels]
    return None


def completes(stat) -> bool:
    """Say whether one more approval makes the row approved at every level."""
    levels = stat.approval_levels or []
    return stat.approved_levels + 1 >= len(levels)


def may_approve(user, stat) -> bool:
    """Say whether ``user``'s level is the one the row waits for (admins act for any level)."""
    if not stat.approval_levels:
        return True
    wanted = next_level(stat)
    if wanted is None:
        return False
    return role_of(user) == Role.ADMIN or user_level(user) == wanted


def may_return(user, stat) -> bool:
    """Say whether ``user`` may return the row: the level it waits for, or the last that approved.

    A higher level returns a row it or a lower level approved; a lower level never undoes a
    higher level's approval.
    """
    if not stat.approval_levels or role_of(user) == Role.ADMIN:
        return True
    level = user_level(user)
    done = [entry.get("level") for entry in stat.approvals or []]
    return level == next_level(stat) or (bool(done) and level == done[-1])
