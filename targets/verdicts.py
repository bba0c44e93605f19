"""Each community's verdicts, judged when its figures change and stored beside them.

``targets_communityverdicts`` holds, per community and year the figures hold, what the engine
would judge from that community's ``CommunityFigures`` row against the current plan: per
community indicator compliant or not (or missing data), the gap, and for a ratio of sums its
numerator and denominator; with the community's share of the baseline. The judging is the
engine's own (``targets.engine._community_units`` with the registry's ``Indicator.judge``), so
there is one rule and two times it runs: here, when a write changes the figures, and in the
engine, for what the stored verdicts do not cover (approved data only, another plan, years
outside the figures).

A region is then sums and counts by code prefix in the database (``engine._stored_tallies``):
no community is judged on a read. Amounts are whole millionths (``MILLIONTHS``), so the sums
are exact on SQLite too; an amount that is not a whole number of millionths (a threshold with
more than four places) stores no key, and reads judge in Python.

``targets.figures.recompute`` calls ``judge`` for the communities it has just recounted, in the
same transaction; saving a plan re-judges every community when the current plan's key changes.
"""

import datetime
from collections.abc import Iterable, Iterator

from django.db import connection, transaction

from communities.models import Community
from core.services import chunked

from .engine import _FIGURE_COLUMNS, DATA_ALL, _community_units, _gather_figures, _thresholds
from .figures import row_differences, run_together
from .models import MILLIONTHS, CommunityVerdicts, Plan
from .plans import current_plan, plan_key
from .registry import COMMUNITY_INDICATORS

TABLE = CommunityVerdicts._meta.db_table
# The figures the verdicts are judged from (a write that changes none leaves them as they are).
JUDGED_COLUMNS = _FIGURE_COLUMNS[2:]
RATIO_OF_SUMS = {i.code for i in COMMUNITY_INDICATORS if i.region_value == "ratio_of_sums"}


# The table's columns in the order ``_judged`` writes a row: the model's own fields, then per
# community indicator the ones ``targets.models._verdict_columns`` adds.
COLUMNS = [f.column for f in CommunityVerdicts._meta.concrete_fields if not f.primary_key]


class _Inexact(Exception):
    """An amount that is no whole number of millionths."""


def _units(amount) -> int:
    scaled = amount * MILLIONTHS
    whole = int(scaled)
    if whole != scaled:
        raise _Inexact(amount)
    return whole


def _rows(codes: list[str], plan, key: str, years: dict | None = None) -> Iterator[tuple]:
    """Judge the communities ``codes`` for every year their figures hold (for a community in
    ``years``, those years only); a tuple per row."""
    thresholds = _thresholds(plan)
    small_station_limit = thresholds["community_station"]
    marks = ", ".join(["%s"] * len(codes))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT code, name, street_code, digital_3d_completed_on FROM communities_community "
            f"WHERE code IN ({marks}) ORDER BY code",
            codes,
        )
        communities = [(code, name, street, _date(on)) for code, name, street, on in cursor]
    facts = _gather_figures("", None, communities, DATA_ALL, streets=False, codes=codes)
    for year in sorted(facts.years):
        for unit in _community_units(facts, year, thresholds):
            if years is None or year in years.get(unit.code, ()):
                yield _row(unit, year, key, small_station_limit)


def _date(value) -> datetime.date | None:
    """A date column as a date (SQLite hands back its text)."""
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


def _row(unit, year: int, key: str, small_station_limit) -> tuple:
    try:
        return _judged(unit, year, key, small_station_limit)
    except _Inexact:
        # No plan's key: a read covering this community judges in Python.
        return (unit.code, year, "") + (0,) * (len(COLUMNS) - 3)


