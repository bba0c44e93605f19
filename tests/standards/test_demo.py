"""The demo rows of the standards and teams: written fast, and valid by the models' own rules."""

import datetime

import pytest

from standards.demo import build_checks
from standards.models import StandardCheck
from teams.demo import build_teams
from teams.models import Committee, EntrustedProject, TrainingPlan
from tests.factories import make_facility, make_hierarchy
from tests.teams.world import ensure_catalogue, full_team
from volunteers.models import VolunteerOrganization

pytestmark = pytest.mark.django_db


def test_demo_rows_are_valid():
    ensure_catalogue()
    communities = make_hierarchy(communities=3)
    for community in communities:
        make_facility(community=community)
        full_team(community, prefix=community.code)
        VolunteerOrganization.objects.create(
            community=community, name="志愿服务队", registered_on=datetime.date(2012, 1, 1)
        )
    make_facility(kind="centre", street=communities[0].street)
    counts = build_checks(seed=2015, year=2015)
    counts.update(build_teams(seed=2015, year=2015))
    assert counts["服务标准自查"] == StandardCheck.objects.count() > 0
    assert counts["下属委员会"] == Committee.objects.count() > 0
    assert TrainingPlan.objects.count() == 3
    # A later row gets the next key (the sequence moved past the written ones).
    extra = StandardCheck.objects.create(
        facility=StandardCheck.objects.first().facility,
        standard_id="employment-01",
        year=2014,
        result="meets",
    )
    assert extra.pk > max(StandardCheck.objects.exclude(pk=extra.pk).values_list("pk", flat=True))
    for model in (StandardCheck, Committee, EntrustedProject, TrainingPlan):
        for row in model.objects.all():
            row.full_clean()
