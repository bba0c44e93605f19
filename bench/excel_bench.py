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
    from gansu_community.validators import id_check_char

    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=i // 900)
    first = f"620102{birth:%Y%m%d}{i % 900 + 100:03d}"
    return first + id_check_char(first)


def write_volunteers_file(path: Path, rows: int, communities: list[tuple[str, str]]) -> None:
    """Write ``rows`` volunteers in the import template's layout (write-only, streamed)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from gansu_community.excel.resources import VOLUNTEERS

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
    from gansu_community.excel.importers import import_workbook
    from gansu_community.excel.resources import VOLUNTEERS

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
    from django.conf import settings

    if args.child == "import":
        settings.IMPORT_MAX_BYTES = 64 * 1024 * 1024  # the command-line path for big files
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
    else:
        raise SystemExit(args.child)
    out["what"] = args.child
    print("RESULT " + json.dumps(out, ensure_ascii=False), flush=True)


def run_child(*extra: str) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, *extra], capture_output=True, text=True, env=os.environ.copy(), check=False
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
    args = parser.parse_args()
    if args.child:
        child(args)
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
    print(f"wrote {args.rows} rows over {len(communities)} communities in {time.perf_counter() - started:.1f} s, "
          f"{path.stat().st_size / 1024 / 1024:.1f} MB", flush=True)
    results = [
        run_child("--child", "import", "--file", str(path)),
        run_child("--child", "import", "--file", str(path)),
        run_child("--child", "report", "--file", str(workdir / "report.xlsx"), "--scope", args.scope),
    ]
    results[0]["what"], results[1]["what"] = "import (new rows)", "import again (unchanged)"
    for result in results:
        print(json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
