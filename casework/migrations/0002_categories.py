"""The five categories of requests and their default time limits in working days."""

from django.db import migrations

DEFAULTS = [
    ("consultation", "咨询", 3, 1),
    ("help", "求助", 5, 2),
    ("suggestion", "建议", 10, 3),
    ("complaint", "投诉", 13, 4),
    ("report", "举报", 15, 5),
]


def create_categories(apps, schema_editor):
    CaseCategory = apps.get_model("casework", "CaseCategory")
    for code, name, days, order in DEFAULTS:
        CaseCategory.objects.get_or_create(
            code=code, defaults={"name": name, "time_limit_working_days": days, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]

    operations = [migrations.RunPython(create_categories, migrations.RunPython.noop)]
