"""Measure the Excel budgets: a 100,000-row volunteer import and the compliance report.

    .venv/bin/python bench/excel_bench.py --rows 100000            # SQLite file in /tmp
    DATABASE_URL=postgres://… .venv/bin/python bench/excel_bench.py

Builds a scratch database with the real hierarchy (``load_divisions``), writes a volunteers
workbook in the template's layout spread over every community, then runs each measurement
in a fresh child process so that its peak memory (``ru_maxrss``) is its own: the import of
the new file (all inserts), the same file again (nothing changes), and the compliance report
for the province. Prints one JSON line per measurement; nothing asserts a time.

``run_import(rows=…, user=…)`` is the entry point ``bench/measure.py import_volunteers`` uses.
"""

import argparse
import datetime
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gansu_community.settings")
os.environ.setdefault("GANSU_TESTING", "1")


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def cpu_seconds() -> float:
    """CPU time of this process: the machine is shared, so wall time alone says little."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def id_number(i: int) -> str:
    """A distinct valid resident ID number for every ``i`` (birth date and sequence vary)."""
    from core.validators import id_check_char

    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=i // 900)
    # An address code outside Gansu, so that the numbers never meet the demo data's.
    first = f"659999{birth:%Y%m%d}{i % 900 + 100:03d}"
    return first + id_check_char(first)


def write_volunteers_file(path: Path, rows: int, communities: list[tuple[str, str]]) -> None:
    """Write ``rows`` volunteers in the import template's layout (write-only, streamed)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from excel.resources import VOLUNTEERS

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(VOLUNTEERS.title)
    ws.append([c.title for c in VOLUNTEERS.columns])
    date_cell = WriteOnlyCell(ws)
    date_cell.number_format = "yyyy-mm-dd"
    categories = ["为老", "助残、就业", "文体", "社会救助、为老、医疗卫生", ""]
    for i in range(rows):
        code, name = communities[i % len(communities)]
        date_cell.value = datetime.date(2010 + i % 6, 1 + i % 12, 1 + i % 28)
        ws.append(
            [
                code,
                name,
                f"志愿者{i:06d}",
                "男" if i % 2 else "女",
                id_number(i),
                f"13{i % 10}{i:08d}"[:11],
                "是" if i % 7 == 0 else "否",
                date_cell,
                None,
                None,
                categories[i % len(categories)],
            ]
        )
    wb.save(path)


def run_import(*, rows: int, user, path: Path | None = None) -> dict:
    """Import a volunteers file of ``rows`` rows as ``user``; return time, counts and peak memory."""
    from communities.models import Community
    from excel.importers import import_workbook
    from excel.resources import VOLUNTEERS

    if path is None:
        path = Path(tempfile.mkdtemp()) / "volunteers.xlsx"
        communities = list(Community.objects.order_by("code").values_list("code", "name"))
        write_volunteers_file(path, rows, communities)
    cpu = cpu_seconds()
    started = time.perf_counter()
    with open(path, "rb") as fh:
        result = import_workbook(resource=VOLUNTEERS, upload=fh, user=user, file_name=path.name)
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu
    return {
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "errors": len(result.errors),
        "first_errors": [str(e) for e in result.errors[:3]],
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "bytes": path.stat().st_size,
        "peak_mb": peak_mb(),
    }


def bench_user():
    from accounts.models import User

    user, _ = User.objects.get_or_create(
        username="bench_excel", defaults={"is_superuser": True, "is_staff": True, "role": "admin"}
    )
    return user


def child(args) -> None:
    """One measurement in this process; prints a JSON line."""
    import django

    django.setup()
    if args.child == "import":
        out = run_import(rows=0, user=bench_user(), path=Path(args.file))
    elif args.child == "report":
        from targets.plans import current_plan
        from targets.report import build_compliance_workbook

        target = Path(args.file)
        plan = current_plan()
        cpu = cpu_seconds()
        started = time.perf_counter()
        with open(target, "wb") as fh:
            build_compliance_workbook(scope_code=args.scope, year=2015, plan=plan, out=fh)
        out = {
            "seconds": round(time.perf_counter() - started, 2),
            "cpu_seconds": round(cpu_seconds() - cpu, 2),
            "bytes": target.stat().st_size,
            "peak_mb": peak_mb(),
        }
    elif args.child == "report-writer":
        out = synthetic_report(int(args.scope), Path(args.file))
    else:
        raise SystemExit(args.child)
    out["what"] = args.child
    print("RESULT " + json.dumps(out, ensure_ascii=False), flush=True)


