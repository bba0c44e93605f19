"""Plans and their thresholds are plan data: everyone reads them, administrators write them."""

from core.policy import ADD, CHANGE, DELETE, AdminWritesPolicy, register

from .models import Plan


class PlanPolicy(AdminWritesPolicy):
    scoped = False
    messages = {
        **AdminWritesPolicy.messages,
        ADD: "只有省级管理员可以修改规划。",
        CHANGE: "只有省级管理员可以修改规划。",
        DELETE: "只有省级管理员可以修改规划。",
    }


register(Plan, PlanPolicy)
