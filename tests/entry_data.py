"""Small data sets shared by the community-page, form, approval and history tests."""

import datetime

from communities.models import SocialOrganization
from core.figures import figures_refresh
from tests.factories import make_facility, make_hierarchy, make_stat, make_user
from volunteers.models import Volunteer, VolunteerOrganization
from workforce.models import Worker


def ensure_plan():
    """Put back the 十二五 plan that a transactional test's flush may have removed."""
    import importlib

    from django.apps import apps

    from targets.models import Plan

    if not Plan.objects.exists():
        migration = importlib.import_module("targets.migrations.0002_twelfth_five_year_plan")
        migration.create_plan(apps, None)


def valid_id(seed: int) -> str:
    """Return a valid resident ID number, a different one for each seed below 50,000."""
    from core.validators import id_check_char

    first17 = f"620102{1950 + seed // 1000}0101{seed % 1000:03d}"
    return first17 + id_check_char(first17)


class EntryWorld:
    """Two streets in 城关区 and one in another prefecture, with users of every role."""

    def __init__(self):
        ensure_plan()
        self.home, self.sibling = make_hierarchy(communities=2)
        (self.other_street_community,) = make_hierarchy(street="620102017", communities=1)
        (self.far,) = make_hierarchy(
            prefecture="6202", county="620201", street="620201001", communities=1
        )
        self.admin = make_user("admin-e", role="admin", scope_code="62")
        self.prefecture_official = make_user("pref-e", role="official", scope_code="6201")
        self.street_official = make_user("street-e", role="official", scope_code="620102016")
        self.far_official = make_user("far-e", role="official", scope_code="6202")
        self.staff = make_user("staff-e", role="staff", scope_code=self.home.code)
        self.sibling_staff = make_user("sibling-e", role="staff", scope_code=self.sibling.code)
        self.street_staff = make_user("streetstaff-e", role="staff", scope_code="620102016")


def fill_community(community, *, volunteers: int = 3, stats_years=(2014, 2015)):
    """Give a community one of each kind of record (and ``volunteers`` volunteers)."""
    stats = [make_stat(community, year) for year in stats_years]
    station = make_facility(kind="station", community=community, area="320", name="服务站")
    org = VolunteerOrganization.objects.create(
        community=community, name="红马甲志愿队", registered_on=datetime.date(2012, 3, 1)
    )
    base = int(community.code[-3:]) * 1000
    people = [
        Volunteer.objects.create(
            community=community,
            organization=org if i % 2 == 0 else None,
            name=f"志愿者{i}",
            gender="male"
            if i % 2
            else "female",  # the 17th digit of valid_id(base + i) is i's last
            id_number=valid_id(base + i),
            phone=f"1380000{base % 10000 + i:04d}",
            registered_on=datetime.date(2013, 1, 1),
        )
        for i in range(volunteers)
    ]
    social = SocialOrganization.objects.create(
        community=community,
        name="夕阳红舞蹈队",
        category="culture_sports",
        registered_on=datetime.date(2011, 5, 1),
    )
    worker = Worker.objects.create(
        community=community,
        name="张书记",
        gender="female",
        role="secretary",
        education="bachelor",
        social_work_qualification="assistant",
        hired_on=datetime.date(2010, 1, 1),
    )
    figures_refresh({community.code})  # written around the write path, like a bulk path
    return {
        "stats": stats,
        "station": station,
        "org": org,
        "volunteers": people,
        "social": social,
        "worker": worker,
    }
