"""Django admin for the 目标考核: schemes with their items (administrators), rounds read-only.

A round's scores change only through its steps (the score sheet page and the API), so the
admin shows rounds and never edits them.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdminMixin, ScopedAdminMixin

from .models import Assessment, Scheme, SchemeItem
from .services import scheme_save


class SchemeItemFormSet(BaseInlineFormSet):
    """The items as the page leaves them are what the scheme's base score is checked against
    (``Scheme.clean``): the scheme's own form cannot see them."""

    def clean(self):
        super().clean()
        scheme = self.instance
        if scheme.pk and scheme.assessments.exists():
            return  # launched: the items are read-only, the scheme's clean() checks them
        items = [
            form.instance
            for form in self.forms
            if getattr(form, "cleaned_data", None)  # not an empty extra row
            and not (self.can_delete and self._should_delete_form(form))
        ]
        scheme.pending_items = items
        problems = scheme.base_score_errors(items) if items else []
        if problems:
            raise ValidationError(problems)


class SchemeAdminForm(forms.ModelForm):
    """The scheme's fields; its items' points are checked with the inline (above)."""

    class Meta:
        model = Scheme
        fields = ("year", "level", "name", "base_score", "grades", "excellent_quota")

    def _post_clean(self):
        scheme = self.instance
        if not (scheme.pk and scheme.assessments.exists()):
            # The items are editable below: SchemeItemFormSet checks them as the page leaves
            # them. A launched scheme's items are read-only: clean() checks the saved ones.
            scheme.pending_items = ()
        super()._post_clean()


class SchemeItemInline(admin.TabularInline):
    model = SchemeItem
    formset = SchemeItemFormSet
    extra = 0
    fields = ("position", "code", "name", "points", "method", "params", "standard")

    def has_add_permission(self, request, obj=None):
        return obj is None or not obj.assessments.exists()

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)


@admin.register(Scheme)
class SchemeAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "year", "level", "base_score", "excellent_quota")
    list_filter = ("year", "level")
    search_fields = ("name",)
    form = SchemeAdminForm
    inlines = (SchemeItemInline,)

    def save_model(self, request, obj, form, change):
        scheme_save(scheme=obj, items=None, user=request.user, expected_version=obj.version)


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("unit_name", "unit_code", "scheme", "status", "total", "grade", "rank")
    list_select_related = ("scheme",)
    list_filter = ("status", "grade", "scheme__year")
    search_fields = ("^unit_code", "unit_name")
    readonly_fields = [f.name for f in Assessment._meta.fields]
