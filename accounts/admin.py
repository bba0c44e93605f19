"""Django admin for users (role and scope) and the read-only audit log."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import Group

from core.admin import ReadOnlyAdminMixin, ScopedAdminMixin

from .models import AuditLog, User


class UserAddForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "role", "scope_code", "is_staff")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every role works in the Django admin, scoped to its code (docs/admin.md).
        self.fields["is_staff"].initial = True


@admin.register(User)
class UserAdmin(ScopedAdminMixin, DjangoUserAdmin):
    # Users, plans and thresholds are the administrators' (DESIGN.md, roles; policies.py).
    add_form = UserAddForm
    list_display = (
        "username",
        "full_name",
        "role",
        "scope_code",
        "is_active",
        "is_staff",
        "last_login",
    )
    list_filter = ("role", "is_active", "is_staff", "is_superuser")
    search_fields = ("username", "first_name", "last_name", "email", "^scope_code")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("last_name", "first_name", "email")}),
        ("角色与管辖范围", {"fields": ("role", "scope_code")}),
        ("权限", {"fields": ("is_active", "is_staff", "is_superuser", "user_permissions")}),
        ("重要日期", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "role", "scope_code", "is_staff", "password1", "password2"),
            },
        ),
    )
    filter_horizontal = ("user_permissions",)
    readonly_fields = ("last_login", "date_joined")

    @admin.display(description="姓名")
    def full_name(self, obj):
        return obj.get_full_name()

    def has_change_permission(self, request, obj=None):
        # Only a superuser changes a superuser (its password included).
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    #: What decides what an account may do: nobody changes these on their own account.
    own_account_fixed = (
        "role",
        "scope_code",
        "is_active",
        "is_staff",
        "is_superuser",
        "user_permissions",
        "groups",
    )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        # Only a superuser makes another superuser.
        if not request.user.is_superuser:
            readonly.append("is_superuser")
        # Nobody grants themselves a role, a scope or a permission (三员分立).
        if obj is not None and obj.pk == request.user.pk:
            readonly += [f for f in self.own_account_fixed if f not in readonly]
        return readonly


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(ScopedAdminMixin, DjangoGroupAdmin):
    """Groups only bundle extra permissions (such as seeing full ID numbers): administrators'."""


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Append-only: nobody adds, changes or deletes audit rows, not even a superuser."""

    list_display = ("created_at", "username", "action", "ip_address", "scope_code")
    list_filter = ("action",)
    search_fields = ("username", "^scope_code", "ip_address")
    date_hierarchy = "created_at"
    list_per_page = 100

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def get_actions(self, request):
        return {}

    # The audit administrator's reads are on record too (三员分立).
    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if response.status_code == 200:
            self.audit_read(request, query=request.GET.urlencode()[:300])
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            self.audit_read(request, row=str(object_id))
        return response

    def audit_read(self, request, **detail):
        from .services import audit_record

        audit_record(action="audit_log_view", request=request, detail=detail)


# django-axes' records: the access and failure logs are evidence, read-only for everyone;
# deleting an access attempt is how an account is unlocked, so that stays.
def _axes_read_only():
    from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    if admin.site.is_registered(AccessAttempt):
        admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, type("UnlockAdmin", (UnlockMixin, AccessAttemptAdmin), {}))

    for model, base in ((AccessLog, AccessLogAdmin), (AccessFailureLog, AccessFailureLogAdmin)):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
        admin.site.register(model, type(f"ReadOnly{base.__name__}", (ReadOnlyLogMixin, base), {}))


class UnlockMixin:
    """Lockouts: the security administrator sees them and unlocks (deletes the attempt)."""

    def _security(self, request) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or getattr(user, "role", None) == "security")

    def has_module_permission(self, request):
        return self._security(request)

    def has_view_permission(self, request, obj=None):
        return self._security(request)

    def has_delete_permission(self, request, obj=None):
        return self._security(request)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyLogMixin:
    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}


_axes_read_only()


def _totp_devices():
    """TOTP devices: the security administrator sees them and removes a lost one.

    Devices are enrolled with ``manage.py otp_enroll`` (which shows the key once); the admin
    never shows a key, so django-otp's configuration and QR-code pages are left out.
    """
    from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
    from django_otp.plugins.otp_totp.models import TOTPDevice

    class DeviceAdmin(UnlockMixin, TOTPDeviceAdmin):
        def get_urls(self):
            return admin.ModelAdmin.get_urls(self)

        def get_list_display(self, request):
            return ("user", "name", "confirmed", "created_at", "last_used_at")

    if admin.site.is_registered(TOTPDevice):
        admin.site.unregister(TOTPDevice)
    admin.site.register(TOTPDevice, DeviceAdmin)


_totp_devices()
