"""The writes of a 目标考核: schemes, the launch of a round for every unit, and its steps.

Who may take a step is ``assessment.policies``; which states it leaves from is
``assessment.workflow.ASSESSMENT_WORKFLOW``; each step runs through
``core.workflow.transition_run`` (policy, version, state, history, audit) and writes the
item scores it carries inside the same locked transaction. The scoring rules themselves are
the pure functions of ``assessment.scoring``; the figures come from ``assessment.sources``.
"""

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.audit import RECORD_ADD, audit
from core.policy import policy_for
from core.services import record_save
from core.workflow import transition_run

from .methods import BONUS, DEDUCTION, MANUAL, METHODS, VETO, band_of
from .models import Assessment, ItemScore, Level, Scheme, SchemeItem, Status
from .scoring import (
    ZERO,
    Standing,
    bonus_score,
    deduction_score,
    grade_for,
    manual_score,
    quota_places,
    ranked,
    rate_score,
    score_round,
)
from .sources import Figure, SourceCache
from .workflow import ASSESSMENT_WORKFLOW

ITEM_FIELDS = ("code", "name", "points", "method", "params", "standard")
APPROVAL = "approval"


# -- schemes ---------------------------------------------------------------------------------


def _item_errors(number: int, code: str, error: ValidationError) -> list[str]:
    label = f"第{number}项（{code or '无代码'}）"
    messages = []
    for field, texts in error.message_dict.items():
        name = "" if field == "__all__" else f"{SchemeItem._meta.get_field(field).verbose_name}："
        messages.extend(f"{label}{name}{text}" for text in texts)
    return messages


def scheme_save(
    *, scheme: Scheme, items: list[dict] | None, user, expected_version: int | None = None
) -> Scheme:
    """Save a scheme and (when given) replace its items, all or nothing.

    Every item is checked (its method, parameters and data source); the points of the
    counted items add up to the base score. A scheme whose rounds have begun keeps its items.
    """
    with transaction.atomic():
        if items is not None and scheme.pk and scheme.assessments.exists():
            raise ValidationError({"items": "该方案已发起考核，不能再修改考核项。"})
        built, errors, codes = [], [], set()
        for number, raw in enumerate(items or [], start=1):
            data = {key: raw.get(key) for key in ITEM_FIELDS if key in raw}
            data.setdefault("params", {})
            data.setdefault("standard", "")
            item = SchemeItem(scheme=scheme, position=number, **data)
            try:
                item.full_clean(exclude=["scheme"])
            except ValidationError as error:
                errors.extend(_item_errors(number, str(data.get("code") or ""), error))
            if item.code in codes:
                errors.append(f"第{number}项（{item.code}）：考核项代码重复。")
            codes.add(item.code)
            built.append(item)
        if items is not None and not errors:
            errors.extend(scheme.base_score_errors(built))
        if errors:
            raise ValidationError({"items": errors})
        if items is not None:
            scheme.pending_items = built  # Scheme.clean checks these, not the items replaced
        saved = record_save(instance=scheme, user=user, expected_version=expected_version)
        if items is not None:
            saved.items.all().delete()
            for item in built:
                item.scheme = saved
                item._history_user = user
                item.save()
        scheme.pending_items = None
    return saved


def unit_rows(level: str) -> list[tuple[str, str]]:
    """Return ``(code, name)`` of every unit of ``level`` in the province (one query)."""
    from streets.models import Division, Street

    if level == Level.STREET:
        return list(Street.objects.order_by("code").values_list("code", "name"))
    return list(Division.objects.filter(level=level).order_by("code").values_list("code", "name"))


