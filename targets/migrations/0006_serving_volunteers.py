"""The figures gain the volunteers who served in the year (confirmed records), per community.

The dashboard's 志愿服务 line read them from every service record of the scope (2.6 s for the
province on SQLite); the figures hold them per community and year, kept current like the rest.
Existing rows are filled here with the same count the figures' statement makes.
"""

from django.db import migrations, models

# As targets.figures.SERVING_VOLUNTEERS when this migration was written.
SERVING_VOLUNTEERS = (
    "(SELECT COUNT(DISTINCT r.volunteer_id) FROM volunteers_servicerecord r "
    "JOIN volunteers_volunteer v ON v.id = r.volunteer_id WHERE v.community_code = {community} "
    "AND r.status = 'confirmed' AND r.served_on >= {first} AND r.served_on <= {last})"
)


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        first, last = "make_date(f.year, 1, 1)", "make_date(f.year, 12, 31)"
    else:
        first, last = "printf('%04d-01-01', f.year)", "printf('%04d-12-31', f.year)"
    count = SERVING_VOLUNTEERS.format(community="f.community_code", first=first, last=last)
    schema_editor.execute(f"UPDATE targets_communityfigures AS f SET serving_volunteers = {count}")


class Migration(migrations.Migration):
    dependencies = [("targets", "0005_drop_data_stamp"), ("volunteers", "0007_transfer_request")]

    operations = [
        migrations.AddField(
            model_name="communityfigures",
            name="serving_volunteers",
            field=models.PositiveIntegerField(
                default=0,
                help_text="该年度至少有一条已确认服务记录的本社区志愿者人数。",
                verbose_name="有已确认服务记录的志愿者",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
