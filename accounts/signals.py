"""Audit the authentication events and role or scope changes."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from .models import AuditAction, User
from .services import audit_record


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
        old = User.objects.filter(pk=instance.pk).values("role", "scope_code", "is_superuser").first()
        instance._old_role = old
    else:
        instance._old_role = None


@receiver(post_save, sender=User)
def audit_role_change(sender, instance, created, **kwargs):
    old = getattr(instance, "_old_role", None)
    new = {"role": instance.role, "scope_code": instance.scope_code, "is_superuser": instance.is_superuser}
    if created or (old is not None and old != new):
        audit_record(
            action=AuditAction.ROLE_CHANGE,
            username=instance.username,
            scope_code=instance.scope_code,
            detail={"before": old, "after": new, "created": created},
        )
