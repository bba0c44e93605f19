"""The honest floors the engine's time is compared with: one hand-written SQL statement that
returns every field of ``compute_region`` for a scope and its children.

Every field: per indicator the applicable, compliant and missing counts, the rate, the
region's value and the gap; the community count and the fully compliant count; the seven
baseline counts — for the region and for each child (a province's prefectures), in one round
trip, with no ORM and no Python per community. Before it is timed, its answer is checked
equal to the engine's (``check``), so that a floor that leaves work out cannot flatter the
engine.

Two sources, one judging part:

- ``raw``, the **honest SQL floor**: the per-community figures counted from the raw rows
  (statistics, facilities, volunteers, organisations, workers) inside the statement, as a
  system without a figures table must do on every read. The issue's budget compares the
  engine with this one.
- ``figures``: the same statement over the per-community and per-street figures tables the
  engine reads. The engine cannot beat it; the ratio is what the engine's Python costs.

Areas are judged in whole cents and people with integer arithmetic (a ceiling as
``(a + 99) / 100``), so the statement decides exactly on SQLite (floats) as on PostgreSQL.
Standard SQL: no GROUPING SETS (SQLite has none); the region row is the sum of the child rows.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

RAW_UNITS = """
fac AS (
    SELECT code, kind, MAX(floor_area) AS max_area, SUM(floor_area) AS total
    FROM facilities_facility
    WHERE code >= %(lo)s AND code < %(hi)s AND opened_on <= %(day)s
      AND (closed_on IS NULL OR closed_on > %(day)s)
    GROUP BY code, kind
),
vol AS (
    SELECT community_code, COUNT(*) AS n FROM volunteers_volunteer
    WHERE community_code >= %(lo)s AND community_code < %(hi)s AND registered_on <= %(day)s
      AND (left_on IS NULL OR left_on > %(day)s)
    GROUP BY community_code
),
vorg AS (
    SELECT community_code, COUNT(*) AS n FROM volunteers_volunteerorganization
    WHERE community_code >= %(lo)s AND community_code < %(hi)s AND registered_on <= %(day)s
      AND (dissolved_on IS NULL OR dissolved_on > %(day)s)
    GROUP BY community_code
),
org AS (
    SELECT community_code, COUNT(*) AS n FROM communities_socialorganization
    WHERE community_code >= %(lo)s AND community_code < %(hi)s AND registered_on <= %(day)s
      AND (dissolved_on IS NULL OR dissolved_on > %(day)s)
    GROUP BY community_code
),
wrk AS (
    SELECT community_code, COUNT(*) AS counted,
           SUM(CASE WHEN social_work_qualification <> 'none' THEN 1 ELSE 0 END) AS certified,
           SUM(CASE WHEN education IN ('bachelor', 'postgraduate') THEN 1 ELSE 0 END) AS bachelor,
           SUM(CASE WHEN education IN ('college', 'bachelor', 'postgraduate') THEN 1 ELSE 0 END) AS college
    FROM workforce_worker
    WHERE community_code >= %(lo)s AND community_code < %(hi)s
      AND role IN ('secretary', 'director', 'deputy_director', 'member', 'full_time')
      AND hired_on <= %(day)s AND (left_on IS NULL OR left_on > %(day)s)
    GROUP BY community_code
),
unit AS (
    SELECT c.code, s.community_code IS NOT NULL AS has_stats,
           s.households AS h, s.residents AS r, s.party_members AS p,
           s.party_members_volunteering AS pv, s.residents_volunteering AS rv,
           CAST(ROUND(st.max_area * 100) AS INTEGER) AS station_c,
           CAST(ROUND((COALESCE(st.total, 0) + COALESCE(sp.total, 0)) * 100) AS INTEGER) AS area_c,
           COALESCE(v.n, 0) AS vols, COALESCE(o.n, 0) AS orgs, COALESCE(vo.n, 0) AS vorgs,
           COALESCE(w.counted, 0) AS counted, COALESCE(w.certified, 0) AS certified,
           COALESCE(w.bachelor, 0) AS bachelor, COALESCE(w.college, 0) AS college,
           CASE WHEN c.digital_3d_completed_on <= %(day)s THEN 1 ELSE 0 END AS d3
    FROM communities_community c
    LEFT JOIN communities_communitystat s ON s.community_code = c.code AND s.year = %(year)s
    LEFT JOIN fac st ON st.code = c.code AND st.kind = 'station'
    LEFT JOIN fac sp ON sp.code = c.code AND sp.kind = 'specialized'
    LEFT JOIN vol v ON v.community_code = c.code
    LEFT JOIN vorg vo ON vo.community_code = c.code
    LEFT JOIN org o ON o.community_code = c.code
    LEFT JOIN wrk w ON w.community_code = c.code
    WHERE c.code >= %(lo)s AND c.code < %(hi)s
),
street AS (
    SELECT s.code, s.kind, CAST(ROUND(f.max_area * 100) AS INTEGER) AS centre_c,
           CAST(ROUND(COALESCE(f.total, 0) * 100) AS INTEGER) AS centre_area_c
    FROM streets_street s LEFT JOIN fac f ON f.code = s.code AND f.kind = 'centre'
    WHERE s.code >= %(lo)s AND s.code < %(hi)s
)"""

FIGURES_UNITS = """
unit AS (
    SELECT f.community_code AS code, f.has_stats,
           f.households AS h, f.residents AS r, f.party_members AS p,
           f.party_members_volunteering AS pv, f.residents_volunteering AS rv,
           CAST(ROUND(f.station_max_area * 100) AS INTEGER) AS station_c,
           CAST(ROUND((f.station_area + f.specialized_area) * 100) AS INTEGER) AS area_c,
           f.registered_volunteers AS vols, f.social_organizations AS orgs,
           f.volunteer_organizations AS vorgs, f.counted_workers AS counted,
           f.certified_workers AS certified, f.bachelor_workers AS bachelor,
           f.college_workers AS college,
           CASE WHEN c.digital_3d_completed_on <= %(day)s THEN 1 ELSE 0 END AS d3
    FROM targets_communityfigures f JOIN communities_community c ON c.code = f.community_code
    WHERE f.community_code >= %(lo)s AND f.community_code < %(hi)s AND f.year = %(year)s
),
street AS (
    SELECT s.code, s.kind, CAST(ROUND(f.centre_max_area * 100) AS INTEGER) AS centre_c,
           CAST(ROUND(COALESCE(f.centre_area, 0) * 100) AS INTEGER) AS centre_area_c
    FROM streets_street s
    LEFT JOIN targets_streetfigures f ON f.street_code = s.code AND f.year = %(year)s
    WHERE s.code >= %(lo)s AND s.code < %(hi)s
)"""

# The ten community indicators, hand-written: (code, numerator, denominator or None, the
# threshold's parameter, in hundredths). A target without a denominator compares the
# numerator in hundredths (cents for ㎡) with the threshold; a ratio compares numerator × 100
# with threshold × denominator, and its gap is whole people (a ceiling) or, for ㎡ per hundred
# households, ten-thousandths of a ㎡.
COMMUNITY = [
    ("community_station", "COALESCE(station_c, 0)", None, "t_station"),
    ("area_per_100_households", "area_c", "h", "t_area"),
    ("party_member_participation", "pv", "p", "t_party"),
    ("resident_participation", "rv", "r", "t_residents"),
    ("registered_volunteers", "vols", "r", "t_volunteers"),
    ("social_organizations", "orgs * 100", None, "t_orgs"),
    ("certified_social_worker", "certified * 100", None, "t_certified"),
    ("bachelor_degree_worker", "bachelor * 100", None, "t_bachelor"),
    ("college_educated_share", "college", "counted", "t_college"),
    ("digital_3d_community", "d3 * 100", None, "t_d3"),
]
AREA_RATIO = "area_per_100_households"  # area in cents × 100 households: ×100 on both sides


def _community_columns() -> tuple[list[str], list[str]]:
    """Per-community verdict columns, and the per-child sums over them."""
    verdicts, sums = ["code", "SUBSTR(code, 1, %(child)s) AS child"], []
    all_ok = []
    for code, num, den, t in COMMUNITY:
        if den is None:
            ok = f"{num} >= %({t})s"
            verdicts += [
                f"CASE WHEN {ok} THEN 1 ELSE 0 END AS {code}_ok",
                f"CASE WHEN {ok} THEN 0 ELSE %({t})s - {num} END AS {code}_gap",
                f"{num} AS {code}_num",
                f"100 AS {code}_den",
                f"0 AS {code}_missing",
            ]
        else:
            # numerator × 100 ≥ threshold (hundredths) × denominator; for ㎡ per hundred
            # households the numerator is in cents and the ×100 is the hundred households.
            ok = f"{den} > 0 AND {num} IS NOT NULL AND {num} * 100 >= %({t})s * {den}"
            if code == AREA_RATIO:
                # 每百户: area (cents) × 100 ≥ t (cents) × households; gap t·h/100 − area in
                # ten-thousandths of a ㎡.
                gap = f"%({t})s * {den} - {num} * 100"
            else:
                # whole people: ⌈t·den⌉ − num, t in hundredths
                gap = f"(%({t})s * {den} + 99) / 100 - {num}"
            known = f"{den} > 0 AND {num} IS NOT NULL"
            verdicts += [
                f"CASE WHEN {ok} THEN 1 ELSE 0 END AS {code}_ok",
                f"CASE WHEN {known} AND NOT ({ok}) THEN {gap} ELSE 0 END AS {code}_gap",
                f"CASE WHEN {known} THEN {num} ELSE 0 END AS {code}_num",
                f"CASE WHEN {known} THEN {den} ELSE 0 END AS {code}_den",
                f"CASE WHEN {known} THEN 0 ELSE 1 END AS {code}_missing",
            ]
        all_ok.append(f"({ok})")
        sums += [
            f"SUM({code}_{part}) AS {code}_{part}"
            for part in ("ok", "gap", "num", "den", "missing")
        ]
    verdicts += [
        "CASE WHEN " + " AND ".join(all_ok) + " THEN 1 ELSE 0 END AS fully",
        "area_c",
        "CASE WHEN has_stats THEN h ELSE 0 END AS households",
        "CASE WHEN station_c IS NOT NULL THEN 1 ELSE 0 END AS with_station",
        "CASE WHEN station_c IS NOT NULL AND station_c < %(t_station)s THEN 1 ELSE 0 END AS small_station",
        "vorgs",
        "vols",
    ]
    sums += [
        "COUNT(*) AS communities",
        "SUM(fully) AS fully",
        "SUM(area_c) AS area_c",
        "SUM(households) AS households",
        "SUM(with_station) AS with_station",
        "SUM(small_station) AS small_station",
        "SUM(vorgs) AS vorgs",
        "SUM(vols) AS vols",
    ]
    return verdicts, sums


STREET_SUMS = [
    "SUM(centre_area_c) AS centre_area_c",
    "SUM(CASE WHEN kind = 'subdistrict' THEN 1 ELSE 0 END) AS subdistricts",
    "SUM(CASE WHEN kind = 'subdistrict' AND centre_c IS NOT NULL THEN 1 ELSE 0 END) AS with_centre",
    "SUM(CASE WHEN kind = 'subdistrict' AND COALESCE(centre_c, 0) >= %(t_centre)s THEN 1 ELSE 0 END) AS centre_ok",
    "SUM(CASE WHEN kind = 'subdistrict' AND COALESCE(centre_c, 0) < %(t_centre)s"
    " THEN %(t_centre)s - COALESCE(centre_c, 0) ELSE 0 END) AS centre_gap",
]


def _name(expression: str) -> str:
    return expression.rsplit(" AS ", 1)[1]


def statement(source: str) -> tuple[str, list[str]]:
    """Return the statement over ``source`` ("raw" or "figures") and its column names."""
    verdicts, sums = _community_columns()
    community_names = [_name(s) for s in sums]
    street_names = [_name(s) for s in STREET_SUMS]
    names = community_names + street_names
    zeros_c = ", ".join(f"0 AS {n}" for n in street_names)
    zeros_s = ", ".join(f"0 AS {n}" for n in community_names)
    total = ", ".join(f"SUM({n}) AS {n}" for n in names)
    units = RAW_UNITS if source == "raw" else FIGURES_UNITS
    sql = f"""
