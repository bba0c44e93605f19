"""The per-community figures table, kept current in the write's own transaction.

``targets_communityfigures`` holds one row per community and year (2010 to the last plan's
target year) with every number the indicators and the baseline need; ``targets_streetfigures``
one row per street and year with its service-centre figures. Both are filled by one grouped
``INSERT … SELECT`` per set of communities (and one per set of streets) straight from the raw
rows, so the write path, the bulk paths and ``check_figures`` all count the same way.

The one write path (``core.services``, ``core.workflow``) calls ``recompute`` for the codes a
write touched; bulk paths (imports, ``seed_demo``, the admin's bulk actions,
``load_divisions``) do it once at the end. No row of these tables is shared between
communities, so writers of different communities never wait for each other.
"""

import hashlib
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Case, Sum, When

from core.scoping import prefix_q
from core.services import changed_fields, chunked
from workforce.querysets import BACHELOR_OR_HIGHER, COLLEGE_OR_HIGHER, COUNTED_ROLES

ALL = "*"  # a code that stands for every community and street
VERDICTS = "verdicts"  # a code that asks for every community to be judged again
STARS = "stars"  # a code that asks for every community's star levels to be counted again
# The parts of a community's upkeep a write may need: its figures but the volunteers' and the
# service's (``FIGURES``), its volunteer counts (``VOLUNTEERS``), its confirmed service
# (``SERVICE``) and its star levels (``STAR_LEVELS``). ``part(code, name)`` asks for one; a plain
# community code asks for all. The verdicts are judged again whenever a figure is recounted.
PART_MARK = "#"
FIGURES, VOLUNTEERS, SERVICE, STAR_LEVELS = "figures", "volunteers", "service", "stars"
ALL_PARTS = frozenset({FIGURES, VOLUNTEERS, SERVICE, STAR_LEVELS})
FIRST_YEAR = 2010  # the plan's baseline year (甘政办发〔2012〕192号 一)

COMMUNITY_TABLE = "targets_communityfigures"
STREET_TABLE = "targets_streetfigures"
STARS_TABLE = "targets_communitystars"
STARS_COLUMNS = ("community_code", "level", "volunteers", "thresholds_key")

COMMUNITY_COLUMNS = (
    "community_code",
    "year",
    "street_code",
    "has_stats",
    "stat_status",
    "households",
    "residents",
    "party_members",
    "party_members_volunteering",
    "residents_volunteering",
    "station_max_area",
    "station_area",
    "specialized_area",
    "registered_volunteers",
    "party_member_volunteers",
    "social_organizations",
    "volunteer_organizations",
    "counted_workers",
    "certified_workers",
    "bachelor_workers",
    "college_workers",
    "digital_3d",
    "service_hours",
    "serving_volunteers",
)
STREET_COLUMNS = ("street_code", "year", "centres", "centre_max_area", "centre_area")
AREA_COLUMNS = {
    "station_max_area",
    "station_area",
    "specialized_area",
    "centre_max_area",
    "centre_area",
}
HOURS_COLUMNS = {"service_hours"}
BOOL_COLUMNS = {"has_stats", "digital_3d"}


def figure_years() -> list[int]:
    """Return the years the table holds: 2010 to the last plan's target year."""
    from .models import Plan

    last = max(Plan.objects.values_list("target_year", flat=True), default=None) or FIRST_YEAR
    return list(range(FIRST_YEAR, max(last, FIRST_YEAR) + 1))


def _in(values) -> str:
    return ", ".join(f"'{v}'" for v in values)  # fixed choice values of the code, never input


def _years_cte(years: list[int] | None) -> tuple[str, list]:
    """``WITH y(year, first_day, last_day)``: ``years``, or 2010 to the last plan's target year.

    The default years are counted in the statement itself, so a write's upkeep costs no
    query of its own for them.
    """
    if connection.vendor == "postgresql":
        first, last = "make_date(n.year, 1, 1)", "make_date(n.year, 12, 31)"
    else:
        first, last = "printf('%%04d-01-01', n.year)", "printf('%%04d-12-31', n.year)"
    if years is None:
        numbers = (
            f"n(year) AS (SELECT {FIRST_YEAR} UNION ALL SELECT year + 1 FROM n WHERE year < "
            "(SELECT MAX(target_year) FROM targets_plan))"
        )
        params = []
    else:
        numbers = "n(year) AS (VALUES " + ", ".join(["(CAST(%s AS integer))"] * len(years)) + ")"
        params = list(years)
    cte = f"WITH RECURSIVE {numbers}, y(year, first_day, last_day) AS (SELECT n.year, {first}, {last} FROM n)"
    return cte, params


