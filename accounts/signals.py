"""Audit the authentication events and changes of role, scope or permissions."""

from axes.signals import user_locked_out
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django_otp import login as otp_login
from simple_history.models import HistoricalRecords

from core.api.tokens import tokens_end

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
    device = getattr(request, "otp_verified_device", None)
    if device is not None and device.user_id == user.pk:
        otp_login(request, device)  # the session passed the second factor (accounts.otp)
    audit_record(action=AuditAction.LOGIN, request=request, user=user, scope_code=user.scope)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    """A portal logout ends the session and every API token of the user."""
    if user is not None:
        ended = tokens_end(user)
        audit_record(
            action=AuditAction.LOGOUT, request=request, user=user, detail={"tokens": ended}
        )


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        request=request,
        username=str(credentials.get("username", "")),
    )


@receiver(user_locked_out)
def audit_lockout(sender, request, username, ip_address, **kwargs):
    audit_record(action=AuditAction.LOCKOUT, request=request, username=username or "")


@receiver(pre_save, sender=User)
def remember_role(sender, instance, **kwargs):
    if instance.pk:
        old = User.objects.filter(pk=instance.pk).values("password", *TRACKED_FIELDS).first()
        instance._old_password = old.pop("password") if old else None
        instance._old_role = old
    else:
        instance._old_role = instance._old_password = None


@receiver(post_save, sender=User)
def end_tokens_on_password_change(sender, instance, created, **kwargs):
    """A new password, by whatever path (portal, admin, changepassword, the ORM), ends every
    token of the user; Django's session hash already ends their other sessions, and the
    change is audited: 修改密码 by the user themselves, 重置密码 by anyone else."""
    old = getattr(instance, "_old_password", None)
    if created or old is None or old == instance.password:
        return
    instance._old_password = instance.password
    request = _current_request()
    actor = getattr(request, "user", None)
    own = actor is not None and actor.is_authenticated and actor.pk == instance.pk
    ended = tokens_end(instance)
    audit_record(
        action=AuditAction.PASSWORD_CHANGE if own else AuditAction.PASSWORD_RESET,
        request=request,
        user=instance,
        username=instance.username,
        scope_code=instance.scope_code,
        detail={"tokens_ended": ended, "by": _actor(request) or "系统"},
    )


@receiver(post_delete, sender=User)
def audit_user_delete(sender, instance, **kwargs):
    request = _current_request()
    audit_record(
        action=AuditAction.USER_DELETE,
        request=request,
        username=instance.username,
        scope_code=instance.scope_code,
        detail={"role": instance.role, "by": _actor(request) or "系统"},
    )


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
