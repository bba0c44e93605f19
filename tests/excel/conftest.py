"""Fixtures for the Excel tests: a small hierarchy, users and workbook helpers."""

import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from communities.models import SocialOrganization
from tests.factories import make_facility, make_hierarchy, make_stat, make_user
from volunteers.models import Volunteer
from workforce.models import Worker


@pytest.fixture
def communities(db):
    """Two communities under 620102016 and one under another county."""
    here = make_hierarchy(communities=2)
    there = make_hierarchy(prefecture="6202", county="620201", street="620201001", communities=1)
    return here + there


@pytest.fixture
def staff(communities):
    return make_user("staff1", role="staff", scope_code="620102016")


@pytest.fixture
def community_staff(communities):
    return make_user("staff2", role="staff", scope_code="620102016001")


@pytest.fixture
def admin(communities):
    return make_user("admin9", role="admin", scope_code="62")


@pytest.fixture
def superuser(communities):
    return make_user("root", role="admin", scope_code="62", is_superuser=True, is_staff=True)


def xlsx(header, rows, *, title="Sheet") -> bytes:
    """Make a workbook in memory from a header and rows (values as Excel would hold them)."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(header)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read_sheet(data: bytes, title: str | None = None):
    """Return the rows (values) of a workbook's sheet."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb[title] if title else wb.worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)]


@pytest.fixture
def province(db):
    here = make_hierarchy(communities=3)
    town = make_hierarchy(
        prefecture="6202", county="620201", street="620201101", communities=2, kind="town"
    )
    a, b, c = here
    make_facility(kind="centre", street=a.street, area="812.5", name="服务中心")
    make_facility(kind="station", community=a, area="300")
    make_facility(kind="station", community=b, area="299.99")
    make_facility(kind="specialized", community=a, area="120", specialized_type="day_care")
    make_stat(
        a,
        households=1000,
        residents=2800,
        party_members=100,
        party_members_volunteering=80,
        residents_volunteering=840,
    )
    make_stat(
        b,
        households=500,
        residents=1500,
        party_members=50,
        party_members_volunteering=10,
        residents_volunteering=100,
    )
    make_stat(town[0])
    for i in range(5):
        SocialOrganization.objects.create(
            community=a, name=f"组织{i}", registered_on=datetime.date(2012, 1, 1)
        )
    Worker.objects.create(
        community=a,
        name="王书记",
        gender="male",
        role="secretary",
        education="bachelor",
        social_work_qualification="assistant",
        hired_on=datetime.date(2011, 1, 1),
    )
    Volunteer.objects.create(
        community=a,
        name="张三",
        gender="male",
        id_number="11010519491231002X",
        registered_on=datetime.date(2012, 1, 1),
    )
    return here + town
