"""Run the demo load in one transaction."""

from django.db import connection, transaction

from certificates.models import Certificate
from communities.models import CommunityStat, SocialOrganization
from facilities.models import Facility, FacilityFunding
from funding.demo import demo_funding
from funding.models import BudgetLine, YearlyTarget
from volunteers.models import ServiceRecord, Volunteer, VolunteerOrganization
from workforce.models import Training, Worker

from .build import DEMO_STREET, DemoBuilder, DemoOptions
from .writer import indexes_deferred, reset_sequences

DEMO_MODELS = (
    CommunityStat,
    Facility,
    FacilityFunding,
    VolunteerOrganization,
    Volunteer,
    ServiceRecord,
    Certificate,
    SocialOrganization,
    Worker,
    Training,
    BudgetLine,
    YearlyTarget,
)


def demo_data_exists() -> bool:
    """Say whether any record that the demo would write is already there."""
    return any(model.objects.exists() for model in DEMO_MODELS)


def demo_seed(*, options: DemoOptions, progress=None) -> dict[str, int]:
    """Write the demo data set and return the rows written per table (Chinese labels)."""
    builder = DemoBuilder(options, progress=progress)
    places = builder.places()
    cache_size = None
    with transaction.atomic():
        if connection.vendor == "sqlite":
            # A large page cache keeps the random inserts into the ID-number index in memory.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size")
                cache_size = cursor.fetchone()[0]
                cursor.execute("PRAGMA cache_size = -262144")
        try:
            with indexes_deferred(Volunteer):
                counts = builder.run(places)
            counts.update(
                demo_funding(
                    street_codes={p.street_code for p in places},
                    seed=options.seed,
                    first_year=options.first_year,
                    last_year=options.last_year,
                    demo_street=DEMO_STREET,
                )
            )
            reset_sequences(DEMO_MODELS)
        finally:
            if cache_size is not None:
                with connection.cursor() as cursor:
                    cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")
    return counts
