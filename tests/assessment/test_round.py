"""The round: 自评 → 上级评分 → 省级复核 → 定等, with who may take each step, overrides kept with
their reasons, frozen scores after finalisation, scope, history and audit."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditLog
from assessment import services
from assessment.models import Assessment, ItemScore
from core.services import StaleVersionError
from tests.factories import make_facility

from .helpers import build_province, make_scheme, take_through, users

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    communities = build_province()
    u = users()
    scheme = make_scheme(user=u["admin"])
    services.scheme_launch(scheme=scheme, user=u["admin"])
    rounds = {a.unit_code: a for a in scheme.assessments.select_related("scheme")}
    return {"u": u, "scheme": scheme, "rounds": rounds, "communities": communities}


def score_of(assessment, code):
    return ItemScore.objects.select_related("item").get(assessment=assessment, item__code=code)


def test_launch_opens_a_round_per_county_scored_from_the_compliance_engine(world):
    rounds = world["rounds"]
    assert sorted(rounds) == ["620102", "620103", "620201"]
    # 620102: one station of two complies (50 %), between 40 % and 80 %: 40 × 0.1 / 0.4.
    assert score_of(rounds["620102"], "stations").computed == D("10.00")
    assert score_of(rounds["620103"], "stations").computed == D("40.00")
    assert score_of(rounds["620201"], "stations").computed == D("0.00")
    figures = score_of(rounds["620102"], "stations").figures
    assert figures == {
        "rate": "0.5000",
        "part": 1,
        "whole": 2,
        "part_label": "达标",
        "whole_label": "应达标",
    }
    assert all(a.status == "self_assessment" for a in rounds.values())


def test_only_an_administrator_launches(world):
    with pytest.raises(PermissionDenied):
        services.scheme_launch(scheme=world["scheme"], user=world["u"]["prefecture"])


def test_the_units_official_self_assesses_and_no_neighbour_may(world):
    u, a = world["u"], world["rounds"]["620102"]
    with pytest.raises(PermissionDenied):
        services.assessment_submit(assessment=a, user=u["neighbour"])
    with pytest.raises(PermissionDenied):
        services.assessment_submit(assessment=a, user=u["prefecture"])
    with pytest.raises(ValidationError) as error:
        services.assessment_submit(assessment=a, user=u["county"], expected_version=a.version)
    assert "以下考核项尚未自评：工作台账" in str(error.value)
    saved = services.assessment_submit(
        assessment=a,
        user=u["county"],
        expected_version=a.version,
        entries=[
            {
                "item": "records",
                "deductions": [{"reason": "缺少季度台账", "points": "5"}],
                "evidence": "见附件",
            }
        ],
    )
    assert saved.status == "scoring"
    records = score_of(saved, "records")
    assert records.self_score == D("55.00")
    assert records.score is None  # the level above has not scored yet
    assert records.evidence == "见附件"


def test_self_assessment_touches_manual_items_only(world):
    u, a = world["u"], world["rounds"]["620102"]
    with pytest.raises(ValidationError) as error:
        services.assessment_enter(
            assessment=a, user=u["county"], entries=[{"item": "stations", "score": "40"}]
        )
    assert "自评只填写人工评分的考核项" in str(error.value)


def test_the_level_above_scores_and_the_unit_may_not_score_itself(world):
    u = world["u"]
    a = services.assessment_submit(
        assessment=world["rounds"]["620102"],
        user=u["county"],
        entries=[{"item": "records", "score": "60"}],
    )
    with pytest.raises(PermissionDenied):
        services.assessment_score(assessment=a, user=u["county"])
    with pytest.raises(PermissionDenied):
        services.assessment_score(assessment=a, user=u["other_prefecture"])
    with pytest.raises(ValidationError) as error:
        services.assessment_score(assessment=a, user=u["prefecture"])
    assert "以下考核项尚未评分：工作台账" in str(error.value)
    saved = services.assessment_score(
        assessment=a,
        user=u["prefecture"],
        expected_version=a.version,
        entries=[
            {"item": "records", "score": "52"},
            {
                "item": "innovation",
                "deductions": [
                    {"reason": "全省试点", "points": "3"},
                    {"reason": "经验推广", "points": "4"},
                ],
            },
            {"item": "incidents", "deductions": [{"reason": "消防检查不合格", "points": "2"}]},
        ],
    )
    assert saved.status == "review"
    assert score_of(saved, "innovation").score == D("5.00")  # capped at 5
    assert score_of(saved, "incidents").score == D("-2.00")
    # 10 (stations) + 52 + 5 − 2
    assert saved.total == D("65.00")
    assert saved.scored_by == u["prefecture"]


def test_an_override_needs_a_reason_and_is_kept_beside_the_computed_score(world):
    u = world["u"]
    a = services.assessment_submit(
        assessment=world["rounds"]["620102"],
        user=u["county"],
        entries=[{"item": "records", "score": "60"}],
    )
    with pytest.raises(ValidationError) as error:
        services.assessment_score(
            assessment=a,
            user=u["prefecture"],
            entries=[{"item": "records", "score": "60"}, {"item": "stations", "score": "30"}],
        )
    assert "调整自动计分必须说明理由" in str(error.value)
    saved = services.assessment_score(
        assessment=a,
        user=u["prefecture"],
        entries=[
            {"item": "records", "score": "60"},
            {"item": "stations", "score": "30", "reason": "新建站点已投入使用，统计尚未录入"},
        ],
    )
    stations = score_of(saved, "stations")
    assert (stations.computed, stations.score) == (D("10.00"), D("30.00"))
    assert stations.reason == "新建站点已投入使用，统计尚未录入"
    assert saved.total == D("90.00")


def test_a_stale_version_is_refused(world):
    u, a = world["u"], world["rounds"]["620102"]
    services.assessment_enter(
        assessment=a, user=u["county"], entries=[{"item": "records", "score": "50"}]
    )
    with pytest.raises(StaleVersionError):
        services.assessment_submit(assessment=a, user=u["county"], expected_version=a.version)


def test_finalising_needs_the_review_and_the_province(world):
    u = world["u"]
    a = take_through(world["rounds"]["620102"], u, finalise=False)
    assert a.reviewed_by == u["admin"]
    with pytest.raises(PermissionDenied):
        services.assessment_finalise(assessment=a, user=u["prefecture"])
    saved = services.assessment_finalise(assessment=a, user=u["admin"], expected_version=a.version)
    assert saved.status == "final" and saved.rank == 1


def test_a_finalised_round_keeps_its_automatic_scores_when_the_data_changes(world):
    u = world["u"]
    final = take_through(world["rounds"]["620102"], u)
    assert score_of(final, "stations").frozen
    # The second community's station grows past 300 ㎡: 620102 now complies fully.
    make_facility(community=world["communities"][1], area="420", name="新建站")
    open_round = world["rounds"]["620103"]
    services.assessments_refresh(list(Assessment.objects.select_related("scheme")))
    assert score_of(final, "stations").computed == D("10.00")
    assert score_of(final, "stations").figures["rate"] == "0.5000"
    assert Assessment.objects.get(pk=final.pk).total == final.total
    assert score_of(open_round, "stations").computed == D("40.00")


def test_an_open_round_follows_the_data(world):
    a = world["rounds"]["620102"]
    make_facility(community=world["communities"][1], area="420", name="新建站")
    services.assessments_refresh([Assessment.objects.select_related("scheme").get(pk=a.pk)])
    assert score_of(a, "stations").computed == D("40.00")


def test_a_veto_fails_the_unit_whatever_its_score(world):
    u = world["u"]
    final = take_through(
        world["rounds"]["620103"],
        u,
        records="60",
        entries=[{"item": "veto", "vetoed": True, "reason": "发生重大安全责任事故"}],
    )
    assert final.total == D("100.00")
    assert (final.is_vetoed, final.grade) == (True, "fail")


def test_a_veto_needs_its_reason(world):
    u = world["u"]
    a = services.assessment_submit(
        assessment=world["rounds"]["620103"],
        user=u["neighbour"],
        entries=[{"item": "records", "score": "60"}],
    )
    with pytest.raises(ValidationError) as error:
        services.assessment_score(
            assessment=a,
            user=u["prefecture"],
            entries=[{"item": "records", "score": "60"}, {"item": "veto", "vetoed": True}],
        )
    assert "认定一票否决必须写明事由" in str(error.value)


def test_ranks_and_the_quota_over_the_finalised_units(world):
    u = world["u"]
    # Quota 0.4 of 3 units: one 优秀 place.
    first = take_through(world["rounds"]["620103"], u, records="55")  # 40 + 55 = 95
    second = take_through(world["rounds"]["620102"], u, records="60")  # 10 + 60 = 70
    third = take_through(
        world["rounds"]["620201"],
        u,
        records="60",
        entries=[{"item": "innovation", "score": "5"}],
    )  # 0 + 60 + 5 = 65
    rows = {a.unit_code: (a.rank, a.grade) for a in Assessment.objects.all()}
    assert rows == {"620103": (1, "excellent"), "620102": (2, "pass"), "620201": (3, "pass")}
    assert (first.total, second.total, third.total) == (D("95.00"), D("70.00"), D("65.00"))


def test_a_county_official_sees_no_other_countys_sheet_before_finalisation(world):
    u = world["u"]
    neighbours = Assessment.objects.visible_to(u["neighbour"])
    assert list(neighbours.values_list("unit_code", flat=True)) == ["620103"]
    assert set(
        Assessment.objects.visible_to(u["prefecture"]).values_list("unit_code", flat=True)
    ) == {"620102", "620103"}
    assert (
        ItemScore.objects.visible_to(u["neighbour"]).filter(assessment__unit_code="620102").count()
        == 0
    )
    take_through(world["rounds"]["620102"], u)
    assert set(
        Assessment.objects.visible_to(u["neighbour"]).values_list("unit_code", flat=True)
    ) == {"620102", "620103"}


def test_every_step_is_in_the_history_and_the_audit_log(world):
    u = world["u"]
    a = take_through(world["rounds"]["620102"], u)
    history = list(Assessment.history.filter(id=a.pk).order_by("history_id"))
    assert [h.status for h in history][-5:] == ["scoring", "review", "review", "final", "final"]
    assert {h.history_user for h in history if h.history_user} >= {
        u["county"],
        u["prefecture"],
        u["admin"],
    }
    score_history = ItemScore.history.filter(assessment_id=a.pk, item__code="records")
    assert score_history.count() >= 3  # created, self-assessed, scored
    steps = set(
        AuditLog.objects.filter(detail__model="assessment.assessment")
        .exclude(detail__transition=None)
        .values_list("detail__transition", flat=True)
    )
    assert steps >= {"submit", "score", "review", "finalise"}


def test_a_unit_with_nothing_to_measure_takes_the_full_points(world):
    # 620201's only community has no station, but its street is a town: with a centre item
    # (街道 only) nothing applies there, so the item is not failed.
    from assessment.models import SchemeItem
    from assessment.services import _automatic_score
    from assessment.sources import Figure

    item = SchemeItem(
        points=D("15"),
        method="indicator_rate",
        params={"indicator": "street_centre", "full_at": "0.9", "zero_below": "0.5"},
    )
    assert _automatic_score(item, Figure(rate=None, part=0, whole=0)) == D("15.00")
    assert _automatic_score(item, Figure(rate=None)) == D("0.00")
    assert _automatic_score(item, None) == D("0.00")
