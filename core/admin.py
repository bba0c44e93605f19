"""The one admin mixin: every Django admin page asks the record's policy.

Who may do what (DESIGN.md, roles) is decided by the policy of each model (``core.policy``),
not by Django's per-model permissions, so that the admin, the portal and the API agree:

- ``admin`` (and every superuser): sees and writes everything;
- ``official``: sees everything under their code, writes nothing (statistics approval is an
  action of the statistics admin, through ``communities.services``);
- ``staff``: sees everything under their code and writes the records under it.

A row outside the user's scope answers 404 (never 403, which would tell that it exists); a
save into a parent outside it answers 403. Saves and deletes go through the one write path
(``core.services``).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect

from .audit import audit_refusal
from .figures import figures_deferred
from .forms import lines_save
from .policy import policy_for
from .scoping import PROVINCE_CODE, prefix_q, user_scope_code
from .services import (
    BOOKKEEPING,
    StaleVersionError,
    changed_fields,
    is_versioned,
    record_delete,
    record_save,
)


class VersionedAdminForm(forms.ModelForm):
    """A model form that carries the version it was read at and refuses a stale save."""

    expected_version = forms.IntegerField(
        label="读取时的版本", widget=forms.HiddenInput, required=False
    )

    #: The version a history revert starts from: the live row's, not the past version's.
    live_version: int | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            live = self.live_version
            self.fields["expected_version"].initial = (
                self.instance.version if live is None else live
            )

    def clean(self):
        cleaned = super().clean()
        expected = cleaned.get("expected_version")
        if self.instance.pk is not None and expected is not None:
            current = (
                type(self.instance)
                ._default_manager.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current is not None and current != expected:
                raise forms.ValidationError(StaleVersionError.message, code="stale")
        return cleaned


def expected_version(form, change: bool) -> int | None:
    """Return the version an admin form was read at (None for an add or a form without one)."""
    if not change or form is None:
        return None
    return form.cleaned_data.get("expected_version")


class RegionFilter(admin.SimpleListFilter):
    """Filter by the next level down within the user's own scope (市州 → 县区 → 街道 → 社区).

    The hierarchy says which units lie below a code: subclasses give ``units(code)``.
    """

    title = "下级区划"
    parameter_name = "region"

    def __init__(self, request, params, model, model_admin):
        self.model_admin = model_admin
        super().__init__(request, params, model, model_admin)

    def units(self, code: str) -> list[tuple[str, str]]:
        """Return ``(code, name)`` of the units one level below ``code``."""
        raise NotImplementedError

    def lookups(self, request, model_admin):
        scope = user_scope_code(request.user)
        if scope is None:
            return []
        return [(code, f"{name}（{code}）") for code, name in self.units(scope)]

    def queryset(self, request, queryset):
        value = self.value()
        path = getattr(self.model_admin.model, "SCOPE_FIELD", None)
        if not value or not path:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(prefix_q(path, value))


class ReadOnlyAdminMixin:
    """Rows nobody adds, changes or deletes in the admin (written elsewhere, or never)."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScopedAdminMixin:
    """Scope every admin page to the user's code and take permissions from the record policy."""

    #: Form inputs that must never be rendered read-only (their raw value would show).
    write_only_fields: tuple[str, ...] = ()
    show_full_result_count = False
    list_per_page = 50

    @property
    def policy(self):
        return policy_for(self.model)

    # Scope -----------------------------------------------------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not self.policy.scoped:
            # Province-wide data (users, the log): who may open it is has_view_permission's
            # answer (403), also for the security and audit administrators, who have no scope.
            return queryset
        scope = user_scope_code(request.user)
        if scope is None:
            return queryset.none()
        if scope == PROVINCE_CODE:
            # Every code is validated to start with the province's, so the filter would keep
            # every row; without it SQLite scans the table instead of walking the code index
            # row by row (12 s instead of 0.8 s for a name search over a million volunteers).
            return queryset
        return queryset.visible_to(request.user)

    def is_visible(self, request, obj) -> bool:
        return self.policy.can_view(request.user, obj)

    # Permissions -----------------------------------------------------------------------

    def has_module_permission(self, request):
        return self.policy.can_view(request.user)

    def has_view_permission(self, request, obj=None):
        return self.policy.can_view(request.user, obj)

    def has_add_permission(self, request, *args):
        return self.policy.can_add(request.user)

    def has_change_permission(self, request, obj=None):
        return self.policy.can_change(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return self.policy.can_delete(request.user, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        editable = self.policy.editable_fields(request.user, obj) if obj is not None else None
        if editable is not None:
            names = [
                f.name for f in self.model._meta.fields if not f.primary_key or obj is not None
            ]
            readonly += [name for name in names if name not in editable and name not in readonly]
        return readonly

    # Rows outside the scope ------------------------------------------------------------

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # The same answer for missing and forbidden rows.
            raise Http404("不存在或无权查看。")
        return obj

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related_admin = self.admin_site._registry.get(db_field.related_model)
        if "queryset" not in kwargs and isinstance(related_admin, ScopedAdminMixin):
            kwargs["queryset"] = related_admin.get_queryset(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # Writes: the one write path --------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        return self.hide_write_only(request, obj, super().get_fieldsets(request, obj))

    def hide_write_only(self, request, obj, fieldsets):
        """Drop the version and write-only inputs from a page the user may only view.

        Django renders every field of a view-only page as text from the model, which would
        print the raw value of a write-only input such as the ID number.
        """
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        hidden = {"expected_version", *self.write_only_fields}
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in fieldsets
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if is_versioned(self.model) and not issubclass(self.form, VersionedAdminForm):
            kwargs.setdefault("form", type("VersionedForm", (VersionedAdminForm, self.form), {}))
        form = super().get_form(request, obj, change=change, **kwargs)
        live = getattr(request, "_history_revert_subject", None)
        if live is not None and is_versioned(self.model):
            # A revert form carries the live row's version, not the past one's.
            form = type(form.__name__, (form,), {"live_version": live.version})
        return form

    def save_model(self, request, obj, form, change):
        record_save(
            instance=obj, user=request.user, expected_version=expected_version(form, change)
        )

    def save_formset(self, request, form, formset, change):
        lines_save(formset, request.user)
        formset.save_m2m()

    def delete_model(self, request, obj):
        record_delete(instance=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        with figures_deferred():  # the figures of every community touched, once at the end
            for obj in queryset:
                record_delete(instance=obj, user=request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleVersionError as error:
            # Lost a race between the form's check and the locked save.
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    # History (django-simple-history) ---------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        self.get_history_subject(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Show a past version; a revert restores only what the user may edit now.

        The page's form starts from the live row (its version, its workflow state, every
        field the user may not edit) with the past values of the fields the user may edit now.
        Posting it saves through the one write path; a past version that differs from the live
        row in a field the user may not write (a workflow state, a name only administrators
        set) is refused (403, audited) and the row stays as it is.
        """
        obj = self.get_history_subject(request, object_id)
        if obj is None or not self.has_change_permission(request, obj):
            if request.method == "POST":
                self.refuse_revert(request, object_id, version_id, [])
            return super().history_form_view(request, object_id, version_id, extra_context)
        request._history_revert_subject = obj
        try:
            return super().history_form_view(request, object_id, version_id, extra_context)
        except StaleVersionError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def restorable_fields(self, request, live) -> set[str]:
        """Return the fields a revert may write on ``live`` for this user now."""
        names = {
            f.name
            for f in self.model._meta.concrete_fields
            if not f.primary_key and f.name not in BOOKKEEPING
        }
        readonly = set(self.get_readonly_fields(request, live))
        return {
            name
            for name in names - readonly
            if not self.policy.refused_fields(request.user, live, [name])
        }

    def refuse_revert(self, request, object_id, version_id, fields):
        audit_refusal(
            user=request.user,
            request=request,
            model=self.model._meta.label_lower,
            pk=str(object_id),
            attempt="history_revert",
            history_id=str(version_id),
            fields=sorted(fields),
        )
        labels = "、".join(str(self.model._meta.get_field(f).verbose_name) for f in sorted(fields))
        raise PermissionDenied(
            f"不能恢复该历史版本：它与当前记录的{labels}不同，而您无权修改这些字段。"
            if fields
            else "您无权恢复该记录的历史版本。"
        )

    def save_form(self, request, form, change):
        live = getattr(request, "_history_revert_subject", None)
        candidate = super().save_form(request, form, change)
        if live is None:
            return candidate
        # A revert: start again from the row as stored and take over only what may be restored.
        fresh = type(live)._default_manager.get(pk=live.pk)
        differing = set(changed_fields(fresh, candidate))
        refused = differing - self.restorable_fields(request, fresh)
        if refused:
            self.refuse_revert(
                request, live.pk, request.resolver_match.kwargs.get("version_id"), refused
            )
        for name in differing:
            field = self.model._meta.get_field(name)
            setattr(fresh, field.attname, getattr(candidate, field.attname))
        return fresh

    def get_history_subject(self, request, object_id):
        """Return the live row behind a history page, or None if deleted; 404 outside scope."""
        object_id = unquote(object_id)
        history = getattr(self.model, "history", None)
        try:
            obj = self.get_queryset(request).filter(pk=object_id).first()
            if obj is not None:
                return obj
            # A historical row keeps the record's key under its own name (its pk is history_id).
            key = {self.model._meta.pk.attname: object_id}
            last = history.filter(**key).order_by("-history_date").first() if history else None
            visible = last is not None and self.is_visible(request, last.instance)
        except (ValueError, ValidationError, ObjectDoesNotExist):
            # A malformed id, or a deleted row whose parent is gone too: nothing to show.
            visible = False
        if not visible:
            raise Http404("不存在或无权查看。")
        return None


class ScopedInlineMixin:
    """Inline rows follow their parent's scope and the write rule of their own policy."""

    extra = 0
    show_change_link = True

    def has_view_permission(self, request, obj=None):
        return policy_for(self.model).can_view(request.user)

    def has_add_permission(self, request, obj=None):
        return policy_for(self.model).can_add(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return policy_for(self.model).can_add(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return policy_for(self.model).can_add(request.user, obj)
