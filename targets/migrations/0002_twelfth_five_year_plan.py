"""Create the 十二五 plan (甘政办发〔2012〕192号) with its thresholds and 2010 baseline."""

from django.db import migrations

THRESHOLDS = {
    "street_centre": "800",
    "community_station": "300",
    "area_per_100_households": "20",
    "party_member_participation": "0.80",
    "resident_participation": "0.30",
    "registered_volunteers": "0.10",
    "social_organizations": "5",
    "certified_social_worker": "1",
    "bachelor_degree_worker": "1",
    "college_educated_share": "0.50",
    "digital_3d_community": "1",
}

# The plan's section 一 (面临形势): Gansu at the end of 2010, as printed.
BASELINE_2010 = {
    "streets": "125",
    "communities": "1186",
    "streets_with_centre": "60%",
    "streets_without_centre": "51",
    "communities_with_station": "89.5%",
    "communities_without_station": "124",
    "communities_with_small_station": "699",
    "volunteer_organizations": "7000+",
    "registered_volunteer_count": "138400",
}


def create_plan(apps, schema_editor):
    Plan = apps.get_model("targets", "Plan")
    Plan.objects.update_or_create(
        code="12th-five-year",
        defaults={
            "name": "十二五",
            "title": "甘肃省“十二五”社区服务体系建设实施方案",
            "document_number": "甘政办发〔2012〕192号",
            "start_year": 2011,
            "target_year": 2015,
            "thresholds": THRESHOLDS,
            "baseline_year": 2010,
            "baseline": BASELINE_2010,
            "is_current": True,
        },
    )


def remove_plan(apps, schema_editor):
    apps.get_model("targets", "Plan").objects.filter(code="12th-five-year").delete()


class Migration(migrations.Migration):
    dependencies = [("targets", "0001_initial")]

    operations = [migrations.RunPython(create_plan, remove_plan)]
