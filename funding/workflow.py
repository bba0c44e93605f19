"""The budget lines' workflow, the statistics' one: draft → submitted → approved, or returned."""

from communities.workflow import STAT_WORKFLOW

BUDGET_WORKFLOW = STAT_WORKFLOW
