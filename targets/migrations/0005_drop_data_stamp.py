"""Drop the compliance data stamp and its triggers (migration 0003).

Every write to a counted table updated the stamp's one row in its own transaction, so all
writers of the province waited for each other on that row (an edit in one community waited
for a whole import in another). The engine now reads the per-community figures, current after
every write, and caches nothing: the stamp has no reader left.
"""

import importlib

from django.db import migrations

STAMP = importlib.import_module("targets.migrations.0003_compliance_data_stamp")


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    run = schema_editor.execute
    if vendor == "postgresql":
        for table in STAMP.TABLES:
            run(f"DROP TRIGGER IF EXISTS {table}_stamp ON {table}")
        run("DROP FUNCTION IF EXISTS targets_new_data_stamp()")
    elif vendor == "sqlite":
        for table in STAMP.TABLES:
            for event in ("insert", "update", "delete"):
                run(f"DROP TRIGGER IF EXISTS {table}_stamp_{event}")
    run("DROP TABLE IF EXISTS targets_datastamp")


class Migration(migrations.Migration):
    dependencies = [
        ("targets", "0004_community_figures"),
        ("funding", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
