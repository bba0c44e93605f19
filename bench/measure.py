"""Run one measurement in this process and print it as JSON (``bench/run.py`` calls this).

Usage: ``python bench/measure.py WHAT --scope 62 --year 2015 --repeat 5``; WHAT is one of
``compliance_api``, ``engine``, ``sql_floor`` (``--source raw|figures``), ``dashboard``, ``report``, ``import_volunteers``,
``job_import``, ``job_report`` (bench/job_bench.py), ``write_cost``.
Times are wall-clock seconds of each repeat; ``peak_mb`` is the process's peak resident memory.
"""

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gansu_community.settings")
os.environ.setdefault("GANSU_TESTING", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_admin():
    from accounts.models import User

    user, _ = User.objects.get_or_create(
        username="bench_admin", defaults={"is_superuser": True, "is_staff": True, "role": "admin"}
    )
    return user


def timed(fn, repeat: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return times, result


def http_get(url: str | list[str], repeat: int) -> dict:
    """Time GET ``url`` (or each of a list of URLs in turn, as one page and what it fetches)."""
    from django.db import connection
    from django.test import Client

    client = Client()
    client.force_login(bench_admin())
    urls = [url] if isinstance(url, str) else url

    def get():
        for one in urls:
            response = client.get(one)
            if response.status_code != 200:
                raise SystemExit(f"{one} answered {response.status_code}: {response.content[:300]!r}")
        return response

    get()  # warm the connection, templates and plan cache; not counted
    # Counted with an execute wrapper: a request's start clears connection.queries, so
    # CaptureQueriesContext around a whole request counts nothing.
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        get()
    times, _ = timed(get, repeat)
    return {"times": times, "queries": len(queries)}


def write_cost(pairs: int) -> dict:
    """One statistics edit through the write path, with its figures and verdicts upkeep and,
    beside it in the same run, the same edit with the upkeep switched off (its floor).

    The pairs alternate, each on a community of its own; a community written without upkeep
    is recomputed afterwards, untimed, so the figures stay equal to the raw rows.
    """
    from communities.models import CommunityStat
    from core import figures
    from core.services import record_save

    user = bench_admin()
    keeper = figures._keeper
    stats = list(CommunityStat.objects.filter(year=2015).order_by("community_id")[: 2 * pairs + 2])

    def edit(stat) -> float:
        stat.refresh_from_db()
        up = stat.residents_volunteering < stat.residents
        stat.residents_volunteering += 1 if up else -1
        started = time.perf_counter()
        record_save(instance=stat, user=user)
        return time.perf_counter() - started

    edit(stats[0])  # warm the connection and the code paths; not counted
    figures.figures_keeper_set(None)
    edit(stats[1])
    figures.figures_keeper_set(keeper)
    keeper.recompute({stats[1].community_id})
    kept, bare = [], []
    for i in range(min(pairs, (len(stats) - 2) // 2)):
        kept.append(edit(stats[2 + 2 * i]))
        figures.figures_keeper_set(None)
        try:
            bare.append(edit(stats[3 + 2 * i]))
        finally:
            figures.figures_keeper_set(keeper)
        keeper.recompute({stats[3 + 2 * i].community_id})
    return {"times": kept, "floor_times": bare, **volunteer_cost(user, [s.community_id for s in stats])}


def volunteer_cost(user, codes: list[str]) -> dict:
    """A volunteer registered through the write path (its community's volunteer counts and
    verdicts upkeep), beside the same registration without the upkeep; one per community.
    The volunteers are deleted afterwards, untimed, so the demo stays as it was."""
    import datetime
    import random

    from bench.excel_bench import id_number
    from core import figures
    from core.services import record_delete, record_save
    from volunteers.models import Volunteer

    keeper = figures._keeper
    base = random.randrange(10**6)  # new numbers on every run of a kept demo

    def register(n: int, code: str) -> tuple[float, Volunteer]:
        number = id_number(base + n)
        volunteer = Volunteer(
            community_id=code, name="测试志愿者", id_number=number,
            gender="male" if int(number[16]) % 2 else "female",
            registered_on=datetime.date(2015, 6, 1),
        )
        started = time.perf_counter()
        record_save(instance=volunteer, user=user)
        return time.perf_counter() - started, volunteer

    made, kept, bare = [], [], []
    for i, code in enumerate(codes):
        upkeep = i % 2 == 0
        if not upkeep:
            figures.figures_keeper_set(None)
        try:
            seconds, volunteer = register(i, code)
        finally:
            figures.figures_keeper_set(keeper)
        made.append(volunteer)
        if i:  # the first warms the code paths
            (kept if upkeep else bare).append(seconds)
    for volunteer in made:
        record_delete(instance=volunteer, user=None)
    return {"volunteer_times": kept, "volunteer_floor_times": bare}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what")
    parser.add_argument("--scope", default="62")
    parser.add_argument("--year", type=int, default=2015)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--source", choices=["raw", "figures"], default="raw")
    args = parser.parse_args()

    import django

    django.setup()
    from django.urls import reverse

    out: dict = {"what": args.what, "scope": args.scope}
    if args.what == "compliance_api":
        out.update(http_get(f"/api/v1/compliance/?scope={args.scope}&year={args.year}", args.repeat))
    elif args.what == "dashboard":
        # The page and the progress line it fetches: what an official waits for.
        query = f"?year={args.year}"
        urls = [reverse(name, args=[args.scope]) + query for name in ("dashboard", "dashboard-progress")]
        out.update(http_get(urls, args.repeat))
    elif args.what == "engine":
        from targets.engine import compute_region

        compute_region(scope_code=args.scope, year=args.year)
        out["times"], _ = timed(lambda: compute_region(scope_code=args.scope, year=args.year), args.repeat)
    elif args.what == "sql_floor":
        from bench.sql_floor import checked_floor, floor_rows

        # Checked equal to the engine's answer, field by field, before it is timed.
        rows = checked_floor(scope_code=args.scope, year=args.year, source=args.source)
        out["times"], _ = timed(
            lambda: floor_rows(scope_code=args.scope, year=args.year, source=args.source), args.repeat
        )
        out["source"] = args.source
        out["checked_units"] = len(rows)
    elif args.what == "report":
        from targets.plans import current_plan
        from targets.report import build_compliance_workbook

        plan = current_plan()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "report.xlsx"

            def build():
                with open(path, "wb") as fh:
                    build_compliance_workbook(scope_code=args.scope, year=args.year, plan=plan, out=fh)

            out["times"], _ = timed(build, 1)
            out["bytes"] = path.stat().st_size
    elif args.what == "import_volunteers":
        from bench.excel_bench import run_import

        out.update(run_import(rows=args.rows, user=bench_admin()))
    elif args.what == "job_import":
        from bench.job_bench import job_import

        out.update(job_import(rows=args.rows, user=bench_admin()))
    elif args.what == "job_report":
        from bench.job_bench import job_report

        out.update(job_report(scope=args.scope, year=args.year, user=bench_admin()))
    elif args.what == "write_cost":
        out.update(write_cost(args.repeat))
    else:
        raise SystemExit(f"unknown measurement {args.what}")
    out["peak_mb"] = round(peak_mb(), 1)
    print("RESULT " + json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
