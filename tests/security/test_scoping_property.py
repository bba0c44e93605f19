"""Random users on a random small hierarchy see exactly their subtree, and nothing else."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import ROLE_SCOPE_LENGTHS, Role

from .worlds import SCOPED_MODELS, build_world, make_user, scope_of_row

pytestmark = pytest.mark.django_db

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

two_digits = st.integers(min_value=1, max_value=99).map(lambda n: f"{n:02d}")
three_digits = st.integers(min_value=1, max_value=999).map(lambda n: f"{n:03d}")
streets = st.dictionaries(three_digits, st.integers(min_value=0, max_value=2), min_size=1, max_size=2)
counties = st.dictionaries(two_digits, streets, min_size=1, max_size=2)
trees = st.dictionaries(two_digits, counties, min_size=1, max_size=2)


@st.composite
def world_and_user(draw):
    tree = draw(trees)
    role = draw(st.sampled_from([Role.ADMIN, Role.OFFICIAL, Role.STAFF]))
    return tree, role, draw(st.integers(min_value=0, max_value=10**6))


def _pick_scope(world, role, choice: int) -> str | None:
    lengths = ROLE_SCOPE_LENGTHS[role]
    candidates = [code for code in world.codes() if len(code) in lengths]
    return candidates[choice % len(candidates)] if candidates else None


def _assert_sees_exactly(user, scope: str | None) -> None:
    for model in SCOPED_MODELS:
        everything = list(model.objects.all())
        expected = {row.pk for row in everything if scope is not None and scope_of_row(model, row).startswith(scope)}
        seen = set(model.objects.visible_to(user).values_list("pk", flat=True))
        assert seen == expected, f"{model.__name__}: {user.role} {scope} sees {sorted(seen)} not {sorted(expected)}"


@SETTINGS
@given(case=world_and_user())
def test_visible_to_keeps_exactly_the_users_subtree(case):
    tree, role, choice = case
    with transaction.atomic():
        world = build_world(tree)
        scope = _pick_scope(world, role, choice)
        if scope is not None:
            user = make_user("someone", role, scope)
            _assert_sees_exactly(user, scope)
        transaction.set_rollback(True)


@SETTINGS
@given(tree=trees)
def test_anonymous_and_inactive_users_see_nothing(tree):
    with transaction.atomic():
        world = build_world(tree)
        inactive = make_user("gone", Role.STAFF, world.communities[0] if world.communities else world.streets[0])
        inactive.is_active = False
        inactive.save()
        for model in SCOPED_MODELS:
            assert not model.objects.visible_to(AnonymousUser()).exists()
            assert not model.objects.visible_to(inactive).exists()
        transaction.set_rollback(True)


def test_a_superuser_sees_the_whole_province():
    world = build_world({"01": {"02": {"016": 2}}, "02": {"01": {"001": 1}}})
    boss = make_user("boss", Role.ADMIN, "62", is_superuser=True, is_staff=True)
    _assert_sees_exactly(boss, "62")
    assert len(world.communities) == 3


def test_codes_that_share_digits_are_not_confused():
    # 6201 must not see 6210…, and street 620102016 must not see 620102061….
    build_world({"01": {"02": {"016": 1, "061": 1}}, "10": {"02": {"016": 1}}})
    _assert_sees_exactly(make_user("pref", Role.OFFICIAL, "6201"), "6201")
    _assert_sees_exactly(make_user("street", Role.OFFICIAL, "620102016"), "620102016")
    _assert_sees_exactly(make_user("staff", Role.STAFF, "620102016001"), "620102016001")
