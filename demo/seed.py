"""Run the demo load in one transaction."""

from django.db import connection, transaction

from assessment.demo import build_assessment_demo
from casework.demo import build_casework_demo
from casework.models import Case
from certificates.models import Certificate
from communities.models import CommunityStat, SocialOrganization
from core.figures import figures_refresh
from core.history import history_start
from facilities.models import Facility, FacilityFunding
from funding.demo import demo_funding
from funding.models import BudgetLine, YearlyTarget
from reporting.demo import build_cycle
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
    Case,
)


def demo_data_exists() -> bool:
    """Say whether any record that the demo would write is already there."""
    return any(model.objects.exists() for model in DEMO_MODELS)


def plan_tasks_seed(options: DemoOptions) -> dict[str, int]:
    """The plan's 三(二)(四)(五): service standard self-checks and the community teams."""
    from standards.demo import build_checks
    from teams.demo import build_teams

    year = options.target_year
    return {
        **build_checks(seed=options.seed, year=year),
        **build_teams(seed=options.seed, year=year),
    }


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
            build_cycle()  # the 2015 reporting period and its collection in progress
            reset_sequences(DEMO_MODELS)
            counts.update(plan_tasks_seed(options))
            counts.update(
                build_casework_demo(
                    codes=[p.code for p in places], seed=options.seed, scale=options.scale
                )
            )
            # 目标考核: the 十二五 county scheme scored on everything above (after it, always).
            counts.update(build_assessment_demo(seed=options.seed, year=options.target_year))
            # Each row's first history entry, so that its first edit shows only what changed.
            for model in DEMO_MODELS:
                if hasattr(model, "history"):
                    history_start(model, reason="初始数据（演示数据）")
            figures_refresh(None)  # every community's figures, once, from the rows just written
        finally:
            if cache_size is not None:
                with connection.cursor() as cursor:
                    cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")
    return counts