def _alive(alias: str, start: str, end: str) -> str:
    return (
        f"{alias}.{start} <= y.last_day AND ({alias}.{end} IS NULL OR {alias}.{end} > y.last_day)"
    )


def _facility(kind: str, aggregate: str, code: str = "c.code") -> str:
    return (
        f"(SELECT {aggregate} FROM facilities_facility f WHERE f.code = {code} "
        f"AND f.kind = '{kind}' AND {_alive('f', 'opened_on', 'closed_on')})"
    )


def _count(table: str, alias: str, start: str, end: str, extra: str = "") -> str:
    return (
        f"(SELECT COUNT(*) FROM {table} {alias} WHERE {alias}.community_code = c.code "
        f"AND {_alive(alias, start, end)}{extra})"
    )


def _year_of(column: str) -> str:
    """The year of a date column, as an integer, on either database."""
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS integer)"
    return f"CAST(substr({column}, 1, 4) AS integer)"


# The figures that only volunteers (their counts) and service records (the service) feed; the
# rest are ``FIGURES``.
PART_COLUMNS = {
    VOLUNTEERS: ("registered_volunteers", "party_member_volunteers"),
    SERVICE: ("service_hours", "serving_volunteers"),
}
SERVICE_COLUMNS = PART_COLUMNS[SERVICE]


def part(code: str, name: str) -> str:
    """The code that asks for one part (``FIGURES`` …) of community ``code``'s upkeep."""
    return f"{code}{PART_MARK}{name}"


def _part_columns(parts) -> tuple[str, ...]:
    """The columns of ``COMMUNITY_COLUMNS`` (after the key) that ``parts`` recount."""
    own = {c for columns in PART_COLUMNS.values() for c in columns}
    picked = {c for p in parts if p in PART_COLUMNS for c in PART_COLUMNS[p]}
    if FIGURES in parts:
        picked |= {c for c in COMMUNITY_COLUMNS[2:] if c not in own}
    return tuple(c for c in COMMUNITY_COLUMNS[2:] if c in picked)


