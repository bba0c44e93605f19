"""Generate the national-scale synthetic data set on PostgreSQL, in SQL, in a few minutes.

The portal's hierarchy hangs under one root code, so the nation is modelled as 31
"prefecture-level" divisions (one per province) under a synthetic root ``62``: 31 × 94
counties, about 9,100 streets (30 % 街道) and about 111,000 communities, with 2015 statistics,
a centre per 街道, a station and a specialized facility per community, organisations, workers
and about ten million volunteers. The rows are synthetic (ID numbers are unique but carry no
check digit) and are written straight into the tables with ``INSERT … SELECT
generate_series``; the measurements then run through the portal's own code.

Usage: ``DATABASE_URL=postgres://…/gansu_national python bench/national.py [--volunteers-per-community 90]``
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gansu_community.settings")
os.environ.setdefault("GANSU_TESTING", "1")

PROVINCES = 31
COUNTIES_PER_PROVINCE = 94

STEPS = [
    ("清空旧数据", """
        TRUNCATE volunteers_volunteer, volunteers_volunteerorganization, workforce_worker,
                 communities_socialorganization, facilities_facility, communities_communitystat,
                 communities_community, streets_street, streets_division CASCADE
    """),
    ("行政区划", f"""
        INSERT INTO streets_division (code, name, level, parent_code) VALUES ('62', '全国（合成）', 'province', NULL);
        INSERT INTO streets_division (code, name, level, parent_code)
          SELECT '62' || lpad(p::text, 2, '0'), '省份' || p, 'prefecture', '62'
          FROM generate_series(1, {PROVINCES}) p;
        INSERT INTO streets_division (code, name, level, parent_code)
          SELECT '62' || lpad(p::text, 2, '0') || lpad(c::text, 2, '0'), '省份' || p || '县区' || c, 'county',
                 '62' || lpad(p::text, 2, '0')
          FROM generate_series(1, {PROVINCES}) p, generate_series(1, {COUNTIES_PER_PROVINCE}) c;
    """),
    ("街道", """
        INSERT INTO streets_street (code, name, kind, county_code)
          SELECT d.code || lpad(s::text, 3, '0'), d.name || '街道' || s,
                 CASE WHEN (abs(hashtext(d.code || s)) % 10) < 3 THEN 'subdistrict' ELSE 'town' END, d.code
          FROM streets_division d
          CROSS JOIN LATERAL generate_series(1, 3 + CASE WHEN abs(hashtext(d.code)) % 8 = 0 THEN 1 ELSE 0 END) s
          WHERE d.level = 'county';
    """),
    ("社区", """
        INSERT INTO communities_community (code, name, street_code, digital_3d_completed_on, resident_groups)
          SELECT st.code || lpad(c::text, 3, '0'), st.name || '社区' || c, st.code,
                 CASE WHEN abs(hashtext(st.code || c)) % 10 < 8 THEN DATE '2014-06-30' END, 0
          FROM streets_street st
          CROSS JOIN LATERAL generate_series(1, 12 + CASE WHEN abs(hashtext(st.code)) % 6 = 0 THEN 1 ELSE 0 END) c;
    """),
    ("年度统计", """
        INSERT INTO communities_communitystat (version, created_at, updated_at, community_code, year, households,
            residents, party_members, party_members_volunteering, residents_volunteering, status, return_reason,
            approval_levels, approvals, approved_levels)
          SELECT 1, now(), now(), code, 2015, r / 28 * 10, r, r / 30, (r / 30) * 8 / 10 + h % 3, r * 3 / 10 + h % 50,
                 'approved', '', '[]', '[]', 0
          FROM (SELECT code, 2000 + abs(hashtext(code)) % 6000 AS r, abs(hashtext(code || 'h')) AS h
                FROM communities_community) x;
    """),
    ("服务设施", """
        INSERT INTO facilities_facility (version, created_at, updated_at, name, kind, specialized_type, street_code,
            community_code, code, floor_area, opened_on, closed_on, construction_mode, address, services)
          SELECT 1, now(), now(), name || '社区服务中心', 'centre', '', code, NULL, code,
                 600 + abs(hashtext(code)) % 600, DATE '2012-01-01', NULL, 'new_build', '', '[]'
          FROM streets_street WHERE kind = 'subdistrict' AND abs(hashtext(code || 'c')) % 10 < 8;
        INSERT INTO facilities_facility (version, created_at, updated_at, name, kind, specialized_type, street_code,
            community_code, code, floor_area, opened_on, closed_on, construction_mode, address, services)
          SELECT 1, now(), now(), name || '社区服务站', 'station', '', NULL, code, code,
                 150 + abs(hashtext(code)) % 300, DATE '2011-01-01', NULL, 'new_build', '', '[]'
          FROM communities_community WHERE abs(hashtext(code || 's')) % 20 <> 0;
        INSERT INTO facilities_facility (version, created_at, updated_at, name, kind, specialized_type, street_code,
            community_code, code, floor_area, opened_on, closed_on, construction_mode, address, services)
          SELECT 1, now(), now(), name || '日间照料中心', 'specialized', 'day_care', NULL, code, code,
                 100 + abs(hashtext(code)) % 400, DATE '2013-01-01', NULL, 'repurpose', '', '[]'
          FROM communities_community;
    """),
    ("社会组织与志愿者组织", """
        INSERT INTO communities_socialorganization (version, created_at, updated_at, community_code, name, category,
            registered_on, dissolved_on)
          SELECT 1, now(), now(), c.code, '社会组织' || n, 'other', DATE '2012-03-01', NULL
          FROM communities_community c CROSS JOIN LATERAL generate_series(1, 3 + abs(hashtext(c.code)) % 4) n;
        INSERT INTO volunteers_volunteerorganization (version, created_at, updated_at, community_code, name,
            registered_on, dissolved_on, registration_status, registration_number, manager_name, contact_phone)
          SELECT 1, now(), now(), c.code, '志愿服务队' || n, DATE '2011-05-01', NULL, 'filed', '', '', ''
          FROM communities_community c CROSS JOIN LATERAL generate_series(1, 3) n;
    """),
    ("社区工作者", """
        INSERT INTO workforce_worker (version, created_at, updated_at, community_code, name, gender, role, education,
            social_work_qualification, recruitment, hired_on, left_on)
          SELECT 1, now(), now(), c.code, '工作者' || n, CASE WHEN n % 2 = 0 THEN 'male' ELSE 'female' END,
                 (ARRAY['secretary','director','deputy_director','member','full_time','full_time','group_leader'])[n],
                 (ARRAY['high_school','college','bachelor','college','secondary','bachelor','junior_or_below'])[1 + (n + abs(hashtext(c.code))) % 7],
                 CASE WHEN (n + abs(hashtext(c.code))) % 9 = 0 THEN 'assistant' ELSE 'none' END,
                 'hiring', DATE '2010-01-01', NULL
          FROM communities_community c CROSS JOIN generate_series(1, 7) n;
    """),
]

VOLUNTEERS = """
    INSERT INTO volunteers_volunteer (version, created_at, updated_at, community_code, organization_id, name, gender,
        id_number, phone, is_party_member, registered_on, left_on, service_categories)
      SELECT 1, now(), now(), c.code, NULL, '志愿者' || n, CASE WHEN n %% 2 = 0 THEN 'male' ELSE 'female' END,
             lpad((c.seq * 1000 + n)::text, 17, '0') || 'X', '', n %% 12 = 0,
             DATE '2010-01-01' + ((n * 37 + c.seq) %% 2000)::int, NULL, '[]'
      FROM (SELECT code, row_number() OVER (ORDER BY code) AS seq FROM communities_community
            WHERE code >= %(lo)s AND code < %(hi)s) c
      CROSS JOIN LATERAL generate_series(1, %(per)s + (c.seq %% 7)::int - 3) n
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volunteers-per-community", type=int, default=90)
    parser.add_argument("--provinces", type=int, default=PROVINCES)
    parser.add_argument("--counties", type=int, default=COUNTIES_PER_PROVINCE, help="县区数/省份")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("全国规模数据只在 PostgreSQL 上生成：请设置 DATABASE_URL=postgres://…")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for label, sql in STEPS:
            t = time.perf_counter()
            sql = sql.replace(f"generate_series(1, {PROVINCES})", f"generate_series(1, {args.provinces})")
            sql = sql.replace(f"generate_series(1, {COUNTIES_PER_PROVINCE})", f"generate_series(1, {args.counties})")
            cursor.execute(sql)
            print(f"{label}：{time.perf_counter() - t:.1f} 秒", flush=True)
        t = time.perf_counter()
        # The seq offsets keep ID numbers unique across the per-province batches.
        cursor.execute("SELECT code FROM streets_division WHERE level = 'prefecture' ORDER BY code")
        provinces = [row[0] for row in cursor.fetchall()]
        offset = 0
        for i, code in enumerate(provinces, 1):
            cursor.execute(
                VOLUNTEERS.replace("c.seq * 1000", f"(c.seq + {offset}) * 1000"),
                {"lo": code, "hi": code + ":", "per": args.volunteers_per_community},
            )
            cursor.execute("SELECT count(*) FROM communities_community WHERE code >= %s AND code < %s", [code, code + ":"])
            offset += cursor.fetchone()[0]
            print(f"\r志愿者：{i}/{len(provinces)} 个省份", end="", flush=True)
        print(f"\n志愿者：{time.perf_counter() - t:.1f} 秒", flush=True)
        # The rows went in around the write path: their figures once, as seed_demo does.
        from targets.figures import recompute

        t = time.perf_counter()
        recompute(None)
        print(f"社区年度数据：{time.perf_counter() - t:.1f} 秒", flush=True)
        # VACUUM too: the visibility map lets PostgreSQL count volunteers from the index alone.
        cursor.execute("VACUUM ANALYZE")
        for table in ("streets_street", "communities_community", "volunteers_volunteer"):
            cursor.execute(f"SELECT count(*) FROM {table}")
            print(f"{table}: {cursor.fetchone()[0]:,}")
    print(f"全国规模数据生成完成：{time.perf_counter() - started:.0f} 秒")


if __name__ == "__main__":
    main()
