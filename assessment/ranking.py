"""The ranking of a scheme: its rounds in order, each item's score and the change from last year.

A fixed handful of queries whatever the number of units: the rounds, their item scores, the
items, and last year's totals of the same level.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from .models import Assessment, ItemScore, Scheme, Status


@dataclass
class RankingRow:
    assessment: Assessment
    scores: dict[str, ItemScore] = field(default_factory=dict)  # by item code
    last_total: Decimal | None = None

    @property
    def change(self) -> Decimal | None:
        if self.last_total is None:
            return None
        return self.assessment.total - self.last_total


def previous_scheme(scheme: Scheme) -> Scheme | None:
    """Return last year's scheme of the same level (the first by name), or None."""
    return (
        Scheme.objects.filter(year=scheme.year - 1, level=scheme.level)
        .order_by("name", "pk")
        .first()
    )


def ranking_order(assessment: Assessment):
    """Finalised rounds by rank, then the rounds in progress by their total so far."""
    if assessment.status == Status.FINAL and assessment.rank is not None:
        return (0, assessment.rank, assessment.unit_code)
    return (1, -assessment.total, assessment.unit_code)


UNKNOWN = object()


def scheme_ranking(scheme: Scheme, user, *, items=None, last=UNKNOWN) -> list[RankingRow]:
    """Return the rounds of ``scheme`` that ``user`` may see, in ranking order.

    ``last`` is last year's scheme when the caller has it already (None: there is none).
    """
    items = items if items is not None else list(scheme.items.all())
    by_id = {item.pk: item for item in items}
    rounds = list(Assessment.objects.visible_to(user).filter(scheme=scheme).order_by())
    rows = {a.pk: RankingRow(assessment=a) for a in rounds}
    for a in rounds:
        a.scheme = scheme
    scores = ItemScore.objects.filter(assessment__in=[a.pk for a in rounds]) if rounds else []
    for score in scores:
        score.item = by_id[score.item_id]
        rows[score.assessment_id].scores[score.item.code] = score
    if last is UNKNOWN:
        last = previous_scheme(scheme)
    if last is not None and rounds:
        totals = dict(
            Assessment.objects.filter(scheme=last, status=Status.FINAL).values_list(
                "unit_code", "total"
            )
        )
        for row in rows.values():
            row.last_total = totals.get(row.assessment.unit_code)
    return sorted(rows.values(), key=lambda row: ranking_order(row.assessment))