def synthetic_report(communities: int, target: Path) -> dict:
    """Write the report for ``communities`` made-up communities (9,000 streets at 111,000).

    The engine's answers are replaced by generated rows, so this measures the workbook
    writer alone (time and the memory it adds on top of the rows it is given).
    """
    from decimal import Decimal

    import targets.report as report
    from targets.engine import compute_region
    from targets.plans import current_plan
    from targets.registry import COMMUNITY_INDICATORS
    from targets.results import CommunityRow, StreetRow, UnitValue

    region = compute_region(scope_code="62", year=2015)
    streets = max(communities // 12, 1)
    street_rows = [
        StreetRow(
            f"{620102000 + i:09d}",
            f"街道{i}",
            "620102",
            "subdistrict" if i % 4 else "town",
            {
                "street_centre": UnitValue(
                    Decimal(600 + i % 400), i % 3 == 0, Decimal(0), i % 4 != 0
                )
            },
        )
        for i in range(streets)
    ]
    community_rows = []
    for i in range(communities):
        indicators = {
            ind.code: UnitValue(Decimal(i % 500) / Decimal(7), (i + n) % 3 != 0, Decimal(n))
            for n, ind in enumerate(COMMUNITY_INDICATORS)
        }
        street = street_rows[i % streets].code
        community_rows.append(
            CommunityRow(
                f"{street}{i % 1000:03d}", f"社区{i}", street, indicators, i % 9 == 0, i % 50 == 0
            )
        )
    before = peak_mb()
    report.compute_region = lambda **kw: region
    report.street_rows = lambda **kw: street_rows
    report._community_rows_in_parts = lambda region, year, plan: iter(community_rows)
    cpu = cpu_seconds()
    started = time.perf_counter()
    with open(target, "wb") as fh:
        report.build_compliance_workbook(scope_code="62", year=2015, plan=current_plan(), out=fh)
    region.community_count = communities  # (only for the autofilter range)
    return {
        "communities": communities,
        "streets": streets,
        "seconds": round(time.perf_counter() - started, 2),
        "cpu_seconds": round(cpu_seconds() - cpu, 2),
        "bytes": target.stat().st_size,
        "peak_mb_before_writing": before,
        "peak_mb": peak_mb(),
    }


def run_child(*extra: str) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, *extra],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise SystemExit(f"measurement failed:\n{proc.stdout}\n{proc.stderr}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", default="/tmp/excel_bench.sqlite3")
    parser.add_argument("--scope", default="62")
    parser.add_argument("--child")
    parser.add_argument("--file")
    parser.add_argument(
        "--writer-only", type=int, help="只测报表写出：给定社区数的合成数据（如 111000）。"
    )
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    if args.writer_only:
        if "DATABASE_URL" not in os.environ:
            os.environ["DATABASE_URL"] = f"sqlite:///{args.db}"
        target = Path(tempfile.mkdtemp()) / "report.xlsx"
        print(
            json.dumps(
                run_child(
                    "--child",
                    "report-writer",
                    "--scope",
                    str(args.writer_only),
                    "--file",
                    str(target),
                ),
                ensure_ascii=False,
            )
        )
        return
    if "DATABASE_URL" not in os.environ:
        for suffix in ("", "-wal", "-shm"):
            Path(args.db + suffix).unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{args.db}"
    import django

    django.setup()
    from django.core.management import call_command

    from communities.models import Community

    call_command("migrate", verbosity=0)
    if not Community.objects.exists():
        call_command("load_divisions", verbosity=0)
    bench_user()
    communities = list(Community.objects.order_by("code").values_list("code", "name"))
    workdir = Path(tempfile.mkdtemp())
    path = workdir / "volunteers.xlsx"
    started = time.perf_counter()
    write_volunteers_file(path, args.rows, communities)
    print(
        f"wrote {args.rows} rows over {len(communities)} communities in {time.perf_counter() - started:.1f} s, "
        f"{path.stat().st_size / 1024 / 1024:.1f} MB",
        flush=True,
    )
    results = [
        run_child("--child", "import", "--file", str(path)),
        run_child("--child", "import", "--file", str(path)),
        run_child(
            "--child", "report", "--file", str(workdir / "report.xlsx"), "--scope", args.scope
        ),
    ]
    results[0]["what"], results[1]["what"] = "import (new rows)", "import again (unchanged)"
    for result in results:
        print(json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
