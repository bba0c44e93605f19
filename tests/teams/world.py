"""A small world for the standards and teams tests: one street of three communities."""

import datetime
from decimal import Decimal
from importlib import import_module

from django.apps import apps

from standards.models import ServiceStandard
from tests.factories import make_hierarchy
from workforce.models import Training, Worker

STREET = "620102016"
D = datetime.date


def ensure_catalogue():
    """The catalogue comes from a data migration; a transactional test may have flushed it."""
    if not ServiceStandard.objects.exists():
        import_module("standards.migrations.0002_catalogue").load(apps, None)


HIRED = D(2010, 1, 1)


def worker(community, name, role, *, hired=HIRED, left=None):
    return Worker.objects.create(
        community=community,
        name=name,
        gender="female",
        role=role,
        education="bachelor",
        hired_on=hired,
        left_on=left,
    )


def train(person, year, hours="16"):
    return Training.objects.create(
        worker=person, title="社区工作实务", started_on=D(year, 5, 1), hours=Decimal(hours)
    )


def full_team(community, *, director=True, prefix=""):
    """书记, 主任 (unless ``director`` is False), 副主任 and 3 委员: a committee of five."""
    people = [worker(community, f"{prefix}书记", "secretary")]
    if director:
        people.append(worker(community, f"{prefix}主任", "director"))
    people.append(worker(community, f"{prefix}副主任", "deputy_director"))
    for i in range(3 if director else 4):
        people.append(worker(community, f"{prefix}委员{i}", "member"))
    return people


def committees(community, kinds=("mediation", "security", "public_health"), **extra):
    from teams.models import Committee

    return [
        Committee.objects.create(community=community, kind=k, established_on=D(2012, 1, 1), **extra)
        for k in kinds
    ]


def three_communities():
    return make_hierarchy(communities=3)