WITH {units},
judged AS (SELECT {", ".join(verdicts)} FROM unit),
parts AS (
    SELECT child, {", ".join(sums)}, {zeros_c} FROM judged GROUP BY child
    UNION ALL
    SELECT SUBSTR(code, 1, %(child)s) AS child, {zeros_s}, {", ".join(STREET_SUMS)}
    FROM street GROUP BY SUBSTR(code, 1, %(child)s)
),
kids AS (SELECT child, {total} FROM parts GROUP BY child)
SELECT child, {", ".join(names)} FROM kids
UNION ALL
SELECT NULL, {total} FROM kids
"""
    return sql, ["child"] + names


THRESHOLD_PARAMS = {
    "t_centre": "street_centre",
    "t_station": "community_station",
    "t_area": "area_per_100_households",
    "t_party": "party_member_participation",
    "t_residents": "resident_participation",
    "t_volunteers": "registered_volunteers",
    "t_orgs": "social_organizations",
    "t_certified": "certified_social_worker",
    "t_bachelor": "bachelor_degree_worker",
    "t_college": "college_educated_share",
    "t_d3": "digital_3d_community",
}


def _params(scope_code: str, year: int, child_length: int, thresholds: dict) -> dict:
    params = {
        "lo": scope_code,
        "hi": scope_code + ":",
        "day": datetime.date(year, 12, 31),
        "year": year,
        "child": child_length,
    }
    for name, code in THRESHOLD_PARAMS.items():
        hundredths = Decimal(thresholds[code]) * 100
        if hundredths != hundredths.to_integral_value():
            raise ValueError(
                f"{code}: the floor takes thresholds to two places, not {thresholds[code]}"
            )
        params[name] = int(hundredths)
    return params


def run(
    *, scope_code: str, year: int, child_length: int, thresholds: dict, source: str = "raw"
) -> dict:
    """Run the statement; return ``{child code or None (the region): {column: number}}``."""
    from django.db import connection

    sql, names = statement(source)
    with connection.cursor() as cursor:
        cursor.execute(sql, _params(scope_code, year, child_length, thresholds))
        rows = cursor.fetchall()
    return {
        row[0]: dict(zip(names[1:], (int(v or 0) for v in row[1:]), strict=True)) for row in rows
    }


# ---------------------------------------------------------------------------------------------
# The same fields as the engine's, to compare.

FOUR = Decimal("0.0001")
TWO = Decimal("0.01")


def _q(value, places):
    return None if value is None else Decimal(value).quantize(places, rounding=ROUND_HALF_UP)


def _share(part, whole):
    return None if not whole else Decimal(part) / Decimal(whole)


def fields_of_row(row: dict) -> dict:
    """One region's fields from a row of the statement, as ``fields_of_result`` writes them."""
    indicators = {
        "street_centre": (
            row["subdistricts"],
            row["centre_ok"],
            0,
            _q(_share(row["centre_ok"], row["subdistricts"]), FOUR),
            None,
            _q(Decimal(row["centre_gap"]) / 100, TWO),
        )
    }
    for code, _num, den, _t in COMMUNITY:
        n = row["communities"]
        ok, missing = row[f"{code}_ok"], row[f"{code}_missing"]
        if code == AREA_RATIO:
            area = Decimal(row["area_c"] + row["centre_area_c"]) / 100
            value = _share(area * 100, row["households"])
            gap = Decimal(row[f"{code}_gap"]) / 10_000
        elif den is None:
            value, gap = None, Decimal(row[f"{code}_gap"]) / 100
        else:
            value, gap = _share(row[f"{code}_num"], row[f"{code}_den"]), Decimal(row[f"{code}_gap"])
        indicators[code] = (n, ok, missing, _q(_share(ok, n), FOUR), _q(value, FOUR), _q(gap, TWO))
    baseline = {
        "streets_with_centre": row["with_centre"],
        "streets_without_centre": row["subdistricts"] - row["with_centre"],
        "communities_with_station": row["with_station"],
        "communities_without_station": row["communities"] - row["with_station"],
        "communities_with_small_station": row["small_station"],
        "volunteer_organizations": row["vorgs"],
        "registered_volunteer_count": row["vols"],
    }
    return {
        "communities": row["communities"],
        "fully_compliant": row["fully"],
        "indicators": indicators,
        "baseline": baseline,
    }