def scheme_launch(
    *, scheme: Scheme, user, unit_codes: Iterable[str] | None = None, cache=None
) -> int:
    """发起考核: open a round for each unit of the scheme's level and score what the data gives."""
    if user is not None:  # None: the system itself (the demo, a command)
        policy_for(Scheme).require(user, "launch", scheme, "只有省级管理员可以发起考核。")
    items = list(scheme.items.all())
    if not items:
        raise ValidationError({"items": "该方案还没有考核项。"})
    wanted = set(unit_codes) if unit_codes is not None else None
    with transaction.atomic():
        existing = set(scheme.assessments.values_list("unit_code", flat=True))
        rows = [
            Assessment(scheme=scheme, unit_code=code, unit_name=name)
            for code, name in unit_rows(scheme.level)
            if code not in existing and (wanted is None or code in wanted)
        ]
        created = bulk_create_with_history(rows, Assessment, default_user=user)
        created = list(scheme.assessments.filter(unit_code__in=[r.unit_code for r in rows]))
        scores = [ItemScore(assessment=a, item=i) for a in created for i in items]
        bulk_create_with_history(scores, ItemScore, batch_size=500, default_user=user)
        assessments_refresh(created, cache=cache)
        audit(
            action=RECORD_ADD,
            user=user,
            detail={"model": "assessment.assessment", "scheme": scheme.pk, "created": len(rows)},
        )
    return len(rows)


# -- automatic scores and totals -----------------------------------------------------------


def _automatic_score(item: SchemeItem, figure: Figure | None) -> Decimal:
    """Score a rate item; a unit with nothing to measure (no 街道 for a centre item, no request
    resolved) has nothing to fall short of and takes the full points (docs/assessment.md)."""
    if figure is not None and figure.is_not_applicable:
        return score_round(item.points)
    full_at, zero_below = band_of(item.params or {})
    return rate_score(
        points=item.points,
        rate=figure.rate if figure else None,
        full_at=full_at,
        zero_below=zero_below,
    )