def _community_expressions() -> dict[str, str]:
    """Per column of ``COMMUNITY_COLUMNS``, the expression that counts it (over ``c``, ``y``,
    the year's statistics ``s`` and the year's confirmed service ``sr``)."""
    workers = f" AND w.role IN ({_in(COUNTED_ROLES)})"
    true = "TRUE" if connection.vendor == "postgresql" else "1"
    false = "FALSE" if connection.vendor == "postgresql" else "0"
    return {
        "community_code": "c.code",
        "year": "y.year",
        "street_code": "c.street_code",
        "has_stats": f"CASE WHEN s.id IS NULL THEN {false} ELSE {true} END",
        "stat_status": "COALESCE(s.status, '')",
        "households": "s.households",
        "residents": "s.residents",
        "party_members": "s.party_members",
        "party_members_volunteering": "s.party_members_volunteering",
        "residents_volunteering": "s.residents_volunteering",
        "station_max_area": _facility("station", "MAX(f.floor_area)"),
        "station_area": _facility("station", "COALESCE(SUM(f.floor_area), 0)"),
        "specialized_area": _facility("specialized", "COALESCE(SUM(f.floor_area), 0)"),
        "registered_volunteers": (
            "(SELECT COUNT(*) FROM volunteers_volunteer v WHERE v.community_code = c.code "
            "AND v.registered_on <= y.last_day) - (SELECT COUNT(*) FROM volunteers_volunteer v "
            "WHERE v.community_code = c.code AND v.left_on IS NOT NULL AND v.left_on <= y.last_day "
            "AND v.registered_on <= y.last_day)"
        ),
        "party_member_volunteers": _count(
            "volunteers_volunteer",
            "v",
            "registered_on",
            "left_on",
            " AND v.is_party_member",  # as the partial index says it (SQLite uses it then)
        ),
        "social_organizations": _count("communities_socialorganization", "o", "registered_on", "dissolved_on"),
        "volunteer_organizations": _count(
            "volunteers_volunteerorganization", "o", "registered_on", "dissolved_on"
        ),
        "counted_workers": _count("workforce_worker", "w", "hired_on", "left_on", workers),
        "certified_workers": _count(
            "workforce_worker",
            "w",
            "hired_on",
            "left_on",
            workers + " AND w.social_work_qualification <> 'none'",
        ),
        "bachelor_workers": _count(
            "workforce_worker",
            "w",
            "hired_on",
            "left_on",
            workers + f" AND w.education IN ({_in(BACHELOR_OR_HIGHER)})",
        ),
        "college_workers": _count(
            "workforce_worker",
            "w",
            "hired_on",
            "left_on",
            workers + f" AND w.education IN ({_in(COLLEGE_OR_HIGHER)})",
        ),
        "digital_3d": (
            "CASE WHEN c.digital_3d_completed_on IS NOT NULL AND c.digital_3d_completed_on <= "
            f"y.last_day THEN {true} ELSE {false} END"
        ),
        "service_hours": "COALESCE(sr.hours, 0)",
        "serving_volunteers": "COALESCE(sr.volunteers, 0)",
    }


def community_select(
    where: str, where_params: list, years: list[int] | None, columns=COMMUNITY_COLUMNS
) -> tuple[str, list]:
    """The grouped SELECT of the figures of the communities ``where`` picks, for ``years``.

    One row per community and year, with ``columns`` (of ``COMMUNITY_COLUMNS``, in their
    order). Registered volunteers are counted as "registered by then" minus "gone by then", so
    both counts read only the (community, registered_on) index and the small index of
    departed volunteers.
    """
    cte, params = _years_cte(years)
    expressions = _community_expressions()
    sql = (
        f"{cte} SELECT {', '.join(f'{expressions[c]} AS {c}' for c in columns)} "
        "FROM communities_community c CROSS JOIN y "
        "LEFT JOIN communities_communitystat s ON s.community_code = c.code AND s.year = y.year "
    )
    if not set(SERVICE_COLUMNS) & set(columns):
        return sql + f"WHERE {where}", params + list(where_params)
    # Confirmed service per community and year, grouped in one pass over the communities'
    # volunteers and their records (a correlated count per community and year probed the
    # records volunteer by volunteer, six times over).
    service_where = where.replace("c.code", "v.community_code")
    sql += (
        f"LEFT JOIN (SELECT v.community_code AS code, {_year_of('r.served_on')} AS year, "
        "SUM(r.hours) AS hours, COUNT(DISTINCT r.volunteer_id) AS volunteers "
        "FROM volunteers_servicerecord r JOIN volunteers_volunteer v ON v.id = r.volunteer_id "
        f"WHERE r.status = 'confirmed' AND {service_where} GROUP BY v.community_code, "
        f"{_year_of('r.served_on')}) sr ON sr.code = c.code AND sr.year = y.year "
        f"WHERE {where}"
    )
    return sql, params + list(where_params) + list(where_params)


def street_select(where: str, where_params: list, years: list[int]) -> tuple[str, list]:
    """The grouped SELECT of the centre figures of the streets ``where`` picks (``st``)."""
    cte, params = _years_cte(years)
    columns = [
        "st.code",
        "y.year",
        _facility("centre", "COUNT(*)", "st.code"),
        _facility("centre", "MAX(f.floor_area)", "st.code"),
        _facility("centre", "COALESCE(SUM(f.floor_area), 0)", "st.code"),
    ]
    sql = f"{cte} SELECT {', '.join(columns)} FROM streets_street st CROSS JOIN y WHERE {where}"
    return sql, params + list(where_params)


