"""The scoring rules at their boundaries: the linear band's ends, caps, a veto, the quota."""

from decimal import Decimal as D

from assessment.scoring import (
    Standing,
    bonus_score,
    deduction_score,
    grade_for,
    manual_score,
    quota_places,
    ranked,
    rate_score,
)

BANDS = [("excellent", D("90")), ("good", D("80")), ("pass", D("60")), ("fail", D("0"))]


def test_rate_without_band_is_points_times_rate():
    assert rate_score(points=D("10"), rate=D("0.8125")) == D("8.13")


def test_rate_of_exactly_the_full_line_scores_full_points():
    assert rate_score(points=D("10"), rate=D("0.8"), full_at=D("0.8"), zero_below=D("0.5")) == D(
        "10.00"
    )


def test_rate_just_below_the_full_line_is_in_the_linear_band():
    score = rate_score(points=D("10"), rate=D("0.79"), full_at=D("0.8"), zero_below=D("0.5"))
    assert score == D("9.67")


def test_rate_of_exactly_the_zero_line_scores_nothing():
    assert rate_score(points=D("10"), rate=D("0.5"), full_at=D("0.8"), zero_below=D("0.5")) == 0


def test_rate_below_the_zero_line_scores_nothing():
    assert rate_score(points=D("10"), rate=D("0.4999"), full_at=D("0.8"), zero_below=D("0.5")) == 0


def test_rate_in_the_band_is_linear():
    assert rate_score(points=D("10"), rate=D("0.65"), full_at=D("0.8"), zero_below=D("0.5")) == D(
        "5.00"
    )


def test_no_rate_scores_nothing():
    assert rate_score(points=D("10"), rate=None) == 0
    assert rate_score(points=D("10"), rate=None, full_at=D("0.8"), zero_below=D("0.5")) == 0


def test_manual_score_takes_off_the_deductions_but_not_below_zero():
    assert manual_score(points=D("10"), deductions=[D("2"), D("1.5")]) == D("6.50")
    assert manual_score(points=D("10"), deductions=[D("7"), D("5")]) == 0
    assert manual_score(points=D("10"), deductions=[]) == D("10.00")


def test_bonus_stops_at_its_cap():
    assert bonus_score(cap=D("5"), amounts=[D("2"), D("2")]) == D("4.00")
    assert bonus_score(cap=D("5"), amounts=[D("3"), D("2")]) == D("5.00")
    assert bonus_score(cap=D("5"), amounts=[D("3"), D("3")]) == D("5.00")


def test_deduction_stops_at_its_cap():
    assert deduction_score(cap=D("5"), amounts=[D("2")]) == D("-2.00")
    assert deduction_score(cap=D("5"), amounts=[D("4"), D("4")]) == D("-5.00")


def test_a_total_of_exactly_the_band_line_reaches_the_band():
    assert grade_for(D("90"), BANDS, vetoed=False) == "excellent"
    assert grade_for(D("89.99"), BANDS, vetoed=False) == "good"
    assert grade_for(D("60"), BANDS, vetoed=False) == "pass"
    assert grade_for(D("59.99"), BANDS, vetoed=False) == "fail"


def test_a_veto_fails_whatever_the_score():
    assert grade_for(D("99"), BANDS, vetoed=True) == "fail"


def test_the_quota_is_the_share_rounded_down():
    assert quota_places(D("0.2"), 88) == 17
    assert quota_places(D("0.2"), 10) == 2
    assert quota_places(D("0.15"), 10) == 1


def standing(name, total, automatic="50", deducted="0", vetoed=False):
    total = D(total)
    return Standing(
        key=name,
        total=total,
        automatic=D(automatic),
        deducted=D(deducted),
        vetoed=vetoed,
        band=grade_for(total, BANDS, vetoed=vetoed),
    )


def by_key(rows):
    return {s.key: (s.rank, s.grade) for s in rows}


def test_ranks_follow_the_total_and_only_the_quota_is_excellent():
    rows = ranked([standing("a", "95"), standing("b", "93"), standing("c", "91")], quota=2)
    assert by_key(rows) == {"a": (1, "excellent"), "b": (2, "excellent"), "c": (3, "good")}


def test_a_tie_at_the_quota_line_is_broken_by_the_automatic_subtotal():
    rows = ranked(
        [standing("a", "95"), standing("b", "92", "60"), standing("c", "92", "55")], quota=2
    )
    assert by_key(rows) == {"a": (1, "excellent"), "b": (2, "excellent"), "c": (3, "good")}


def test_then_by_the_fewer_points_deducted():
    rows = ranked(
        [standing("a", "95"), standing("b", "92", deducted="1"), standing("c", "92")], quota=2
    )
    assert by_key(rows)["c"] == (2, "excellent")
    assert by_key(rows)["b"] == (3, "good")


def test_units_still_tied_at_the_quota_line_share_the_rank_and_none_is_excellent():
    rows = ranked([standing("a", "95"), standing("b", "92"), standing("c", "92")], quota=2)
    assert by_key(rows) == {"a": (1, "excellent"), "b": (2, "good"), "c": (2, "good")}


def test_units_tied_inside_the_quota_are_all_excellent():
    rows = ranked([standing("a", "95"), standing("b", "95"), standing("c", "92")], quota=2)
    assert by_key(rows) == {"a": (1, "excellent"), "b": (1, "excellent"), "c": (3, "good")}


def test_a_vetoed_unit_ranks_after_the_others_and_takes_no_quota_place():
    rows = ranked([standing("a", "99", vetoed=True), standing("b", "93")], quota=1)
    assert by_key(rows) == {"a": (2, "fail"), "b": (1, "excellent")}


def test_a_good_unit_inside_the_quota_stays_good():
    rows = ranked([standing("a", "85"), standing("b", "70")], quota=2)
    assert by_key(rows) == {"a": (1, "good"), "b": (2, "pass")}
