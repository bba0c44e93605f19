"""Finding plans: the current one, or one by its code."""

from .models import Plan

TWELFTH_FIVE_YEAR = "12th-five-year"


def current_plan() -> Plan:
    """Return the plan marked current, else the one with the latest target year."""
    plan = Plan.objects.filter(is_current=True).order_by("-target_year", "-start_year").first()
    if plan is None:
        plan = Plan.objects.order_by("-target_year", "-start_year").first()
    if plan is None:
        raise Plan.DoesNotExist("没有任何规划。")
    return plan


def get_plan(code: str) -> Plan:
    """Return the plan with ``code``; raise ``Plan.DoesNotExist`` for an unknown one."""
    return Plan.objects.get(code=code)