def star_pairs() -> list[tuple[int, Decimal]]:
    """The star levels and the confirmed hours each needs (the defaults when none are set)."""
    from volunteers.models import StarThreshold

    return StarThreshold.objects.pairs()


def stars_key(pairs) -> str:
    """A fingerprint of the star thresholds (40 hex digits)."""
    text = ";".join(f"{level}:{Decimal(hours).normalize()}" for level, hours in sorted(pairs))
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def stars_select(where: str, where_params: list, pairs) -> tuple[str, list]:
    """Per community ``where`` picks (over ``v``, the volunteers), how many volunteers stand at
    each star level: a volunteer's level is the highest whose hours its confirmed records reach.
    The thresholds are written into the statement as numbers (``Decimal`` values from the
    database), since SQLite compares a sum with a bound text parameter as text.
    """
    cases = [
        f"WHEN t.total >= {Decimal(hours):f} THEN {int(level)}"
        for level, hours in sorted(pairs, key=lambda pair: -pair[1])
    ]
    level = f"CASE {' '.join(cases)} ELSE 0 END" if cases else "0"
    sql = (
        f"SELECT t.code, {level}, COUNT(*), %s FROM (SELECT v.community_code AS code, "
        "SUM(r.hours) AS total FROM volunteers_servicerecord r JOIN volunteers_volunteer v "
        f"ON v.id = r.volunteer_id WHERE r.status = 'confirmed' AND {where} "
        "GROUP BY r.volunteer_id, v.community_code) t GROUP BY 1, 2"
    )
    return sql, [stars_key(pairs), *where_params]


def _write_stars(where: tuple[str, str], params: list, pairs) -> None:
    raw_where, table_where = where
    sql, select_params = stars_select(raw_where, params, pairs)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        run_together(
            cursor,
            [
                (f"DELETE FROM {STARS_TABLE} WHERE {table_where}", params),
                (f"INSERT INTO {STARS_TABLE} ({', '.join(STARS_COLUMNS)}) {sql}", select_params),
            ],
        )


def run_together(cursor, statements: list[tuple[str, list]]) -> None:
    """Run ``statements`` in order: on PostgreSQL as one string, one round trip for all (a
    write's upkeep is a handful of short statements, each of which cost a round trip); SQLite
    takes one statement per call."""
    if connection.vendor == "postgresql":
        cursor.execute("; ".join(sql for sql, _ in statements), [p for _, ps in statements for p in ps])
        return
    for sql, params in statements:
        cursor.execute(sql, params)


def star_counts(code: str) -> dict[int, int] | None:
    """``{star level: volunteers}`` of the volunteers under ``code``, from the stored counts;
    None when they were counted against other thresholds (the caller counts the records)."""
    from .models import CommunityStars

    key = stars_key(star_pairs())
    rows = (
        CommunityStars.objects.filter(prefix_q("community_id", code))
        .order_by()
        .values("level")
        .annotate(n=Sum("volunteers"), stale=Sum(Case(When(thresholds_key=key, then=0), default=1)))
    )
    counts = {}
    for row in rows:
        if row["stale"]:
            return None
        counts[row["level"]] = row["n"]
    return counts


# Keep PostgreSQL from compiling the statement: its cost estimate of the correlated counts is
# far above what they cost, and compiling takes seconds where running takes milliseconds.
JIT_OFF = "SET LOCAL jit = off"


def _jit_off(cursor) -> None:
    if connection.vendor == "postgresql":
        cursor.execute(JIT_OFF)


def _write(table: str, columns, select, where: tuple[str, str], params: list, years) -> None:
    """Replace the rows of ``table`` that ``where`` (over the raw table, over ``table``) picks."""
    raw_where, table_where = where
    sql, select_params = select(raw_where, params, years)
    statements = [
        (f"DELETE FROM {table} WHERE {table_where}", params),
        (f"INSERT INTO {table} ({', '.join(columns)}) {sql}", select_params),
    ]
    if connection.vendor == "postgresql":
        statements.insert(0, (JIT_OFF, []))
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        run_together(cursor, statements)