def assessments_refresh(assessments: list[Assessment], *, cache: SourceCache | None = None):
    """Recompute the automatic scores of rounds not yet finalised, and every round's totals.

    Frozen scores (a finalised round's) are never recomputed: a later change of the data
    leaves a finished assessment as it was.
    """
    if not assessments:
        return
    scheme = assessments[0].scheme
    cache = cache or SourceCache(scheme.year)
    scores = list(
        ItemScore.objects.filter(assessment__in=[a.pk for a in assessments]).select_related("item")
    )
    by_assessment: dict[int, list[ItemScore]] = {}
    for score in scores:
        by_assessment.setdefault(score.assessment_id, []).append(score)
    open_units = [a.unit_code for a in assessments if a.status != Status.FINAL]
    changed = []
    for item in scheme.items.all():
        if not item.is_automatic or not open_units:
            continue
        figures = METHODS[item.method].figures(cache, scheme.level, open_units, item.params)
        unit_of = {a.pk: a.unit_code for a in assessments}
        for score in scores:
            if score.item_id != item.pk or score.frozen:
                continue
            figure = figures.get(unit_of[score.assessment_id])
            computed = _automatic_score(item, figure)
            as_json = figure.as_json() if figure else None
            if (score.computed, score.figures) != (computed, as_json):
                score.computed, score.figures = computed, as_json
                changed.append(score)
    if changed:
        ItemScore.objects.bulk_update(changed, ["computed", "figures"], batch_size=500)
    moved = []
    for assessment in assessments:
        values = totals_of(assessment, by_assessment.get(assessment.pk, []))
        if any(getattr(assessment, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(assessment, field, value)
            moved.append(assessment)
    if moved:
        Assessment.objects.bulk_update(
            moved, ["total", "automatic_total", "deducted", "is_vetoed", "grade"], batch_size=500
        )


def totals_of(assessment: Assessment, scores: list[ItemScore]) -> dict:
    """Return the total, the automatic subtotal, the points deducted, the veto and the grade."""
    total = sum((s.effective for s in scores), ZERO)
    automatic = sum((s.effective for s in scores if s.item.is_automatic), ZERO)
    deducted = -sum((s.effective for s in scores if s.item.kind == DEDUCTION), ZERO)
    vetoed = any(s.vetoed for s in scores if s.item.kind == VETO)
    values = {
        "total": score_round(total),
        "automatic_total": score_round(automatic),
        "deducted": score_round(deducted),
        "is_vetoed": vetoed,
    }
    if assessment.status != Status.FINAL:
        values["grade"] = grade_for(total, assessment.scheme.bands(), vetoed=vetoed)
    return values


# -- entering scores ------------------------------------------------------------------------


def _number(value, label: str) -> Decimal:
    if isinstance(value, bool):
        raise ValidationError(f"{label}应为数字。")
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(f"{label}应为数字。") from None
    if not number.is_finite() or number != number.quantize(Decimal("0.01")):
        raise ValidationError(f"{label}应为最多两位小数的数字。")
    return number


def _text(value, label: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(f"{label}应为文字。")
    return value.strip()[:limit]


def _entries(raw, label: str) -> list[dict]:
    """Read a list of ``{"reason", "points"}`` (deductions, bonus events); points > 0."""
    if not isinstance(raw, list):
        raise ValidationError(f'{label}应为列表，每项形如 {{"reason": "…", "points": "1"}}。')
    rows = []
    for number, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict):
            raise ValidationError(f"{label}第{number}条格式不正确。")
        points = _number(entry.get("points"), f"{label}第{number}条的分数")
        if points <= 0:
            raise ValidationError(f"{label}第{number}条的分数应大于0。")
        reason = _text(entry.get("reason"), f"{label}第{number}条的事由", 200)
        if not reason:
            raise ValidationError(f"{label}第{number}条须写明事由。")
        rows.append({"reason": reason, "points": f"{points:.2f}"})
    return rows


def _within(value: Decimal, low: Decimal, high: Decimal, label: str) -> Decimal:
    if not low <= value <= high:
        raise ValidationError(f"{label}应在{low}到{high}分之间。")
    return value


def _apply_self(score: ItemScore, entry: dict) -> None:
    """自评: the unit scores its manual items itself, with its evidence."""
    item = score.item
    if item.kind != MANUAL:
        raise ValidationError("自评只填写人工评分的考核项；自动计分项由系统根据数据计算。")
    if "deductions" in entry:
        score.self_deductions = _entries(entry["deductions"], "自评扣分事项")
        score.self_score = manual_score(
            points=item.points, deductions=[Decimal(d["points"]) for d in score.self_deductions]
        )
    elif "score" in entry:
        if entry["score"] is None:
            score.self_score = None
        else:
            value = _number(entry["score"], "自评得分")
            score.self_score = _within(value, ZERO, item.points, "自评得分")
    if "evidence" in entry:
        score.evidence = _text(entry["evidence"], "佐证说明", 5000)


def _apply_assessor(score: ItemScore, entry: dict) -> None:
    """上级评分 and 复核: manual, bonus and deduction scores; overrides of automatic ones."""
    item = score.item
    kind = item.kind
    if "evidence" in entry:
        score.evidence = _text(entry["evidence"], "佐证说明", 5000)
    reason = _text(entry.get("reason"), "理由", 500) if "reason" in entry else None
    if item.is_automatic:
        if "score" not in entry:
            return
        if entry["score"] is None:  # back to the computed score
            score.score, score.reason = None, ""
            return
        value = _within(_number(entry["score"], "调整后得分"), ZERO, item.points, "调整后得分")
        if not reason:
            raise ValidationError("调整自动计分必须说明理由。")
        score.score, score.reason = value, reason
        return
    if kind == VETO:
        if "vetoed" in entry:
            if not isinstance(entry["vetoed"], bool):
                raise ValidationError("是否触发一票否决应为 true 或 false。")
            if entry["vetoed"] and not reason:
                raise ValidationError("认定一票否决必须写明事由。")
            score.vetoed = entry["vetoed"]
            score.reason = reason or ""
        return
    if reason is not None:
        score.reason = reason
    if "deductions" in entry:
        score.deductions = _entries(
            entry["deductions"], "加分事项" if kind == BONUS else "扣分事项"
        )
        amounts = [Decimal(d["points"]) for d in score.deductions]
        if kind == MANUAL:
            score.score = manual_score(points=item.points, deductions=amounts)
        elif kind == BONUS:
            score.score = bonus_score(cap=item.points, amounts=amounts)
        else:
            score.score = deduction_score(cap=item.points, amounts=amounts)
    elif "score" in entry:
        if entry["score"] is None:
            score.score = None
            return
        value = _number(entry["score"], "得分")
        if kind == DEDUCTION:
            score.score = _within(value, -item.points, ZERO, "扣分项得分")
        else:
            score.score = _within(value, ZERO, item.points, "得分")


def _apply_entries(assessment: Assessment, entries, user, stage: str) -> None:
    if entries in (None, []):
        return
    if not isinstance(entries, list):
        raise ValidationError({"scores": '得分应为列表，每项形如 {"item": 代码, "score": "8.5"}。'})
    scores = {s.item.code: s for s in assessment.scores.select_related("item").select_for_update()}
    problems, touched = [], {}
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            problems.append(f"第{number}条：格式不正确。")
            continue
        code = entry.get("item")
        score = scores.get(code) if isinstance(code, str) else None
        if score is None:
            problems.append(f"第{number}条：方案中没有考核项“{code}”。")
            continue
        try:
            if stage == Status.SELF_ASSESSMENT:
                _apply_self(score, entry)
            else:
                _apply_assessor(score, entry)
        except ValidationError as error:
            problems.extend(f"{score.item.name}：{m}" for m in error.messages)
            continue
        touched[code] = score
    if problems:
        raise ValidationError({"scores": problems})
    for score in touched.values():
        score.full_clean()
        score._history_user = user
        score.save()


def _step(
    *,
    assessment: Assessment,
    user,
    name: str,
    expected_version,
    entries=None,
    stage=None,
    check=None,
    extra=None,
    audit_action="record_change",
):
    def changes(fresh):
        _apply_entries(fresh, entries, user, stage or fresh.status)
        scores = list(fresh.scores.select_related("item"))
        if check is not None:
            check(fresh, scores)
        values = dict(extra(fresh, scores) if callable(extra) else extra or {})
        values.update(totals_of(fresh, scores))
        return values

    return transition_run(
        workflow=ASSESSMENT_WORKFLOW,
        instance=assessment,
        user=user,
        name=name,
        expected_version=expected_version,
        changes=changes,
        audit_action=audit_action,
        audit_detail={"scheme": assessment.scheme_id, "unit": assessment.unit_code},
    )


def _refresh_one(assessment: Assessment, user, name: str, cache: SourceCache | None) -> None:
    if user is not None:
        policy_for(Assessment).require(user, name, assessment)
    fresh = Assessment.objects.select_related("scheme").get(pk=assessment.pk)
    assessments_refresh([fresh], cache=cache)


def assessment_enter(*, assessment: Assessment, user, entries, expected_version=None):
    """Save scores of the current stage without taking a step (a draft of the sheet)."""
    if user is not None:
        policy_for(Assessment).require(user, "enter", assessment)
    with transaction.atomic():
        return _step(
            assessment=assessment,
            user=user,
            name="enter",
            expected_version=expected_version,
            entries=entries,
        )


def _all_self_assessed(fresh, scores):
    missing = [s.item.name for s in scores if s.item.kind == MANUAL and s.self_score is None]
    if missing:
        raise ValidationError({"scores": [f"以下考核项尚未自评：{'、'.join(missing)}。"]})


def _all_scored(fresh, scores):
    missing = [s.item.name for s in scores if s.item.kind == MANUAL and s.score is None]
    if missing:
        raise ValidationError({"scores": [f"以下考核项尚未评分：{'、'.join(missing)}。"]})


def assessment_submit(
    *, assessment: Assessment, user, expected_version=None, entries=None, cache=None
):
    """提交自评: the unit's official sends the self-assessment to the level above."""
    with transaction.atomic():
        _refresh_one(assessment, user, "submit", cache)
        return _step(
            assessment=assessment,
            user=user,
            name="submit",
            expected_version=expected_version,
            entries=entries,
            stage=Status.SELF_ASSESSMENT,
            check=_all_self_assessed,
            extra={"submitted_at": timezone.now()},
        )


def assessment_score(
    *, assessment: Assessment, user, expected_version=None, entries=None, cache=None
):
    """上级评分: the level above scores the manual items and sends the sheet for review."""
    with transaction.atomic():
        _refresh_one(assessment, user, "score", cache)
        return _step(
            assessment=assessment,
            user=user,
            name="score",
            expected_version=expected_version,
            entries=entries,
            stage=Status.SCORING,
            check=_all_scored,
            extra={"scored_at": timezone.now(), "scored_by": user},
            audit_action=APPROVAL,
        )


def assessment_review(
    *, assessment: Assessment, user, expected_version=None, entries=None, cache=None
):
    """省级复核: the province checks (and may adjust, with reasons) the scores."""
    with transaction.atomic():
        _refresh_one(assessment, user, "review", cache)
        return _step(
            assessment=assessment,
            user=user,
            name="review",
            expected_version=expected_version,
            entries=entries,
            stage=Status.REVIEW,
            check=_all_scored,
            extra={"reviewed_at": timezone.now(), "reviewed_by": user},
            audit_action=APPROVAL,
        )


def _reviewed(fresh, scores):
    if fresh.reviewed_at is None:
        raise ValidationError({"status": ["尚未复核，不能定等：请先完成省级复核。"]})
    _all_scored(fresh, scores)


def _freeze(fresh, scores, user):
    for score in scores:
        if score.item.is_automatic and not score.frozen:
            score.frozen = True
            score._history_user = user
            score._change_reason = "定等：锁定自动计分及其依据数据"
            score.save()


def assessment_finalise(*, assessment: Assessment, user, expected_version=None, cache=None):
    """定等: freeze every automatic score with its figures, grade and rank the scheme's units."""
    with transaction.atomic():
        _refresh_one(assessment, user, "finalise", cache)

        def check(fresh, scores):
            _reviewed(fresh, scores)
            _freeze(fresh, scores, user)

        saved = _step(
            assessment=assessment,
            user=user,
            name="finalise",
            expected_version=expected_version,
            stage=Status.REVIEW,
            check=check,
            extra=lambda fresh, scores: {
                "finalised_at": timezone.now(),
                "finalised_by": user,
                "grade": grade_for(fresh.total, fresh.scheme.bands(), vetoed=fresh.is_vetoed),
            },
            audit_action=APPROVAL,
        )
        scheme_rank(scheme=saved.scheme, user=user)
        saved.refresh_from_db()
    return saved


def scheme_rank(*, scheme: Scheme, user) -> None:
    """Rank the finalised rounds of a scheme and grade them under the 优秀 quota."""
    finals = list(scheme.assessments.final())
    units = scheme.assessments.count()
    standings = [
        Standing(
            key=a,
            total=a.total,
            automatic=a.automatic_total,
            deducted=a.deducted,
            vetoed=a.is_vetoed,
            band=grade_for(a.total, scheme.bands(), vetoed=a.is_vetoed),
        )
        for a in finals
    ]
    for standing in ranked(standings, quota=quota_places(scheme.excellent_quota, units)):
        row = standing.key
        if row.rank != standing.rank or row.grade != standing.grade:
            row.rank, row.grade = standing.rank, standing.grade
            row._history_user = user
            row._change_reason = "定等排名"
            row.save(update_fields=["rank", "grade", "updated_at"])
