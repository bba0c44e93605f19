"""Django admin for budget lines (with the statistics' approval actions) and yearly targets."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ScopedAdminMixin, expected_version
from core.services import StaleVersionError

from .models import BudgetLine, YearlyTarget
from .services import (
    budget_line_approve,
    budget_line_return,
    budget_line_save,
    budget_line_submit,
    yearly_target_save,
)


class BudgetActionForm(ActionForm):
    reason = forms.CharField(label="退回原因", required=False, max_length=500)


@admin.register(BudgetLine)
class BudgetLineAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "region_code",
        "year",
        "cost_type",
        "source",
        "budgeted_wan_yuan",
        "allocated_wan_yuan",
        "spent_wan_yuan",
        "status",
        "version",
    )
    list_filter = ("status", "year", "cost_type", "source")
    search_fields = ("^region_code",)
    readonly_fields = (
        "status",
        "return_reason",
        "submitted_at",
        "reviewed_at",
        "reviewed_by",
        "version",
    )
    ordering = ("region_code", "year", "cost_type", "source")
    action_form = BudgetActionForm
    actions = ("submit_selected", "approve_selected", "return_selected")

    def has_submit_permission(self, request):
        return self.policy.can(request.user, "submit")

    def has_approve_permission(self, request):
        return self.policy.can(request.user, "approve")

    def save_model(self, request, obj, form, change):
        budget_line_save(
            line=obj, user=request.user, expected_version=expected_version(form, change)
        )

    def _run(self, request, queryset, verb, service, **kwargs):
        done, failures = 0, []
        for line in queryset:
            try:
                service(line=line, user=request.user, expected_version=line.version, **kwargs)
            except ValidationError as error:
                failures.append(f"{line}：{'；'.join(error.messages)}")
            except (PermissionDenied, StaleVersionError) as error:
                failures.append(f"{line}：{error}")
            else:
                done += 1
        if done:
            self.message_user(request, f"已{verb} {done} 条专项经费预算。", messages.SUCCESS)
        for failure in failures:
            self.message_user(request, f"未能{verb}：{failure}", messages.ERROR)

    @admin.action(description="上报所选预算", permissions=["submit"])
    def submit_selected(self, request, queryset):
        self._run(request, queryset, "上报", budget_line_submit)

    @admin.action(description="审核通过所选预算", permissions=["approve"])
    def approve_selected(self, request, queryset):
        self._run(request, queryset, "审核通过", budget_line_approve)

    @admin.action(description="退回所选预算（请填写退回原因）", permissions=["approve"])
    def return_selected(self, request, queryset):
        reason = (request.POST.get("reason") or "").strip()
        if not reason:
            self.message_user(request, "退回时必须填写退回原因。", messages.ERROR)
            return
        self._run(request, queryset, "退回", budget_line_return, reason=reason)


@admin.register(YearlyTarget)
class YearlyTargetAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("plan", "indicator", "region_code", "year", "rate", "version")
    list_filter = ("plan", "indicator", "year")
    search_fields = ("^region_code",)
    readonly_fields = ("version",)
    ordering = ("plan", "indicator", "region_code", "year")

    def save_model(self, request, obj, form, change):
        yearly_target_save(
            target=obj, user=request.user, expected_version=expected_version(form, change)
        )
