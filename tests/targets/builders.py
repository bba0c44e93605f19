"""Small builders for the engine's tests: records at chosen dates, in bulk where it helps.

They write rows straight through the ORM, as a bulk path does, and like a bulk path they
recompute the figures of the communities written (``core.figures``) before returning.
"""

import datetime
import itertools
from decimal import Decimal

from communities.models import Community, SocialOrganization
from core.figures import figures_touched
from core.validators import id_check_char
from facilities.models import Facility
from volunteers.models import Volunteer, VolunteerOrganization
from workforce.models import Worker

_serial = itertools.count(1)


def day(year: int, month: int = 12, dom: int = 31) -> datetime.date:
    return datetime.date(year, month, dom)


def id_number(county: str = "620102") -> str:
    """Return a fresh valid GB 11643 ID number."""
    n = next(_serial)
    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=n % 20000)
    first17 = f"{county}{birth:%Y%m%d}{n // 20000 % 1000:03d}"
    return first17 + id_check_char(first17)


def volunteers(community: Community, count: int, *, registered_on=None, left_on=None, **extra):
    """Create ``count`` registered volunteers of ``community`` in one insert."""
    registered_on = registered_on or day(2012, 6, 1)
    rows = [
        Volunteer(
            community=community,
            name=f"志愿者{i}",
            gender="female" if i % 2 else "male",
            id_number=id_number(community.code[:6]),
            registered_on=registered_on,
            left_on=left_on,
            **extra,
        )
        for i in range(count)
    ]
    created = Volunteer.objects.bulk_create(rows)
    figures_touched(*created)
    return created


def social_orgs(community: Community, count: int, *, registered_on=None, dissolved_on=None):
    registered_on = registered_on or day(2012, 6, 1)
    rows = [
        SocialOrganization(
            community=community,
            name=f"社会组织{next(_serial)}",
            registered_on=registered_on,
            dissolved_on=dissolved_on,
        )
        for _ in range(count)
    ]
    created = SocialOrganization.objects.bulk_create(rows)
    figures_touched(*created)
    return created


def volunteer_orgs(community: Community, count: int, *, registered_on=None, dissolved_on=None):
    registered_on = registered_on or day(2012, 6, 1)
    rows = [
        VolunteerOrganization(
            community=community,
            name=f"志愿者组织{next(_serial)}",
            registered_on=registered_on,
            dissolved_on=dissolved_on,
        )
        for _ in range(count)
    ]
    created = VolunteerOrganization.objects.bulk_create(rows)
    figures_touched(*created)
    return created


def worker(
    community: Community,
    *,
    role: str = "full_time",
    education: str = "high_school",
    qualification: str = "none",
    hired_on=None,
    left_on=None,
) -> Worker:
    return _kept(
        Worker.objects.create(
            community=community,
            name=f"工作者{next(_serial)}",
            gender="female",
            role=role,
            education=education,
            social_work_qualification=qualification,
            hired_on=hired_on or day(2011, 3, 1),
            left_on=left_on,
        )
    )


def facility(
    *,
    kind: str = "station",
    community=None,
    street=None,
    area="300",
    opened_on=None,
    closed_on=None,
    planned: bool = False,
) -> Facility:
    """Create a facility; ``planned`` leaves ``opened_on`` empty (规划或在建)."""
    return _kept(
        Facility.objects.create(
            name=f"{kind}{next(_serial)}",
            kind=kind,
            community=community,
            street=street,
            floor_area=Decimal(area),
            opened_on=None if planned else (opened_on or day(2011, 5, 1)),
            closed_on=closed_on,
        )
    )


def _kept(row):
    figures_touched(row)
    return row