def fields_of_result(result) -> dict:
    """The same fields of an engine ``RegionResult``."""
    return {
        "communities": result.community_count,
        "fully_compliant": result.fully_compliant_count,
        "indicators": {
            i.code: (
                i.applicable,
                i.compliant,
                i.missing,
                _q(i.rate, FOUR),
                _q(i.value, FOUR),
                _q(i.gap, TWO),
            )
            for i in result.indicators
        },
        "baseline": {b.code: b.count for b in result.baseline},
    }


def check(result, rows: dict) -> list[str]:
    """Compare the engine's ``result`` (with children) with the statement's ``rows``.

    Returns the differences, one line each (empty: the statement answers every field alike).
    """
    problems = []
    pairs = [(result.code, result, rows.get(None))]
    pairs += [(child.code, child, rows.get(child.code)) for child in result.children]
    extra = set(rows) - {None} - {child.code for child in result.children}
    problems += [f"{code}: a row the engine has no child for" for code in sorted(extra)]
    for code, engine_result, row in pairs:
        engine = fields_of_result(engine_result)
        if row is None:
            if engine["communities"] or any(i[0] for i in engine["indicators"].values()):
                problems.append(f"{code}: no row, the engine counts units")
            continue
        floor = fields_of_row(row)
        for key in ("communities", "fully_compliant"):
            if engine[key] != floor[key]:
                problems.append(f"{code} {key}: engine {engine[key]}, floor {floor[key]}")
        for name, values in engine["indicators"].items():
            if values != floor["indicators"][name]:
                problems.append(
                    f"{code} {name}: engine {values}, floor {floor['indicators'][name]}"
                )
        for name, count in engine["baseline"].items():
            if count != floor["baseline"][name]:
                problems.append(
                    f"{code} baseline {name}: engine {count}, floor {floor['baseline'][name]}"
                )
    return problems


def floor_rows(*, scope_code: str, year: int, source: str = "raw") -> dict:
    """Run the statement for ``scope_code`` with the current plan's thresholds."""
    from communities.scopes import child_level, resolve_scope
    from core.scoping import CODE_LENGTHS
    from targets.engine import _thresholds
    from targets.plans import current_plan

    scope = resolve_scope(scope_code)
    level = child_level(scope.level)
    child_length = CODE_LENGTHS[level] if level else len(scope_code)
    return run(
        scope_code=scope_code,
        year=year,
        child_length=child_length,
        thresholds=_thresholds(current_plan()),
        source=source,
    )


def checked_floor(*, scope_code: str, year: int, source: str = "raw") -> dict:
    """Run the statement once and check it against the engine; raise on any difference."""
    from targets.engine import compute_region

    rows = floor_rows(scope_code=scope_code, year=year, source=source)
    problems = check(compute_region(scope_code=scope_code, year=year), rows)
    if problems:
        raise AssertionError(
            f"the {source} floor differs from the engine:\n" + "\n".join(problems[:40])
        )
    return rows
