"""The scoring rules of a 目标考核 sheet: pure functions of numbers, no database.

Each method of ``assessment.methods`` scores an item with one of these; the ranking and the
grades come from ``ranked`` and ``grade_for``. Scores are ``Decimal`` with two places, rounded
half up, as a score sheet prints them.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

TWO = Decimal("0.01")
ZERO = Decimal("0")
ONE = Decimal("1")

EXCELLENT, GOOD, PASS, FAIL = "excellent", "good", "pass", "fail"
GRADE_ORDER = (EXCELLENT, GOOD, PASS, FAIL)


def score_round(value) -> Decimal:
    """Round a score to two places, half up (8.125 → 8.13)."""
    return Decimal(value).quantize(TWO, rounding=ROUND_HALF_UP)


def rate_score(
    *,
    points: Decimal,
    rate: Decimal | None,
    full_at: Decimal | None = None,
    zero_below: Decimal | None = None,
) -> Decimal:
    """Score a rate out of ``points``.

    Without a band: points × rate. With one: full points at or above ``full_at``, none below
    ``zero_below``, and linear between (exactly ``zero_below`` scores 0). No rate (nothing to
    count) scores 0.
    """
    if rate is None:
        return ZERO.quantize(TWO)
    rate = min(max(Decimal(rate), ZERO), ONE)
    points = Decimal(points)
    if full_at is None or zero_below is None:
        return score_round(points * rate)
    if rate >= full_at:
        return score_round(points)
    if rate < zero_below:
        return ZERO.quantize(TWO)
    return score_round(points * (rate - zero_below) / (full_at - zero_below))


def manual_score(*, points: Decimal, deductions: Iterable[Decimal]) -> Decimal:
    """Score a manual item: its points less the deductions listed, never below 0."""
    taken = sum((Decimal(d) for d in deductions), ZERO)
    return score_round(max(Decimal(points) - taken, ZERO))


def bonus_score(*, cap: Decimal, amounts: Iterable[Decimal]) -> Decimal:
    """Score a bonus item: the sum of its entries, at most ``cap``."""
    return score_round(min(sum((Decimal(a) for a in amounts), ZERO), Decimal(cap)))


def deduction_score(*, cap: Decimal, amounts: Iterable[Decimal]) -> Decimal:
    """Score a deduction item: minus the sum of its entries, at most ``cap`` taken off."""
    return -score_round(min(sum((Decimal(a) for a in amounts), ZERO), Decimal(cap)))


def band_grade(total: Decimal, bands: Sequence[tuple[str, Decimal]]) -> str:
    """Return the grade whose ``min_score`` the total reaches, bands tried from the top."""
    for grade, minimum in sorted(bands, key=lambda band: -Decimal(band[1])):
        if Decimal(total) >= Decimal(minimum):
            return grade
    return FAIL


def grade_for(total: Decimal, bands: Sequence[tuple[str, Decimal]], *, vetoed: bool) -> str:
    """Return the grade of a total; a veto (一票否决) makes it 不合格 whatever the score."""
    return FAIL if vetoed else band_grade(total, bands)


def quota_places(share: Decimal, units: int) -> int:
    """Return how many units may be 优秀: the share of the units assessed, rounded down."""
    return int((Decimal(share) * units).to_integral_value(rounding=ROUND_DOWN))


@dataclass
class Standing:
    """One unit in the ranking: what the order is decided on, and what it comes to."""

    key: object  # the assessment (or whatever the caller ranks)
    total: Decimal
    automatic: Decimal  # the sum of the scores computed from data
    deducted: Decimal  # the points taken off (deduction items, as a positive number)
    vetoed: bool
    band: str  # the grade the total reaches, before the quota
    rank: int = 0
    grade: str = FAIL


def _order(s: Standing):
    return (s.vetoed, -s.total, -s.automatic, s.deducted)


def ranked(standings: list[Standing], *, quota: int) -> list[Standing]:
    """Rank the units and give each its grade under the 优秀 quota (docs/assessment.md).

    Order: units without a veto first; then the higher total, the higher automatic subtotal,
    the fewer points deducted. Units equal on all of these share a rank (1, 2, 2, 4). A unit
    whose band is 优秀 keeps it only if its rank and every unit sharing it fit within the
    quota; otherwise it is 良好. The quota is a ceiling: it is never exceeded.
    """
    ordered = sorted(standings, key=_order)
    previous = None
    for position, standing in enumerate(ordered, start=1):
        if previous is not None and _order(previous) == _order(standing):
            standing.rank = previous.rank
        else:
            standing.rank = position
        previous = standing
    last_place = {}
    for position, standing in enumerate(ordered, start=1):
        last_place[standing.rank] = position  # the last position of each shared rank
    for standing in ordered:
        if standing.vetoed:
            standing.grade = FAIL
        elif standing.band == EXCELLENT and last_place[standing.rank] > quota:
            standing.grade = GOOD
        else:
            standing.grade = standing.band
    return ordered
