"""Budget lines: entered by the region's own officials, approved from above like statistics,
with history and audit rows from ``core.workflow.transition_run``."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditLog
from funding.models import BudgetLine
from funding.services import (
    budget_line_approve,
    budget_line_return,
    budget_line_save,
    budget_line_submit,
)
from tests.factories import make_user

from .helpers import world

pytestmark = pytest.mark.django_db


def new_line(region="620102", **extra):
    values = dict(
        region_code=region,
        year=2013,
        cost_type="running",
        source="fiscal",
        budgeted_wan_yuan=Decimal("100"),
        allocated_wan_yuan=Decimal("80"),
        spent_wan_yuan=Decimal("60"),
    )
    values.update(extra)
    return BudgetLine(**values)


def test_region_officials_enter_and_officials_above_approve():
    world()
    county = make_user("cg", role="official", scope_code="620102")
    lanzhou = make_user("lz", role="official", scope_code="6201")
    staff = make_user("s", role="staff", scope_code="620102001")
    with pytest.raises(PermissionDenied):
        budget_line_save(line=new_line(), user=lanzhou)  # not its own region's line
    with pytest.raises(PermissionDenied):
        budget_line_save(line=new_line(), user=staff)
    with pytest.raises(PermissionDenied):
        budget_line_save(line=new_line("620102001"), user=county)  # its street's, not its own
    line = budget_line_save(line=new_line(), user=county)
    line = budget_line_submit(line=line, user=county)
    with pytest.raises(PermissionDenied):
        budget_line_approve(line=line, user=county)  # nobody approves their own budget
    line = budget_line_approve(line=line, user=lanzhou)
    assert line.status == "approved" and line.reviewed_by == lanzhou
    line.budgeted_wan_yuan = Decimal("1")
    with pytest.raises(PermissionDenied):
        budget_line_save(line=line, user=county)  # locked once approved
    with pytest.raises(ValidationError):
        budget_line_return(line=line, user=lanzhou, reason=" ")
    line = budget_line_return(line=line, user=lanzhou, reason="预算与批复不符")
    assert line.status == "returned"
    assert [h.history_user for h in line.history.order_by("history_id")] == [
        county,
        county,
        lanzhou,
        lanzhou,
    ]
    actions = list(AuditLog.objects.filter(scope_code="620102").values_list("action", flat=True))
    assert actions.count("approval") == 2 and "record_add" in actions


def test_amounts_must_nest_and_region_must_exist():
    world()
    admin = make_user("a", role="admin")
    with pytest.raises(ValidationError) as error:
        budget_line_save(
            line=new_line(allocated_wan_yuan=Decimal("120"), spent_wan_yuan=Decimal("130")),
            user=admin,
        )
    assert set(error.value.message_dict) == {"allocated_wan_yuan", "spent_wan_yuan"}
    with pytest.raises(ValidationError) as error:
        budget_line_save(line=new_line("620102001001"), user=admin)  # a community keeps none
    assert "region_code" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        budget_line_save(line=new_line("629999"), user=admin)
    assert "region_code" in error.value.message_dict
