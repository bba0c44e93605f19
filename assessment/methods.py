"""The registry of scoring methods (考核方式): one entry per way an item is scored.

An entry names the method, says how a score sheet prints it, where its figures come from
(an app and a function of ``assessment.sources``) and which parameters it takes. The models,
the API, the pages and the workbook all read this registry, so a new method is one entry.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.db import models

from . import sources

AUTOMATIC, MANUAL, BONUS, DEDUCTION, VETO = "automatic", "manual", "bonus", "deduction", "veto"
KIND_LABELS = {
    AUTOMATIC: "自动计分",
    MANUAL: "人工评分",
    BONUS: "加分",
    DEDUCTION: "扣分",
    VETO: "否决",
}


class Method(models.TextChoices):
    INDICATOR_RATE = "indicator_rate", "规划指标达标率"
    REPORTING_ON_TIME = "reporting_on_time", "年度数据按时上报率"
    CASEWORK_ON_TIME = "casework_on_time", "民情诉求按时办结率"
    CASEWORK_SATISFACTION = "casework_satisfaction", "民情诉求满意率"
    MANUAL = "manual", "查阅资料、实地检查"
    BONUS = "bonus", "加分项"
    DEDUCTION = "deduction", "扣分项"
    VETO = "veto", "一票否决"


@dataclass(frozen=True)
class MethodSpec:
    code: str
    kind: str  # automatic, manual, bonus, deduction, veto
    way: str  # 考核方式 as the sheet prints it
    source_app: str = ""  # the app whose figures an automatic method reads
    source_label: str = ""
    figures: Callable | None = None  # sources.<function>(cache, level, units, params)
    counts_in_base: bool = True  # whether its points make up the base score

    @property
    def is_automatic(self) -> bool:
        return self.kind == AUTOMATIC


METHODS: dict[str, MethodSpec] = {
    spec.code: spec
    for spec in (
        MethodSpec(
            Method.INDICATOR_RATE,
            AUTOMATIC,
            "系统自动计分（规划达标数据）",
            "targets",
            "达标考核引擎",
            sources.indicator_figures,
        ),
        MethodSpec(
            Method.REPORTING_ON_TIME,
            AUTOMATIC,
            "系统自动计分（年度填报）",
            "reporting",
            "年度填报周期",
            sources.reporting_figures,
        ),
        MethodSpec(
            Method.CASEWORK_ON_TIME,
            AUTOMATIC,
            "系统自动计分（民情流水线）",
            "casework",
            "民情流水线",
            sources.casework_figures("on_time_rate"),
        ),
        MethodSpec(
            Method.CASEWORK_SATISFACTION,
            AUTOMATIC,
            "系统自动计分（民情流水线回访）",
            "casework",
            "民情流水线",
            sources.casework_figures("satisfaction_rate"),
        ),
        MethodSpec(Method.MANUAL, MANUAL, "查阅资料、实地检查，上级评分"),
        MethodSpec(Method.BONUS, BONUS, "加分，累计不超过分值", counts_in_base=False),
        MethodSpec(Method.DEDUCTION, DEDUCTION, "扣分，累计不超过分值", counts_in_base=False),
        MethodSpec(Method.VETO, VETO, "一票否决", counts_in_base=False),
    )
}
RATE_METHODS = frozenset(code for code, spec in METHODS.items() if spec.is_automatic)


def method_of(code: str) -> MethodSpec | None:
    return METHODS.get(code)


def _share(value, name: str, errors: list[str]) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        errors.append(f"参数 {name} 应为0到1之间的小数（如 0.8）。")
        return None
    if not number.is_finite() or not Decimal(0) <= number <= Decimal(1):
        errors.append(f"参数 {name} 应为0到1之间的小数（如 0.8）。")
        return None
    return number


def band_of(params: dict) -> tuple[Decimal | None, Decimal | None]:
    """Return ``(full_at, zero_below)`` of a rate item (both None: points × rate)."""
    full_at, zero_below = params.get("full_at"), params.get("zero_below")
    if full_at in (None, "") or zero_below in (None, ""):
        return None, None
    return Decimal(str(full_at)), Decimal(str(zero_below))


def params_errors(method: str, params, *, year: int | None) -> list[str]:
    """Say why ``params`` do not fit ``method`` or why its source cannot be read (Chinese)."""
    spec = METHODS.get(method)
    if spec is None:
        return [f"未知的考核方式“{method}”。"]
    if not isinstance(params, dict):
        return ['参数应为对象，如 {"full_at": "0.8", "zero_below": "0.5"}。']
    errors: list[str] = []
    if not spec.is_automatic:
        return errors
    if not apps.is_installed(spec.source_app):
        return [f"考核方式“{spec.way}”的数据来源（{spec.source_label}）尚未建立，不能作为考核项。"]
    if method == Method.INDICATOR_RATE:
        from targets.registry import INDICATOR_BY_CODE

        code = params.get("indicator")
        if not code:
            errors.append("按规划指标计分的考核项须指定指标代码（参数 indicator）。")
        elif code not in INDICATOR_BY_CODE:
            errors.append(f"达标考核引擎中没有指标“{code}”，该考核项没有数据来源。")
    if method == Method.REPORTING_ON_TIME and year is not None:
        from reporting.models import ReportingPeriod

        if not ReportingPeriod.objects.filter(year=year).exists():
            errors.append(f"{year}年度尚未设立填报周期，按时上报率没有数据来源，不能作为考核项。")
    has_full = params.get("full_at") not in (None, "")
    has_zero = params.get("zero_below") not in (None, "")
    if has_full != has_zero:
        errors.append("满分线（full_at）和零分线（zero_below）须同时填写，或都不填（按比例计分）。")
    elif has_full:
        full_at = _share(params["full_at"], "full_at", errors)
        zero_below = _share(params["zero_below"], "zero_below", errors)
        if full_at is not None and zero_below is not None and zero_below >= full_at:
            errors.append("零分线（zero_below）应低于满分线（full_at）。")
    return errors


def _points(value) -> str:
    """Print points as a sheet does: 5, 2.5 (not 5.00)."""
    return format(Decimal(str(value)).normalize(), "f")


def standard_text(item) -> str:
    """Say the item's 考核标准 in words when the scheme gives none (a rate's band)."""
    spec = METHODS.get(item.method)
    if spec is None:
        return ""
    if spec.is_automatic:
        full_at, zero_below = band_of(item.params or {})
        subject = spec.source_label
        if item.method == Method.INDICATOR_RATE:
            from targets.registry import INDICATOR_BY_CODE

            indicator = INDICATOR_BY_CODE.get((item.params or {}).get("indicator"))
            subject = f"“{indicator.name}”达标率" if indicator else "指标达标率"
        else:
            subject = Method(item.method).label
        if full_at is None:
            return f"按{subject}计分：得分 = 分值 × 比率。"
        return (
            f"{subject}达到{full_at * 100:.0f}%及以上得满分，低于{zero_below * 100:.0f}%不得分，"
            "其间按比例计分。"
        )
    if spec.kind == BONUS:
        return f"按加分事项累计，最多加{_points(item.points)}分。"
    if spec.kind == DEDUCTION:
        return f"按扣分事项累计，最多扣{_points(item.points)}分。"
    if spec.kind == VETO:
        return "发生该情形的，考核等次直接定为不合格。"
    return "按扣分事项从分值中扣减，扣完为止。"
