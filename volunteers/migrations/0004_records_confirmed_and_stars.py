"""Existing service records were entered before confirmation existed: they keep counting.

Also seed the star levels' thresholds (一星 100 … 五星 1,500 hours), the common practice.
"""

from decimal import Decimal

from django.db import migrations

STARS = (
    (1, "一星", Decimal("100")),
    (2, "二星", Decimal("300")),
    (3, "三星", Decimal("600")),
    (4, "四星", Decimal("1000")),
    (5, "五星", Decimal("1500")),
)


def forwards(apps, schema_editor):
    ServiceRecord = apps.get_model("volunteers", "ServiceRecord")
    ServiceRecord.objects.filter(status="recorded").update(status="confirmed")
    StarThreshold = apps.get_model("volunteers", "StarThreshold")
    for level, name, hours in STARS:
        StarThreshold.objects.get_or_create(level=level, defaults={"name": name, "min_hours": hours})


def backwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0003_service_record_rules")]

    operations = [migrations.RunPython(forwards, backwards)]
