"""One policy per record kind: the same answer for every channel, from the roles of DESIGN.md."""

import pytest

from communities.models import Community, CommunityStat, SocialOrganization, StatStatus
from core.policy import ADD, CHANGE, DELETE, VIEW, policy_for
from facilities.models import Facility, FacilityFunding
from streets.models import Street
from targets.models import Plan
from tests.factories import make_hierarchy, make_stat, make_user

pytestmark = pytest.mark.django_db

HOME = "620102016001"
AWAY = "620201001001"


@pytest.fixture
def world():
    home = make_hierarchy()[0]
    away = make_hierarchy(prefecture="6202", county="620201", street="620201001")[0]
    users = {
        "admin": make_user("p_admin", role="admin", scope_code="62"),
        "prefecture": make_user("p_pref", role="official", scope_code="6201"),
        "staff": make_user("p_staff", role="staff", scope_code=HOME),
        "street_staff": make_user("p_street_staff", role="staff", scope_code="620102016"),
    }
    return home, away, users


def test_staff_write_the_records_under_their_code_and_nothing_else(world):
    home, away, users = world
    policy = policy_for(SocialOrganization)
    assert policy.can(users["staff"], ADD, home.code)
    assert not policy.can(users["staff"], ADD, away.code)
    assert policy.can(users["street_staff"], ADD, home.code)
    assert not policy.can(users["prefecture"], ADD, home.code)
    assert policy.can(users["admin"], ADD, away.code)


def test_officials_read_but_do_not_write(world):
    home, _, users = world
    org = SocialOrganization(community=home, name="调解队")
    policy = policy_for(org)
    assert policy.can(users["prefecture"], VIEW, org)
    assert not policy.can(users["prefecture"], CHANGE, org)
    assert not policy.can(users["prefecture"], DELETE, org)


def test_a_row_outside_the_scope_is_neither_visible_nor_writable(world):
    home, away, users = world
    facility = Facility(kind="station", community=away, name="站", floor_area=300)
    policy = policy_for(Facility)
    assert not policy.can(users["staff"], VIEW, facility)
    assert not policy.can(users["staff"], CHANGE, facility)
    assert not policy.can(users["prefecture"], VIEW, facility)
    assert policy.can(users["admin"], CHANGE, facility)


def test_a_funding_line_follows_its_facility(world):
    home, away, users = world
    inside = FacilityFunding(facility=Facility(kind="station", community=home, code=HOME))
    outside = FacilityFunding(facility=Facility(kind="station", community=away, code=AWAY))
    policy = policy_for(FacilityFunding)
    assert inside.scope_code == HOME
    assert policy.can(users["staff"], CHANGE, inside)
    assert not policy.can(users["staff"], CHANGE, outside)


def test_a_centre_hangs_under_its_street(world):
    home, _, users = world
    centre = Facility(kind="centre", street_id="620102016", community=None)
    assert centre.scope_code == "620102016"
    assert not policy_for(Facility).can(users["staff"], ADD, centre.scope_code)
    assert policy_for(Facility).can(users["street_staff"], ADD, centre.scope_code)


@pytest.mark.parametrize("status", [StatStatus.SUBMITTED, StatStatus.APPROVED])
def test_submitted_and_approved_statistics_are_locked_for_staff_not_for_admins(world, status):
    home, _, users = world
    stat = make_stat(home, status=status)
    policy = policy_for(CommunityStat)
    assert not policy.can(users["staff"], CHANGE, stat)
    assert not policy.can(users["staff"], DELETE, stat)
    assert "不能再修改" in policy.message(CHANGE, stat)
    assert policy.can(users["admin"], CHANGE, stat)


def test_the_statistics_transitions_each_user_may_take_now(world):
    home, away, users = world
    stat = make_stat(home, status=StatStatus.DRAFT)
    policy = policy_for(CommunityStat)
    assert policy.transitions(users["staff"], stat) == ["submit"]
    assert policy.transitions(users["prefecture"], stat) == []
    stat.status = StatStatus.SUBMITTED
    assert policy.transitions(users["staff"], stat) == []
    assert policy.transitions(users["prefecture"], stat) == ["approve", "return"]
    stat.status = StatStatus.APPROVED
    assert policy.transitions(users["prefecture"], stat) == ["return"]
    far = make_stat(away, status=StatStatus.SUBMITTED)
    assert policy.transitions(users["prefecture"], far) == []


def test_the_hierarchy_and_plans_are_written_by_administrators_only(world):
    home, _, users = world
    street = Street.objects.get(code="620102016")
    for model, row in ((Street, street), (Plan, None)):
        policy = policy_for(model)
        assert policy.can(users["street_staff"], VIEW, row)
        assert not policy.can(users["street_staff"], CHANGE, row)
        assert policy.can(users["admin"], CHANGE, row)


def test_staff_may_change_only_their_communitys_3d_date(world):
    home, away, users = world
    policy = policy_for(Community)
    assert policy.can(users["staff"], CHANGE, home)
    assert not policy.can(users["staff"], CHANGE, away)
    assert not policy.can(users["staff"], ADD)
    assert not policy.can(users["staff"], DELETE, home)
    assert policy.editable_fields(users["staff"], home) == {
        "digital_3d_completed_on",
        "resident_groups",
    }
    assert policy.editable_fields(users["admin"], home) is None


def test_an_inactive_or_anonymous_user_may_do_nothing(world):
    home, _, users = world
    users["staff"].is_active = False
    policy = policy_for(SocialOrganization)
    assert not policy.can(users["staff"], ADD, home.code)
    assert not policy.can(None, VIEW)
    assert policy.visible_to(users["staff"]).count() == 0
