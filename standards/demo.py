"""Demo self-checks: each station and centre in service checks part of the catalogue for the
plan's target year; most checks meet the standard, the street has reviewed most facilities'."""

import random

from django.db import connection
from django.utils import timezone

from demo.writer import RowWriter, reset_sequences
from facilities.models import Facility

from .models import CHECKED_KINDS, CheckStatus, ServiceStandard, StandardCheck

RESULTS = ("meets", "partly", "not_met")
NOTES = {
    "meets": "",
    "partly": "开放时间未完全达到要求，已调整排班。",
    "not_met": "场地不足，计划改扩建后达标。",
}
FIELDS = ["id", "facility", "standard", "year", "result", "note", "attachment", "status",
          "review_note", "version", "created_at", "updated_at"]  # fmt: skip


def build_checks(*, seed: int, year: int) -> dict[str, int]:
    """Write the demo self-checks for ``year`` (plain tuples: about a second at scale 1)."""
    codes = list(ServiceStandard.objects.order_by("code").values_list("code", flat=True))
    if not codes:
        return {}
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    writer = RowWriter(StandardCheck, FIELDS)
    facilities = (
        Facility.objects.in_service_at(year)
        .filter(kind__in=CHECKED_KINDS)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in facilities:
        rng = random.Random(f"{seed}/standards/{pk}")
        provided = rng.sample(codes, k=rng.randint(len(codes) // 4, len(codes) * 3 // 4))
        status = CheckStatus.REVIEWED if rng.random() < 0.6 else CheckStatus.SUBMITTED
        for code in sorted(provided):
            result = rng.choices(RESULTS, [70, 20, 10])[0]
            writer.add(
                (
                    writer.new_id(),
                    pk,
                    code,
                    year,
                    result,
                    NOTES[result],
                    "",
                    status,
                    "",
                    1,
                    now,
                    now,
                )
            )
    writer.flush()
    reset_sequences([StandardCheck])
    return {"服务标准自查": writer.count}