def _judged(unit, year: int, key: str, small_station_limit) -> tuple:
    figures = unit.figures
    row = [
        unit.code,
        year,
        key,
        int(unit.fully_compliant),
        _units(figures["facility_area"]),
        figures["households"] if unit.has_stats else 0,
        int(figures["has_station"]),
        int(figures["has_station"] and figures["station_max_area"] < small_station_limit),
        figures["volunteer_organizations"],
        figures["registered_volunteers"],
    ]
    for indicator in COMMUNITY_INDICATORS:
        verdict = unit.verdicts[indicator.code]
        missing = verdict.value is None
        row.append(None if missing else int(verdict.compliant))
        row.append(0 if missing or verdict.compliant else _units(verdict.gap))
        if indicator.code in RATIO_OF_SUMS:
            row.append(0 if missing else _units(verdict.numerator))
            row.append(0 if missing else _units(verdict.denominator))
    return tuple(row)


def judge(codes: Iterable[str] | None, years: dict[str, set[int]] | None = None) -> None:
    """Judge again the communities ``codes`` (None: every community) from their figures;
    ``years`` names, per community, the only years whose figures changed.

    A community's verdicts of a year read only that year's figures (``JUDGED_COLUMNS``) and the
    community's own row. One INSERT per set of up to 900 communities, in the caller's
    transaction (for every community: one DELETE first).
    """
    try:
        plan = current_plan()
    except Plan.DoesNotExist:  # a database being set up: nothing to judge against yet
        return
    key = plan_key(plan)
    if codes is None:
        codes = list(Community.objects.order_by("code").values_list("code", flat=True))
        delete_all = True
    else:
        codes = sorted({c for c in codes if len(c) == 12})
        delete_all = False
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if delete_all:
            cursor.execute(f"DELETE FROM {TABLE}")
        for chunk in chunked(codes):
            rows = list(_rows(chunk, plan, key, years))
            if delete_all:
                _insert(cursor, rows)
                continue
            # A write's own communities: their rows updated in place (the same years as before:
            # the years change only with a plan, which judges every community).
            if rows:
                run_together(cursor, _inserts(rows, upsert=True))


INSERT_ROWS = 400  # rows per INSERT: 400 × 40 parameters, under both databases' limits


def _inserts(rows: list[tuple], upsert: bool = False) -> list[tuple[str, list]]:
    """Multi-row INSERTs of ``rows``, 400 rows each: one round trip per 400 rows, not per row.

    ``upsert`` updates the row a community and year already have instead (on PostgreSQL a
    heap-only update: no index is touched, as neither key changes).
    """
    row_marks = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
    conflict = ""
    if upsert:
        conflict = " ON CONFLICT (community_code, year) DO UPDATE SET " + ", ".join(
            f"{c} = excluded.{c}" for c in COLUMNS[2:]
        )
    statements = []
    for start in range(0, len(rows), INSERT_ROWS):
        batch = rows[start : start + INSERT_ROWS]
        statements.append(
            (
                f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES "
                + ", ".join([row_marks] * len(batch))
                + conflict,
                [value for row in batch for value in row],
            )
        )
    return statements


def _insert(cursor, rows: list[tuple]) -> None:
    for sql, params in _inserts(rows):
        cursor.execute(sql, params)


def stale() -> bool:
    """Say whether the stored verdicts were judged against other thresholds than the current
    plan's (so saving a plan knows to judge every community again)."""
    try:
        key = plan_key(current_plan())
    except Plan.DoesNotExist:
        return False
    return CommunityVerdicts.objects.exclude(plan_key=key).exists()


def differences(prefix: str = "") -> list[str]:
    """Compare the stored verdicts with a fresh judging of the stored figures."""
    try:
        plan = current_plan()
    except Plan.DoesNotExist:
        return []
    key = plan_key(plan)
    codes = list(
        Community.objects.filter(code__startswith=prefix)
        .order_by("code")
        .values_list("code", flat=True)
    )
    stored = {}
    for chunk in chunked(codes):
        for row in CommunityVerdicts.objects.filter(community_id__in=chunk).values_list(*_fields()):
            stored[(row[0], row[1])] = tuple(row)
    fresh = {}
    for chunk in chunked(codes):
        for row in _rows(chunk, plan, key):
            fresh[(row[0], row[1])] = row
    return row_differences(TABLE, COLUMNS, fresh, stored)


def _fields() -> list[str]:
    """``COLUMNS`` as the model's field names (the community's is ``community_id``)."""
    return ["community_id", *COLUMNS[1:]]
