"""Loading the official hierarchy of divisions, streets and communities."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from communities.models import Community
from core.figures import figures_refresh
from core.history import history_start

from .models import Division, Street

DIVISIONS_CSV = Path(settings.BASE_DIR) / "fixtures" / "gansu_divisions.csv"


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def read_divisions(path: Path = DIVISIONS_CSV) -> list[dict[str, str]]:
    """Read the hierarchy file (columns code, name, level, parent_code), parents first."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return sorted(rows, key=lambda r: (len(r["code"]), r["code"]))


@transaction.atomic
def divisions_load(*, path: Path = DIVISIONS_CSV, progress=None) -> LoadResult:
    """Insert or update every row of the hierarchy file; running it twice changes nothing."""
    rows = read_divisions(path)
    result = LoadResult()
    existing = {
        "division": {d.code: d for d in Division.objects.all()},
        "street": {s.code: s for s in Street.objects.all()},
        "community": {c.code: c for c in Community.objects.all()},
    }
    new = {"division": [], "street": [], "community": []}
    touched = set()  # streets and communities created or changed, for their figures
    changed = {"division": [], "street": [], "community": []}

    def upsert(table, obj, fields):
        old = existing[table].get(obj.pk)
        if old is None:
            new[table].append(obj)
            existing[table][obj.pk] = obj
            result.created += 1
        elif any(getattr(old, f) != getattr(obj, f) for f in fields):
            for f in fields:
                setattr(old, f, getattr(obj, f))
            changed[table].append(old)
            result.updated += 1
        else:
            result.unchanged += 1

    def flush(table, model, fields):
        if table != "division":
            touched.update(obj.pk for obj in new[table] + changed[table])
        model.objects.bulk_create(new[table], batch_size=500)
        if changed[table]:
            model.objects.bulk_update(changed[table], fields, batch_size=500)
        new[table].clear()
        changed[table].clear()

    # Parents come first in the sorted file; flush each level before its children.
    previous_kind = None
    for row in rows:
        level = row["level"]
        kind = "street" if level.startswith("street") else level
        if previous_kind and kind != previous_kind and previous_kind in ("province", "prefecture", "county"):
            flush("division", Division, ["name", "level", "parent_id"])
        if previous_kind == "street" and kind != "street":
            flush("street", Street, ["name", "kind", "county_id"])
        previous_kind = kind
        parent = row["parent_code"] or None
        if level in ("province", "prefecture", "county"):
            upsert("division", Division(code=row["code"], name=row["name"], level=level, parent_id=parent), ["name", "level", "parent_id"])
        elif kind == "street":
            upsert("street", Street(code=row["code"], name=row["name"], kind=level.split(":", 1)[1], county_id=parent), ["name", "kind", "county_id"])
        elif level == "community":
            upsert("community", Community(code=row["code"], name=row["name"], street_id=parent), ["name", "street_id"])
        else:
            raise ValueError(f"未知的区划级别：{level}（代码 {row['code']}）")
        if progress:
            progress(1)
    flush("division", Division, ["name", "level", "parent_id"])
    flush("street", Street, ["name", "kind", "county_id"])
    flush("community", Community, ["name", "street_id"])
    for model in (Division, Street, Community):
        history_start(model, reason="初始数据（行政区划）")
    figures_refresh(touched)
    return result
