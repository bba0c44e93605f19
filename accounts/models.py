"""Users with one role and one scope code, and the append-only audit log."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from core.policy import may_approve_under, may_write_under
from core.roles import ROLE_SCOPE_LENGTHS, Role, role_of
from core.scoping import PROVINCE_CODE, code_is_under

__all__ = ["ROLE_SCOPE_LENGTHS", "AuditAction", "AuditLog", "Role", "User"]


class User(AbstractUser):
    """平台用户: one role over one division, street or community code."""

    role = models.CharField("角色", max_length=16, choices=Role.choices, default=Role.STAFF)
    scope_code = models.CharField(
        "管辖区划代码",
        max_length=12,
        default=PROVINCE_CODE,
        db_index=True,
        help_text="省 2 位、市州 4 位、县区 6 位、街道 9 位、社区 12 位统计用区划代码。",
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        permissions = [("view_personal_data", "查看完整身份证号码和电话")]

    def __str__(self):
        return self.get_full_name() or self.username

    def clean(self):
        super().clean()
        if self.is_superuser:
            return
        code = self.scope_code or ""
        if not code.isdigit() or len(code) not in ROLE_SCOPE_LENGTHS.get(self.role, set()):
            raise ValidationError(
                {
                    "scope_code": "管辖区划代码与角色不符：管理员、安全管理员和审计管理员为省级，民政干部为市州、县区或街道，社区工作人员为街道或社区。"
                }
            )
        if not code_is_under(code, PROVINCE_CODE):
            raise ValidationError({"scope_code": "管辖区划代码必须在甘肃省（62）之内。"})

    def save(self, *args, **kwargs):
        # A superuser is an admin over the whole province.
        if self.is_superuser:
            self.role = Role.ADMIN
            self.scope_code = PROVINCE_CODE
        super().save(*args, **kwargs)

    @property
    def scope(self) -> str:
        return PROVINCE_CODE if self.is_superuser else self.scope_code

    @property
    def is_admin(self) -> bool:
        return role_of(self) == Role.ADMIN

    @property
    def is_official(self) -> bool:
        return role_of(self) == Role.OFFICIAL

    @property
    def is_staff_member(self) -> bool:
        return role_of(self) == Role.STAFF

    def can_write_under(self, code: str) -> bool:
        """Say whether this user's role writes records hanging under ``code``."""
        return may_write_under(self, code)

    def can_approve_under(self, code: str) -> bool:
        """Say whether this user's role approves or returns statistics of ``code``."""
        return may_approve_under(self, code)

    def can_view_personal_data(self) -> bool:
        return self.is_superuser or self.has_perm("accounts.view_personal_data")


class AuditAction(models.TextChoices):
    LOGIN = "login", "登录"
    LOGOUT = "logout", "退出"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOCKOUT = "lockout", "账号锁定"
    ROLE_CHANGE = "role_change", "角色或管辖范围变更"
    EXPORT = "export", "导出"
    IMPORT = "import", "导入"
    VIEW_PERSONAL_DATA = "view_personal_data", "查看完整个人信息"
    APPROVAL = "approval", "审核"
    RECORD_ADD = "record_add", "新增记录"
    RECORD_CHANGE = "record_change", "修改记录"
    RECORD_DELETE = "record_delete", "删除记录"
    PERMISSION_DENIED = "permission_denied", "越权尝试被拒绝"
    AUDIT_LOG_VIEW = "audit_log_view", "查阅审计日志"
    PASSWORD_CHANGE = "password_change", "修改密码"
    PASSWORD_RESET = "password_reset", "重置密码"
    USER_ADD = "user_add", "新增用户"
    USER_DELETE = "user_delete", "删除用户"
    PERMISSION_GRANT = "permission_grant", "授予或撤销权限"
    TOKEN_REVOKE = "token_revoke", "注销令牌"
    DUPLICATE_ID = "duplicate_id", "跨辖区身份证号码重复"
    SECURITY_ALERT = "security_alert", "安全告警"
    AUDIT_ARCHIVE = "audit_archive", "审计日志归档"


class AuditLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("审计日志只能追加，不能修改。")

    def delete(self):
        raise PermissionError("审计日志只能追加，不能删除。")


class AuditLog(models.Model):
    """审计日志: append-only; never holds a full ID number or phone."""

    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        User,
        verbose_name="用户",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField("用户名", max_length=150, blank=True)
    action = models.CharField("操作", max_length=32, choices=AuditAction.choices, db_index=True)
    ip_address = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    scope_code = models.CharField("区划代码", max_length=12, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.username} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计日志只能追加，不能删除。")
