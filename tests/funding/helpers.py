"""Builders for the funding tests: a two-county slice and approved budget lines."""

from decimal import Decimal

from funding.models import BudgetLine
from tests.factories import make_hierarchy


def world():
    """兰州 (6201) with two counties, three streets, one community per street."""
    a = make_hierarchy(prefecture="6201", county="620102", street="620102001")
    b = make_hierarchy(prefecture="6201", county="620102", street="620102002")
    c = make_hierarchy(prefecture="6201", county="620103", street="620103001")
    make_hierarchy(prefecture="6202", county="620201", street="620201001")
    return a[0], b[0], c[0]


def line(
    region,
    year,
    cost_type="running",
    source="fiscal",
    budgeted="0",
    allocated=None,
    spent=None,
    status="approved",
):
    budgeted = Decimal(budgeted)
    allocated = budgeted if allocated is None else Decimal(allocated)
    spent = allocated if spent is None else Decimal(spent)
    return BudgetLine.objects.create(
        region_code=region,
        year=year,
        cost_type=cost_type,
        source=source,
        budgeted_wan_yuan=budgeted,
        allocated_wan_yuan=allocated,
        spent_wan_yuan=spent,
        status=status,
    )
