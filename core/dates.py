"""Dates and years: the reporting year (INDICATORS.md: "at Y" means on 31 December of Y).

One range of years for every channel: a year typed in a form, a query parameter, an import
or a record's own year field is a whole number from ``MIN_YEAR`` to ``MAX_YEAR``.
"""

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator

MIN_YEAR, MAX_YEAR = 2000, 2100
FIRST_YEAR = 2010  # the plan's baseline year: year menus and progress lines start here
YEAR_VALIDATORS = [MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]


def year_end(year: int) -> datetime.date:
    """Return 31 December of ``year``."""
    return datetime.date(year, 12, 31)
