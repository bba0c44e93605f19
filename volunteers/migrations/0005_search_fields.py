"""Search: the ID number's last four characters as a generated, indexed column; a name index.

On SQLite, adding a generated column rebuilds the table, which drops its triggers: the
compliance data stamp's triggers come back after the migration (targets.stamp).
"""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0001_initial"),
        ("volunteers", "0004_records_confirmed_and_stars"),
    ]

    operations = [
        migrations.AddField(
            model_name="volunteer",
            name="id_tail",
            field=models.GeneratedField(
                db_index=True,
                db_persist=True,
                expression=django.db.models.functions.text.Right("id_number", 4),
                output_field=models.CharField(max_length=4),
                verbose_name="身份证号码后四位",
            ),
        ),
        migrations.AddIndex(
            model_name="volunteer",
            index=models.Index(fields=["name"], name="volunteer_name"),
        ),
    ]
