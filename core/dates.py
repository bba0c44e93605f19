"""Date helpers for the reporting year (INDICATORS.md: "at Y" means on 31 December of Y)."""

import datetime


def year_end(year: int) -> datetime.date:
    """Return 31 December of ``year``."""
    return datetime.date(year, 12, 31)