def _update(columns, codes: list[str]) -> tuple[set[str], set[tuple[str, int]]]:
    """Recount ``columns`` of the rows of the communities ``codes``, in place: one UPDATE from
    the grouped SELECT, of the rows whose values differ. Return the codes without rows yet
    (made outside the write path) and the (code, year) of the rows it changed."""
    keyed = ("community_code", "year", *columns)
    marks = ", ".join(["%s"] * len(codes))
    sql, select_params = community_select(f"c.code IN ({marks})", codes, None, keyed)
    table = COMMUNITY_TABLE
    distinct = " IS DISTINCT FROM " if connection.vendor == "postgresql" else " IS NOT "
    update = (
        f"UPDATE {table} SET {', '.join(f'{c} = x.{c}' for c in columns)} "
        f"FROM ({sql}) AS x "
        f"WHERE {table}.community_code = x.community_code AND {table}.year = x.year "
        f"AND ({' OR '.join(f'{table}.{c}{distinct}x.{c}' for c in columns)}) "
        f"RETURNING {table}.community_code, {table}.year"
    )
    statements = [(update, select_params)]
    if connection.vendor == "postgresql":
        statements.insert(0, (JIT_OFF, []))
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        run_together(cursor, statements)
        changed = {(code, year) for code, year in cursor.fetchall()}
        unseen = sorted(set(codes) - {code for code, _ in changed})
        if not unseen:
            return set(), changed
        marks = ", ".join(["%s"] * len(unseen))
        cursor.execute(
            f"SELECT DISTINCT community_code FROM {table} WHERE community_code IN ({marks})", unseen
        )
        return set(unseen) - {code for (code,) in cursor.fetchall()}, changed


# The raw tables the figures are counted from; and from how many codes a recompute is a bulk one.
COUNTED_TABLES = (
    "communities_community",
    "communities_communitystat",
    "communities_socialorganization",
    "facilities_facility",
    "streets_street",
    "volunteers_servicerecord",
    "volunteers_volunteer",
    "volunteers_volunteerorganization",
    "workforce_worker",
)
BULK_CODES = 500


