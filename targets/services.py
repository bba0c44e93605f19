"""Writes to plans: saved whole and valid, one current plan at a time."""

from django.db import transaction

from core.services import record_delete, record_save

from .models import Plan
from .registry import DEFAULT_THRESHOLDS


@transaction.atomic
def plan_save(*, plan: Plan, user) -> Plan:
    """Validate and save a plan; fill thresholds it leaves out with the registry's defaults.

    Marking a plan current unmarks every other, so ``current_plan()`` has one answer.
    """
    plan.thresholds = {**DEFAULT_THRESHOLDS, **(plan.thresholds or {})}
    if plan.baseline is None:
        plan.baseline = {}
    record_save(instance=plan, user=user)
    if plan.is_current:
        for other in Plan.objects.filter(is_current=True).exclude(code=plan.code):
            other.is_current = False
            record_save(instance=other, user=user)
    return plan


@transaction.atomic
def plan_delete(*, plan: Plan, user) -> None:
    """Delete a plan; the current plan cannot be deleted (mark another current first)."""
    if plan.is_current:
        raise ValueError("不能删除当前规划，请先将其他规划设为当前规划。")
    record_delete(instance=plan, user=user)
