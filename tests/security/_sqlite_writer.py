"""Helper process for test_sqlite_concurrency: read-modify-write a counter many times.

Run with DATABASE_URL pointing at an SQLite file; it uses the project's real settings, so the
database options (WAL, IMMEDIATE transactions, busy timeout) are the ones deployments get.
"""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gansu_community.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402


def main(rounds: int) -> None:
    for _ in range(rounds):
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT n FROM counter WHERE id = 1")
                (n,) = cursor.fetchone()
                cursor.execute("UPDATE counter SET n = %s WHERE id = 1", [n + 1])
    print("done")


if __name__ == "__main__":
    main(int(sys.argv[1]))
