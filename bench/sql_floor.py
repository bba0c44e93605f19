"""One hand-written SQL statement that computes the province's compliance counts.

It is the floor the engine's time is compared with: the same per-community figures (station
area, facility area, registered volunteers, active organisations, counted workers, statistics)
and the same compliant counts, in one round trip, with no ORM and no Python per community.
Standard SQL: it runs on SQLite and PostgreSQL alike.
"""

import datetime

SQL = """
WITH fac AS (
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
org AS (
    SELECT community_code, COUNT(*) AS n FROM communities_socialorganization
    WHERE community_code >= %(lo)s AND community_code < %(hi)s AND registered_on <= %(day)s
      AND (dissolved_on IS NULL OR dissolved_on > %(day)s)
    GROUP BY community_code
),
wrk AS (
    SELECT community_code, COUNT(*) AS counted,
           SUM(CASE WHEN social_work_qualification <> 'none' THEN 1 ELSE 0 END) AS qualified,
           SUM(CASE WHEN education IN ('bachelor', 'postgraduate') THEN 1 ELSE 0 END) AS bachelor,
           SUM(CASE WHEN education IN ('college', 'bachelor', 'postgraduate') THEN 1 ELSE 0 END) AS college
    FROM workforce_worker
    WHERE community_code >= %(lo)s AND community_code < %(hi)s
      AND role IN ('secretary', 'director', 'deputy_director', 'member', 'full_time')
      AND hired_on <= %(day)s AND (left_on IS NULL OR left_on > %(day)s)
    GROUP BY community_code
),
per AS (
    SELECT c.code, s.households, s.residents, s.party_members,
           s.party_members_volunteering AS pmv, s.residents_volunteering AS rv,
           COALESCE(st.max_area, 0) AS station,
           COALESCE(st.total, 0) + COALESCE(sp.total, 0) AS area,
           COALESCE(v.n, 0) AS volunteers, COALESCE(o.n, 0) AS orgs,
           COALESCE(w.counted, 0) AS counted, COALESCE(w.qualified, 0) AS qualified,
           COALESCE(w.bachelor, 0) AS bachelor, COALESCE(w.college, 0) AS college,
           CASE WHEN c.digital_3d_completed_on <= %(day)s THEN 1 ELSE 0 END AS d3
    FROM communities_community c
    LEFT JOIN communities_communitystat s ON s.community_code = c.code AND s.year = %(year)s
    LEFT JOIN fac st ON st.code = c.code AND st.kind = 'station'
    LEFT JOIN fac sp ON sp.code = c.code AND sp.kind = 'specialized'
    LEFT JOIN vol v ON v.community_code = c.code
    LEFT JOIN org o ON o.community_code = c.code
    LEFT JOIN wrk w ON w.community_code = c.code
    WHERE c.code >= %(lo)s AND c.code < %(hi)s
)
SELECT
    (SELECT COUNT(*) FROM streets_street WHERE code >= %(lo)s AND code < %(hi)s AND kind = 'subdistrict'),
    (SELECT COUNT(*) FROM streets_street st JOIN fac ON fac.code = st.code AND fac.kind = 'centre'
        WHERE st.code >= %(lo)s AND st.code < %(hi)s AND st.kind = 'subdistrict' AND fac.max_area >= 800),
    COUNT(*),
    SUM(CASE WHEN station >= 300 THEN 1 ELSE 0 END),
    SUM(CASE WHEN households > 0 AND area * 100 >= 20 * households THEN 1 ELSE 0 END),
    SUM(CASE WHEN party_members > 0 AND pmv * 100 >= 80 * party_members THEN 1 ELSE 0 END),
    SUM(CASE WHEN residents > 0 AND rv * 100 >= 30 * residents THEN 1 ELSE 0 END),
    SUM(CASE WHEN residents > 0 AND volunteers * 10 >= residents THEN 1 ELSE 0 END),
    SUM(CASE WHEN orgs >= 5 THEN 1 ELSE 0 END),
    SUM(CASE WHEN qualified >= 1 THEN 1 ELSE 0 END),
    SUM(CASE WHEN bachelor >= 1 THEN 1 ELSE 0 END),
    SUM(CASE WHEN counted > 0 AND college * 2 >= counted THEN 1 ELSE 0 END),
    SUM(d3),
    SUM(CASE WHEN households IS NULL THEN 1 ELSE 0 END),
    SUM(households), SUM(residents), SUM(volunteers)
FROM per
"""

COLUMNS = [
    "subdistricts", "street_centre", "communities", "community_station", "area_per_100_households",
    "party_member_participation", "resident_participation", "registered_volunteers",
    "social_organizations", "certified_social_worker", "bachelor_degree_worker",
    "college_educated_share", "digital_3d_community", "missing_stats", "households", "residents",
    "volunteers",
]


def floor_counts(*, scope_code: str, year: int) -> dict:
    """Run the statement and return its counts by name."""
    from django.db import connection

    params = {"lo": scope_code, "hi": scope_code + ":", "day": datetime.date(year, 12, 31), "year": year}
    with connection.cursor() as cursor:
        cursor.execute(SQL, params)
        row = cursor.fetchone()
    return dict(zip(COLUMNS, row, strict=True))