def _analyze_before_bulk() -> None:
    """Refresh PostgreSQL's statistics of the counted tables before a bulk recompute.

    A bulk path (``seed_demo`` into empty tables, an import of a hundred thousand rows) has
    just changed the tables far more than the planner knows; with the old statistics it
    counts each community by scanning whole indexes (measured: 28 s instead of 0.1 s for
    2,000 communities). ``ANALYZE`` samples each table in a fraction of a second and, inside
    the transaction, counts its own new rows.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in COUNTED_TABLES:
            cursor.execute(f"ANALYZE {table}")


def recompute(codes: Iterable[str] | None = None) -> None:
    """Recompute the figures of the communities and streets ``codes`` name (None: all).

    A community's code (12 digits) recomputes its rows and star levels, a street's (9 digits)
    its centre rows; one DELETE and one grouped INSERT … SELECT per set of up to 900 codes.
    A code of one part (``part(code, FIGURES)`` …: a write that can change only that part)
    recounts those columns of the community's rows in place, one UPDATE per set of codes, or
    only its star levels. The communities recounted are then judged again from their new
    figures (``targets.verdicts``). ``VERDICTS`` among the codes judges every community again;
    ``STARS`` counts every community's star levels.
    """
    from .verdicts import JUDGED_COLUMNS, judge

    years = None  # 2010 to the last plan's target year, counted by the statement
    if codes is None or ALL in codes or len(codes) >= BULK_CODES:
        _analyze_before_bulk()
    if codes is None or ALL in codes:
        _write(COMMUNITY_TABLE, COMMUNITY_COLUMNS, community_select, ("1 = 1",) * 2, [], years)
        _write(STREET_TABLE, STREET_COLUMNS, street_select, ("1 = 1",) * 2, [], years)
        _write_stars(("1 = 1",) * 2, [], star_pairs())
        judge(None)
        return
    codes = set(codes)
    judge_all, stars_all = VERDICTS in codes, STARS in codes
    parts: dict[str, set[str]] = {}
    for token in codes - {VERDICTS, STARS}:
        code, _, name = token.partition(PART_MARK)
        parts.setdefault(code, set()).update({name} if name else ALL_PARTS)
    communities = {c: p for c, p in parts.items() if len(c) == 12}
    if stars_all:
        _write_stars(("1 = 1",) * 2, [], star_pairs())
    else:
        _stars(sorted(c for c, p in communities.items() if STAR_LEVELS in p))
    # Recount in place what each community's writes can have changed; write whole the rows of
    # one that asks for every figure, or has no rows yet (made outside the write path), and
    # every community of a bulk path (one INSERT … SELECT is cheaper there than an UPDATE).
    bulk = len(communities) >= BULK_CODES
    whole = {c for c, p in communities.items() if bulk or p >= ALL_PARTS - {STAR_LEVELS}}
    groups: dict[tuple, list[str]] = {}
    for code, asked in communities.items():
        if code not in whole and (columns := _part_columns(asked)):
            groups.setdefault(columns, []).append(code)
    changed: dict[str, set[int]] = {}  # the rows recounted in place that the verdicts read
    for columns, group in groups.items():
        for chunk in chunked(sorted(group)):
            missing, rows = _update(columns, chunk)
            whole |= missing
            if set(columns) & set(JUDGED_COLUMNS):
                for code, year in rows:
                    changed.setdefault(code, set()).add(year)
    streets = {c for c in parts if len(c) == 9}
    for table, columns, select, alias, key, picked in (
        (COMMUNITY_TABLE, COMMUNITY_COLUMNS, community_select, "c", "community_code", whole),
        (STREET_TABLE, STREET_COLUMNS, street_select, "st", "street_code", streets),
    ):
        for chunk in chunked(sorted(picked)):
            marks = ", ".join(["%s"] * len(chunk))
            where = (f"{alias}.code IN ({marks})", f"{key} IN ({marks})")
            _write(table, columns, select, where, chunk, years)
    if judge_all:
        judge(None)
        return
    if whole:
        judge(sorted(whole))
    if changed := {c: y for c, y in changed.items() if c not in whole}:
        judge(sorted(changed), years=changed)


def _stars(codes: list[str]) -> None:
    pairs = star_pairs() if codes else None
    for chunk in chunked(codes):
        marks = ", ".join(["%s"] * len(chunk))
        where = (f"v.community_code IN ({marks})", f"community_code IN ({marks})")
        _write_stars(where, chunk, pairs)


def _normal(column: str, value):
    """One stored or computed value in a comparable form (SQLite hands back floats and ints)."""
    if value is None:
        return None
    if column in AREA_COLUMNS:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    if column in HOURS_COLUMNS:
        return Decimal(str(value)).quantize(Decimal("0.1"))
    if column in BOOL_COLUMNS:
        return bool(value)
    return value


def _rows(sql: str, params: list, columns) -> dict:
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        _jit_off(cursor)
        cursor.execute(sql, params)
        return {
            (row[0], row[1]): tuple(_normal(c, v) for c, v in zip(columns, row, strict=True))
            for row in cursor.fetchall()
        }


def differences(prefix: str = "") -> list[str]:
    """Compare the stored figures with a fresh count from the raw rows, and the stored verdicts
    with a fresh judging of the stored figures; describe each difference."""
    from .verdicts import differences as verdict_differences

    years = figure_years()
    problems = []
    for table, columns, select, alias in (
        (COMMUNITY_TABLE, COMMUNITY_COLUMNS, community_select, "c"),
        (STREET_TABLE, STREET_COLUMNS, street_select, "st"),
    ):
        key = columns[0]
        sql, params = select(f"{alias}.code LIKE %s", [prefix + "%"], years)
        fresh = _rows(sql, params, columns)
        stored = _rows(
            f"SELECT {', '.join(columns)} FROM {table} WHERE {key} LIKE %s", [prefix + "%"], columns
        )
        problems += row_differences(table, columns, fresh, stored)
    return problems + _star_differences(prefix) + verdict_differences(prefix)


def row_differences(table: str, columns, fresh: dict, stored: dict) -> list[str]:
    """Describe how the ``stored`` rows of ``table`` differ from the ``fresh`` ones (both keyed
    by unit code and year): a row missing, a row too many, or each column that differs."""
    problems = []
    for unit in sorted(set(fresh) | set(stored)):
        want, have = fresh.get(unit), stored.get(unit)
        if want == have:
            continue
        if have is None:
            problems.append(f"{table} {unit[0]} {unit[1]}：缺少该行")
        elif want is None:
            problems.append(f"{table} {unit[0]} {unit[1]}：多余的行")
        else:
            for column, a, b in zip(columns, want, have, strict=True):
                if a != b:
                    problems.append(f"{table} {unit[0]} {unit[1]} {column}：应为 {a}，实为 {b}")
    return problems


def _star_differences(prefix: str) -> list[str]:
    sql, params = stars_select("v.community_code LIKE %s", [prefix + "%"], star_pairs())
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fresh = {(code, level): (n, key) for code, level, n, key in cursor.fetchall()}
        cursor.execute(
            f"SELECT {', '.join(STARS_COLUMNS)} FROM {STARS_TABLE} WHERE community_code LIKE %s",
            [prefix + "%"],
        )
        stored = {(code, level): (n, key) for code, level, n, key in cursor.fetchall()}
    problems = []
    for unit in sorted(set(fresh) | set(stored)):
        want, have = fresh.get(unit), stored.get(unit)
        if want == have:
            continue
        if want and have and want[0] == have[0]:
            problems.append(f"{STARS_TABLE} {unit[0]} {unit[1]}星：按已变更前的星级标准计算")
        else:
            problems.append(
                f"{STARS_TABLE} {unit[0]} {unit[1]}星：应为 {want[0] if want else 0} 人，"
                f"实为 {have[0] if have else 0} 人"
            )
    return problems


class Keeper:
    """What ``core.figures`` asks: which codes rows feed, and recomputing them."""

    def codes_of(self, instances) -> set[str]:
        codes = set()
        for instance in instances:
            codes |= _codes_of(instance)
        return codes

    def codes_changed(self, stored, instance) -> set[str]:
        """The codes a save from ``stored`` (None: a new row) to ``instance`` can change: none
        when it changes no field that feeds them (a volunteer's telephone number)."""
        label = instance._meta.label_lower
        feeds = _FEEDS.get(label)
        if feeds is None:
            return self.codes_of([stored, instance] if stored is not None else [instance])
        counts = _COUNTS.get(label, lambda row: True)
        if not counts(instance) and (stored is None or not counts(stored)):
            return set()
        if stored is None:
            return _codes_of(instance, _CREATE_PARTS.get(label))
        parts = set()
        for field in changed_fields(stored, instance):
            parts |= feeds.get(field, set())
        if not parts:
            return set()
        return _codes_of(stored, parts) | _codes_of(instance, parts)

    def codes_stored(self, model, pks: list) -> set[str]:
        label = model._meta.label_lower
        field = _CODE_FIELDS.get(label)
        if field is None:
            return set()
        codes = set()
        for chunk in chunked(list(pks)):
            codes |= set(model._default_manager.filter(pk__in=chunk).values_list(field, flat=True))
        return {t for c in codes if c for t in _tokens(c, _PARTS.get(label, ALL_PARTS))}

    def recompute(self, codes) -> None:
        recompute(None if codes is None or ALL in codes else codes)


# Which code of a counted row names the figures it feeds.
_CODE_FIELDS = {
    "communities.community": "code",
    "communities.communitystat": "community_id",
    "communities.socialorganization": "community_id",
    "facilities.facility": "code",
    "volunteers.volunteer": "community_id",
    "volunteers.volunteerorganization": "community_id",
    "volunteers.servicerecord": "volunteer__community_id",
    "workforce.worker": "community_id",
    "streets.street": "code",
}

# The parts of its community's upkeep a row's writes can change (a community's, a street's:
# all of them).
_PARTS = {
    "communities.communitystat": {FIGURES},
    "communities.socialorganization": {FIGURES},
    "facilities.facility": {FIGURES},
    "volunteers.volunteerorganization": {FIGURES},
    "workforce.worker": {FIGURES},
    "volunteers.volunteer": {VOLUNTEERS, SERVICE, STAR_LEVELS},
    "volunteers.servicerecord": {SERVICE, STAR_LEVELS},
}
# A new row's: a volunteer just registered has no service records yet.
_CREATE_PARTS = {"volunteers.volunteer": {VOLUNTEERS}}
# Per field the statements read (``test_figures`` checks each column they read is here), the
# parts an edit of it can change; an edit of no such field changes nothing.
_FEEDS = {
    "communities.communitystat": dict.fromkeys(
        (
            "community",
            "year",
            "households",
            "residents",
            "party_members",
            "party_members_volunteering",
            "residents_volunteering",
            "status",
        ),
        {FIGURES},
    ),
    "communities.socialorganization": dict.fromkeys(
        ("community", "registered_on", "dissolved_on"), {FIGURES}
    ),
    "volunteers.volunteerorganization": dict.fromkeys(
        ("community", "registered_on", "dissolved_on"), {FIGURES}
    ),
    "facilities.facility": dict.fromkeys(
        ("code", "kind", "floor_area", "opened_on", "closed_on"), {FIGURES}
    ),
    "workforce.worker": dict.fromkeys(
        ("community", "role", "hired_on", "left_on", "social_work_qualification", "education"),
        {FIGURES},
    ),
    "volunteers.volunteer": {
        "community": {VOLUNTEERS, SERVICE, STAR_LEVELS},
        "registered_on": {VOLUNTEERS},
        "left_on": {VOLUNTEERS},
        "is_party_member": {VOLUNTEERS},
    },
    "volunteers.servicerecord": dict.fromkeys(
        ("volunteer", "status", "hours", "served_on"), {SERVICE, STAR_LEVELS}
    ),
}
# Rows that count only in some states: a service record that is not confirmed, before or after
# a save, changes nothing.
_COUNTS = {"volunteers.servicerecord": lambda record: record.status == "confirmed"}


def _tokens(code: str, parts) -> set[str]:
    """``code`` asking for ``parts``: plain for all (and for a street: its centres)."""
    if len(code) != 12 or set(parts) >= ALL_PARTS:
        return {code}
    return {part(code, name) for name in parts}


def _codes_of(instance, parts=None) -> set[str]:
    label = instance._meta.label_lower
    if label == "targets.plan":
        return _plan_codes()
    if label == "volunteers.starthreshold":
        return {STARS}  # every community's star levels, against the new thresholds
    field = _CODE_FIELDS.get(label)
    if field is None:
        return set()
    if label == "volunteers.servicerecord":
        code = instance.scope_code
    else:
        code = getattr(instance, field, None)
    if not code:
        return set()
    return _tokens(code, _PARTS.get(label, ALL_PARTS) if parts is None else parts)


def _plan_codes() -> set[str]:
    """A plan's write may change the years the table holds (recompute all when they differ)
    or the thresholds of the current plan (judge every community again)."""
    from .models import CommunityFigures
    from .verdicts import stale

    held = set(CommunityFigures.objects.values_list("year", flat=True).distinct())
    if held and held != set(figure_years()):
        return {ALL}
    return {VERDICTS} if stale() else set()


def figures_fill(sender=None, using="default", **kwargs) -> bool:
    """After ``migrate``: fill the figures of a database that has communities but none yet;
    judge its communities when it has figures but no verdicts, and count its star levels when
    it has service records but no star counts (a database from before those tables)."""
    if using != "default":
        return False
    from communities.models import Community
    from volunteers.models import ServiceRecord

    from .models import CommunityFigures, CommunityStars, CommunityVerdicts
    from .verdicts import judge

    if not Community.objects.exists():
        return False
    if not CommunityFigures.objects.exists():
        recompute(None)
        return True
    filled = False
    if not CommunityVerdicts.objects.exists():
        with transaction.atomic():
            judge(None)
        filled = True
    if not CommunityStars.objects.exists() and ServiceRecord.objects.exists():
        with transaction.atomic():
            _write_stars(("1 = 1",) * 2, [], star_pairs())
        filled = True
    return filled
