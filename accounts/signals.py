"""Audit the authentication events and changes of role, scope or permissions."""

from axes.signals import user_locked_out
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from .models import AuditAction, User
from .services import audit_record

# What decides what an account may see and do: a change of any of these is audited.
TRACKED_FIELDS = ("role", "scope_code", "is_superuser", "is_staff", "is_active")


def _current_request():
    """Return the request being served, if any (set by simple-history's middleware)."""
    return getattr(HistoricalRecords.context, "request", None)


def _actor(request) -> str:
    user = getattr(request, "user", None)
    return user.get_username() if user is not None and user.is_authenticated else ""


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit_record(action=AuditAction.LOGIN, request=request, user=user, scope_code=user.scope)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action=AuditAction.LOGOUT, request=request, user=user)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    audit_record(
        action=AuditAction.LOGIN_FAILED, request=request, username=str(credentials.get("username", ""))
    )


@receiver(user_locked_out)
def audit_lockout(sender, request, username, ip_address, **kwargs):
    audit_record(action=AuditAction.LOCKOUT, request=request, username=username or "")


@receiver(pre_save, sender=User)
def remember_role(sender, instance, **kwargs):
    if instance.pk:
        instance._old_role = User.objects.filter(pk=instance.pk).values(*TRACKED_FIELDS).first()
    else:
        instance._old_role = None


@receiver(post_save, sender=User)
def audit_role_change(sender, instance, created, **kwargs):
    old = getattr(instance, "_old_role", None)
    new = {field: getattr(instance, field) for field in TRACKED_FIELDS}
    if created or (old is not None and old != new):
        request = _current_request()
        audit_record(
            action=AuditAction.ROLE_CHANGE,
            request=request,
            user=instance,
            username=instance.username,
            scope_code=instance.scope_code,
            detail={"before": old, "after": new, "created": created, "by": _actor(request)},
        )


def _names(model, pk_set) -> list[str]:
    if not pk_set:
        return []
    return sorted(
        getattr(item, "codename", None) or getattr(item, "name", None) or str(item)
        for item in model.objects.filter(pk__in=pk_set)
    )


CHANGES = {"post_add": "granted", "post_remove": "withdrawn", "post_clear": "cleared"}


@receiver(m2m_changed, sender=User.user_permissions.through)
@receiver(m2m_changed, sender=User.groups.through)
def audit_permission_change(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Audit granting or withdrawing a permission or group (such as seeing full ID numbers)."""
    if action not in CHANGES or (action != "post_clear" and not pk_set):
        return
    request = _current_request()
    if reverse:
        # permission.user_set.add(user) / group.user_set.add(user): one row per user.
        users, items = list(User.objects.filter(pk__in=pk_set or ())), [str(instance)]
        kind = "permissions" if sender is User.user_permissions.through else "groups"
    else:
        users, items = [instance], _names(model, pk_set)
        kind = "permissions" if model._meta.model_name == "permission" else "groups"
    for user in users:
        audit_record(
            action=AuditAction.ROLE_CHANGE,
            request=request,
            user=user,
            username=user.username,
            scope_code=user.scope_code,
            detail={"change": CHANGES[action], "kind": kind, "items": items, "by": _actor(request)},
        )


@receiver(m2m_changed, sender=Group.permissions.through)
def audit_group_permission_change(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Audit a change of what a group grants: it changes what every member may see."""
    if action not in CHANGES or reverse or (action != "post_clear" and not pk_set):
        return
    request = _current_request()
    audit_record(
        action=AuditAction.ROLE_CHANGE,
        request=request,
        detail={
            "change": CHANGES[action],
            "kind": "group_permissions",
            "group": instance.name,
            "items": _names(model, pk_set),
            "by": _actor(request),
        },
    )
