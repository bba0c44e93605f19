"""Django admin for plans and their thresholds."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gansu_community.admin import ROLE_ADMIN, ScopedAdminMixin

from .models import Plan


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = (
            "code",
            "name",
            "title",
            "document_number",
            "start_year",
            "target_year",
            "thresholds",
            "baseline_year",
            "baseline",
            "is_current",
        )

    def clean_thresholds(self):
        """Keep an object of indicator code → non-negative decimal string."""
        value = self.cleaned_data.get("thresholds")
        if not isinstance(value, dict):
            raise forms.ValidationError("达标阈值应为对象：指标代码 → 阈值（十进制字符串）。")
        for code, threshold in value.items():
            try:
                number = Decimal(str(threshold))
            except (InvalidOperation, ValueError):
                raise forms.ValidationError(f"指标 {code} 的阈值“{threshold}”不是数字。") from None
            if not number.is_finite() or number < 0:
                raise forms.ValidationError(f"指标 {code} 的阈值不能为负数。")
        return {code: str(threshold) for code, threshold in value.items()}

    def clean(self):
        cleaned = super().clean()
        start, target = cleaned.get("start_year"), cleaned.get("target_year")
        if start and target and target < start:
            self.add_error("target_year", "目标年度不能早于起始年度。")
        return cleaned


@admin.register(Plan)
class PlanAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    form = PlanForm
    # Every role reads the plan; only administrators change it and its thresholds.
    write_roles = frozenset({ROLE_ADMIN})
    scope_path = None
    list_display = ("code", "name", "document_number", "start_year", "target_year", "is_current")
    list_filter = ("is_current",)
    search_fields = ("code", "name", "title")
