"""A data stamp for the compliance cache: a random value that changes with every write.

Every INSERT, UPDATE or DELETE (and TRUNCATE on PostgreSQL) of the tables the compliance
engine counts replaces ``targets_datastamp.stamp`` in the same transaction, by a database
trigger, so forms, the API, the admin, imports, ``seed_demo`` and raw SQL all invalidate the
cached roll-ups alike. The stamp is random rather than a counter, so a rolled-back transaction
or a restored database never brings an old value back.
"""

from django.db import migrations

TABLES = [
    "streets_division",
    "streets_street",
    "communities_community",
    "communities_communitystat",
    "communities_socialorganization",
    "facilities_facility",
    "volunteers_volunteer",
    "volunteers_volunteerorganization",
    "workforce_worker",
]

TABLE = "CREATE TABLE targets_datastamp (id integer PRIMARY KEY, stamp varchar(40) NOT NULL)"

POSTGRES_FUNCTION = """
CREATE FUNCTION targets_new_data_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE targets_datastamp SET stamp = md5(random()::text || clock_timestamp()::text) WHERE id = 1;
    RETURN NULL;
END
$$
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    run = schema_editor.execute
    run(TABLE)
    if vendor == "postgresql":
        run("INSERT INTO targets_datastamp (id, stamp) VALUES (1, md5(random()::text))")
        run(POSTGRES_FUNCTION)
        for table in TABLES:
            # One statement-level trigger: a bulk load of a million rows stamps once.
            run(
                f"CREATE TRIGGER {table}_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION targets_new_data_stamp()"
            )
    elif vendor == "sqlite":
        run("INSERT INTO targets_datastamp (id, stamp) VALUES (1, hex(randomblob(16)))")
        for table in TABLES:
            # SQLite has row triggers only; writers are serialised there anyway.
            for event in ("INSERT", "UPDATE", "DELETE"):
                run(
                    f"CREATE TRIGGER {table}_stamp_{event.lower()} AFTER {event} ON {table} "
                    "BEGIN UPDATE targets_datastamp SET stamp = hex(randomblob(16)) WHERE id = 1; END"
                )
    # Other engines: the table stays without triggers and the cache is never used there.


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    run = schema_editor.execute
    if vendor == "postgresql":
        for table in TABLES:
            run(f"DROP TRIGGER IF EXISTS {table}_stamp ON {table}")
        run("DROP FUNCTION IF EXISTS targets_new_data_stamp()")
    elif vendor == "sqlite":
        for table in TABLES:
            for event in ("insert", "update", "delete"):
                run(f"DROP TRIGGER IF EXISTS {table}_stamp_{event}")
    run("DROP TABLE targets_datastamp")


class Migration(migrations.Migration):
    dependencies = [
        ("targets", "0002_twelfth_five_year_plan"),
        ("streets", "0001_initial"),
        ("communities", "0001_initial"),
        ("facilities", "0001_initial"),
        ("volunteers", "0002_volunteer_community_left"),
        ("workforce", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
