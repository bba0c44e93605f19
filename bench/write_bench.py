"""Writes, and reads while others write, through gunicorn on PostgreSQL (``bench/run.py``).

Usage: ``python bench/write_bench.py --base http://127.0.0.1:8765 --seconds 20``; prints one
``RESULT {json}`` line. Every request goes over HTTP to the served portal with a knox token of
the bench administrator:

- *reads under writes*: 4 readers ask ``GET /api/v1/compliance/?scope=62`` without pause while
  one writer saves a community's yearly statistics (``PATCH /api/v1/community-stats/{id}/``,
  the one write path with its figures upkeep) at 1 and then 5 records a second, each write in
  another community; the same readers with no writer are the floor;
- *concurrent writers*: 20 writers, each saving its own community's statistics without pause;
  one writer alone is the floor. A sampler counts the PostgreSQL locks waited for meanwhile.
"""

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gansu_community.settings")
os.environ.setdefault("GANSU_TESTING", "1")

READERS = 4
WRITERS = 20


def p95(values):
    if len(values) < 2:
        return values[0] if values else None
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def summary(values):
    if not values:
        return {"count": 0}
    return {
        "count": len(values),
        "p50": round(statistics.median(values), 4),
        "p95": round(p95(values), 4),
        "max": round(max(values), 4),
    }


def setup() -> tuple[str, list[int]]:
    """A token of the bench administrator and one draft statistic in each of 20 communities."""
    import django

    django.setup()
    from knox.models import AuthToken

    from bench.job_bench import _draft_stat
    from bench.measure import bench_admin
    from communities.models import Community

    _, token = AuthToken.objects.create(user=bench_admin())
    codes = Community.objects.order_by("-code").values_list("code", flat=True).iterator()
    stats = []
    for code in codes:
        try:
            stats.append(_draft_stat(code).pk)
        except StopIteration:
            continue  # every year taken and approved: another community
        if len(stats) == WRITERS:
            break
    return token, stats


class Client:
    def __init__(self, base: str, token: str):
        import requests

        self.base = base
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Token {token}"
        self.errors = 0

    def read(self) -> float:
        started = time.perf_counter()
        response = self.session.get(f"{self.base}/api/v1/compliance/?scope=62&year=2015", timeout=60)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            self.errors += 1
        return elapsed

    def write(self, stat_id: int, n: int) -> float:
        started = time.perf_counter()
        response = self.session.patch(
            f"{self.base}/api/v1/community-stats/{stat_id}/",
            json={"households": 1000 + n % 2},
            timeout=60,
        )
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            self.errors += 1
        return elapsed


def run_for(seconds: float, workers) -> None:
    stop = time.monotonic() + seconds
    threads = [threading.Thread(target=w, args=(stop,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def readers_phase(base, token, stats, seconds, rate: float) -> dict:
    reads, writes, clients = [], [], []

    def reader(stop):
        client = Client(base, token)
        clients.append(client)
        while time.monotonic() < stop:
            reads.append(client.read())

    def writer(stop):
        # Writes start on the schedule whatever the last one's latency: a pool of writers.
        from concurrent.futures import ThreadPoolExecutor

        local = threading.local()

        def one(n):
            if not hasattr(local, "client"):
                local.client = Client(base, token)
                clients.append(local.client)
            writes.append(local.client.write(stats[n % len(stats)], n))

        n, next_at = 0, time.monotonic()
        with ThreadPoolExecutor(max_workers=8) as pool:
            while time.monotonic() < stop:
                pool.submit(one, n)
                n += 1
                next_at += 1 / rate
                time.sleep(max(0.0, next_at - time.monotonic()))

    workers = [reader] * READERS + ([writer] if rate else [])
    run_for(seconds, workers)
    return {
        "rate": rate,
        "reads": summary(reads),
        "writes": summary(writes),
        "writes_per_second": round(len(writes) / seconds, 2),
        "errors": sum(c.errors for c in clients),
    }


def waiting_locks(stop, samples: list[int]) -> None:
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            while time.monotonic() < stop:
                cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
                samples.append(cursor.fetchone()[0])
                time.sleep(0.1)
    finally:
        connection.close()


def writers_phase(base, token, stats, seconds, writers: int) -> dict:
    writes, clients, locks = [], [], []

    def writer_of(stat_id):
        def writer(stop):
            client = Client(base, token)
            clients.append(client)
            n = 0
            while time.monotonic() < stop:
                writes.append(client.write(stat_id, n))
                n += 1

        return writer

    workers = [writer_of(stats[i % len(stats)]) for i in range(writers)]
    run_for(seconds, [*workers, lambda stop: waiting_locks(stop, locks)])
    return {
        "writers": writers,
        "writes": summary(writes),
        "writes_per_second": round(len(writes) / seconds, 2),
        "errors": sum(c.errors for c in clients),
        "lock_waits_max": max(locks, default=0),
        "lock_wait_samples": sum(1 for n in locks if n),
        "lock_samples": len(locks),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    token, stats = setup()
    Client(args.base, token).read()  # warm the workers' connections
    out = {
        "communities": len(stats),
        "idle": readers_phase(args.base, token, stats, args.seconds, 0),
        "rate_1": readers_phase(args.base, token, stats, args.seconds, 1),
        "rate_5": readers_phase(args.base, token, stats, args.seconds, 5),
        "one_writer": writers_phase(args.base, token, stats, args.seconds, 1),
        "many_writers": writers_phase(args.base, token, stats, args.seconds, WRITERS),
    }
    print("RESULT " + json.dumps(out, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
