"""Fast inserts of plain tuples into a model's table, in batches, inside the caller's transaction.

A million volunteers as model instances through ``bulk_create`` cost about 50 µs a row to
build and as much again to insert; plain tuples written with the driver's ``executemany``
(SQLite) or ``COPY`` (PostgreSQL) cost a fraction of that. The rows carry their own
primary keys so that children can point at their parents without a round trip; on PostgreSQL
the sequences are moved past them afterwards (``reset_sequences``).
"""

import csv
import datetime
import io
import sqlite3
from contextlib import contextmanager

from django.core.management.color import no_style
from django.db import connection


class RowWriter:
    """Collect rows for one table and write them ``batch`` at a time."""

    def __init__(self, model, fields: list[str], *, batch: int = 5000, parents=()):
        self.model = model
        # Parents are written first, so that no row ever waits for its parent: SQLite would
        # otherwise search the child table for every parent row inserted after its children.
        self.parents = tuple(parents)
        self.columns = [model._meta.get_field(name).column for name in fields]
        self.batch = batch
        self.rows: list[tuple] = []
        self.count = 0
        self.next_id = 1
        if "id" in fields:
            last = model.objects.order_by("-id").values_list("id", flat=True).first()
            self.next_id = (last or 0) + 1
        quoted = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        table = connection.ops.quote_name(model._meta.db_table)
        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            self.sql = (
                f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(self.columns))})"
            )
        elif self.vendor == "postgresql":
            self.sql = f"COPY {table} ({quoted}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
        else:
            self.sql = (
                f"INSERT INTO {table} ({quoted}) VALUES ({', '.join(['%s'] * len(self.columns))})"
            )

    def new_id(self) -> int:
        """Hand out the next primary key of this table."""
        value = self.next_id
        self.next_id += 1
        return value

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.batch:
            self.flush()

    def flush(self) -> None:
        for parent in self.parents:
            parent.flush()
        if not self.rows:
            return
        with connection.cursor() as wrapper:
            raw = wrapper.cursor
            if self.vendor == "sqlite":
                # The plain sqlite3 method: the wrapper's placeholder conversion is not needed.
                sqlite3.Cursor.executemany(raw, self.sql, self.rows)
            elif self.vendor == "postgresql":
                buffer = io.StringIO()
                out = csv.writer(buffer)
                for row in self.rows:
                    out.writerow([r"\N" if value is None else value for value in row])
                buffer.seek(0)
                raw.copy_expert(self.sql, buffer)
            else:
                wrapper.executemany(self.sql, self.rows)
        self.count += len(self.rows)
        self.rows = []


def reset_sequences(models) -> None:
    """Move the id sequences past the rows written with explicit keys (PostgreSQL)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


class DateCache:
    """ISO strings for dates given as ordinals: what both databases accept for a date column."""

    def __init__(self):
        self._iso: dict[int, str] = {}

    def __call__(self, ordinal: int | None) -> str | None:
        if ordinal is None:
            return None
        value = self._iso.get(ordinal)
        if value is None:
            value = self._iso[ordinal] = datetime.date.fromordinal(ordinal).isoformat()
        return value


@contextmanager
def indexes_deferred(model):
    """Drop the plain (non-unique) indexes of ``model``'s table for a bulk load, then rebuild them.

    Building an index once over a million sorted rows is cheaper than updating it a million
    times. Unique indexes stay, so uniqueness is still enforced row by row. Both databases
    roll the DDL back with the load if anything fails.
    """
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s"
                " AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'",
                [table],
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                " AND tablename = %s AND indexdef NOT LIKE 'CREATE UNIQUE%%'",
                [table],
            )
        else:
            yield
            return
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    if connection.vendor == "postgresql":
        # PostgreSQL builds no index on a table with foreign-key checks still pending.
        connection.check_constraints()
    with connection.cursor() as cursor:
        for _, definition in indexes:
            cursor.execute(definition)
