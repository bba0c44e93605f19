"""Finding plans: the current one, or one by its code; the fingerprint of its thresholds."""

import hashlib
import json

from .models import Plan

TWELFTH_FIVE_YEAR = "12th-five-year"


def current_plan() -> Plan:
    """Return the plan marked current, else the one with the latest target year.

    One short query with no ORM compiling: every write's verdicts upkeep asks for it.
    """
    table = Plan._meta.db_table
    for plan in Plan.objects.raw(
        f"SELECT * FROM {table} ORDER BY is_current DESC, target_year DESC, start_year DESC LIMIT 1"
    ):
        return plan
    raise Plan.DoesNotExist("没有任何规划。")


def get_plan(code: str) -> Plan:
    """Return the plan with ``code``; raise ``Plan.DoesNotExist`` for an unknown one."""
    return Plan.objects.get(code=code)


def plan_key(plan: Plan) -> str:
    """Return a fingerprint of the plan and the thresholds it judges with (40 hex digits).

    Stored verdicts (``targets.verdicts``) carry the key of the plan they were judged against;
    a read for another plan, or after its thresholds changed, does not use them.
    """
    from .registry import INDICATORS, threshold_of

    thresholds = {i.code: str(threshold_of(plan, i.code)) for i in INDICATORS}
    text = json.dumps([plan.code, thresholds], sort_keys=True)
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()
