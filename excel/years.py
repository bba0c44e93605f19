"""The years an import accepts in a 年度 column: the plan's years.

The figures tables (``targets.figures.figure_years``) hold 2010, the plan's baseline year,
to the last plan's target year (十二五: 2011—2015); a year outside that range would be
stored but never counted, so the import refuses it. Without any plan the range ends with
next calendar year (a budget may be entered a year ahead). A column may start earlier
(``Column.first_year``): a facility built before the plan was funded in its building years.
"""

from django.utils import timezone

from core.dates import FIRST_YEAR
from core.xlsx import cells


def plan_years(first: int | None = None) -> tuple[int, int]:
    """Return the first and last year a 年度 cell may hold (from ``first`` if given)."""
    from targets.models import Plan

    last = max(Plan.objects.values_list("target_year", flat=True), default=None)
    first = FIRST_YEAR if first is None else first
    return first, max(last or timezone.localdate().year + 1, first)


def years_text(years: tuple[int, int]) -> str:
    first, last = years
    return f"{first}年至{last}年"


def read_year(value, years: tuple[int, int], *, first: int | None = None) -> int:
    """Read a 年度 cell: a whole number within the plan's years (from ``first`` if given)."""
    if first is not None:
        years = (first, years[1])
    try:
        year = cells.to_int(value)
    except cells.CellError:
        raise cells.CellError(f"应填写四位年份，如 {years[1]}。") from None
    first, last = years
    if not first <= year <= last:
        raise cells.CellError(
            f"年度“{year}”不在规划年度范围内，只能填写{years_text(years)}之间的年份。"
        )
    return year
