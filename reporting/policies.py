"""Reporting periods are plan data: everyone reads them, provincial administrators write them."""

from core.policy import ADD, CHANGE, DELETE, AdminWritesPolicy, register

from .models import ReportingPeriod


class PeriodPolicy(AdminWritesPolicy):
    scoped = False
    messages = {
        **AdminWritesPolicy.messages,
        ADD: "只有省级管理员可以设置填报周期。",
        CHANGE: "只有省级管理员可以设置填报周期。",
        DELETE: "只有省级管理员可以设置填报周期。",
    }


register(ReportingPeriod, PeriodPolicy)
