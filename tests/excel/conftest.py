"""Fixtures for the Excel tests: a small hierarchy, users and workbook helpers."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from tests.factories import make_hierarchy, make_user


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
