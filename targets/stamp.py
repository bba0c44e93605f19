"""Keep the compliance data stamp's triggers in place after every migration.

On SQLite, a migration that adds a NOT NULL or generated column to a counted table rebuilds the
table, and its triggers go with it (targets/migrations/0003 created them once). After every
``migrate`` the missing ones are created again, so no later migration of any app can leave a
table whose writes the compliance cache would not see.
"""

import importlib

from django.db import connections

STAMP = importlib.import_module("targets.migrations.0003_compliance_data_stamp")


def stamp_triggers_ensure(sender=None, using="default", **kwargs) -> int:
    """Create the SQLite stamp triggers that are missing; return how many were created."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return 0  # PostgreSQL alters tables in place and keeps their triggers
    created = 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'targets_datastamp'"
        )
        if cursor.fetchone() is None:
            return 0
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {name for (name,) in cursor.fetchall()}
        for table in STAMP.TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                name = f"{table}_stamp_{event.lower()}"
                if name not in present:
                    cursor.execute(
                        f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN UPDATE "
                        "targets_datastamp SET stamp = hex(randomblob(16)) WHERE id = 1; END"
                    )
                    created += 1
    return created
