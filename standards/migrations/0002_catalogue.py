"""Load the provincial catalogue of service standards (three items per service line)."""

from django.db import migrations


def load(apps, schema_editor):
    from standards.catalogue import CATALOGUE

    ServiceStandard = apps.get_model("standards", "ServiceStandard")
    ServiceStandard.objects.bulk_create(
        [
            ServiceStandard(
                code=code,
                service_line=line,
                name=name,
                content=content,
                standard=standard,
                check_method=method,
            )
            for code, line, name, content, standard, method in CATALOGUE
        ],
        ignore_conflicts=True,
    )


def unload(apps, schema_editor):
    from standards.catalogue import CATALOGUE

    ServiceStandard = apps.get_model("standards", "ServiceStandard")
    ServiceStandard.objects.filter(code__in=[row[0] for row in CATALOGUE], checks__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
