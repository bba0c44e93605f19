"""Demo data of the reporting cycle: the 2015 period and a collection in progress.

Runs after the demo's statistics are written (demo/seed.py). Most 2015 rows are approved at
both levels, some only by the street, some submitted and waiting, some returned, a few drafts
(not submitted) and a few first submitted after the due date. Deterministic (a hash of the
community code), one SELECT and a bulk UPDATE: seconds at full scale.
"""

import datetime
import zlib

from communities import cycle
from communities.models import CommunityStat, StatStatus

from .models import ReportingPeriod, default_due_on, default_opens_on

DEMO_YEAR = 2015
DEMO_STREET = "620102016"
STREET_ONLY_FROM = 0.93  # of the approved rows, those above this roll wait for the county
LATE_SHARE = 0.12  # of the rows the builder submitted after the due date, those that stay late


def roll(code: str, salt: str) -> float:
    return (zlib.crc32(f"{salt}:{code}".encode()) % 10_000) / 10_000


def approver(level: str, code: str) -> str:
    """The username that approved at ``level`` (the demo street's own account where it exists)."""
    if level == "street":
        return "demo_street" if code[:9] == DEMO_STREET else f"mz{code[:9]}"
    return f"mz{code[:6]}"


def build_cycle(year: int = DEMO_YEAR) -> int:
    """Create the period of ``year`` and give its rows their place in the cycle; return the rows."""
    period, _ = ReportingPeriod.objects.get_or_create(
        year=year,
        defaults={"opens_on": default_opens_on(year), "due_on": default_due_on(year)},
    )
    levels = list(period.approval_levels)
    cutoff = cycle.due_cutoff(period.due_on)
    rows = list(CommunityStat.objects.filter(year=year).order_by("pk"))
    for stat in rows:
        code = stat.community_id
        if stat.submitted_at is None:
            continue
        first = stat.submitted_at
        if first >= cutoff and roll(code, "late") >= LATE_SHARE / 0.5:
            # Most communities made the deadline; the builder spreads submissions wider.
            first = cutoff - datetime.timedelta(days=2 + int(roll(code, "day") * 25), hours=7)
            stat.submitted_at = max(stat.submitted_at, first)
        stat.first_submitted_at = first
        stat.submitted_on_time = first < cutoff
        stat.approval_levels = levels
        stat.approvals, stat.approved_levels = [], 0
        if stat.status == StatStatus.APPROVED:
            reviewed = stat.reviewed_at or stat.submitted_at + datetime.timedelta(days=10)
            street_at = max(stat.submitted_at, reviewed - datetime.timedelta(days=4))
            stat.approvals = [
                {"level": levels[0], "user": approver(levels[0], code), "at": street_at.isoformat()}
            ]
            if roll(code, "street-only") >= STREET_ONLY_FROM:
                stat.status = StatStatus.SUBMITTED
                stat.reviewed_at = street_at
            else:
                stat.approvals += [
                    {"level": level, "user": approver(level, code), "at": reviewed.isoformat()}
                    for level in levels[1:]
                ]
            stat.approved_levels = len(stat.approvals)
    CommunityStat.objects.bulk_update(
        rows,
        [
            "status",
            "submitted_at",
            "reviewed_at",
            "first_submitted_at",
            "submitted_on_time",
            "approval_levels",
            "approvals",
            "approved_levels",
        ],
        batch_size=500,
    )
    return len(rows)
