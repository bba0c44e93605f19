"""The demo accounts: one per role, all with the same published password."""

from dataclasses import dataclass

from django.contrib.auth.models import Permission

from accounts.models import Role, User
from communities.models import Community
from core.personal import VIEW_PERSONAL_DATA

from .build import DEMO_STREET

DEMO_PASSWORD = "Gansu-demo-2015"


@dataclass
class DemoAccount:
    username: str
    role: str
    scope_code: str
    description: str
    # Permissions of the accounts app the account holds besides its role's.
    permissions: tuple[str, ...] = ()


def demo_account_specs() -> list[DemoAccount]:
    """Say which accounts the demo has; the staff account needs the demo street's first community."""
    specs = [
        # demo_admin may see and export ID numbers and phones in full (``?unmask=1``, each
        # showing audited), so the demo shows both the masked and the unmasked path.
        DemoAccount(
            "demo_admin",
            Role.ADMIN,
            "62",
            "省级管理员（系统管理员），甘肃省；可查看和导出完整的身份证号码和电话（留审计记录）",
            permissions=(VIEW_PERSONAL_DATA,),
        ),
        DemoAccount("demo_security", Role.SECURITY, "62", "安全管理员：用户、角色、权限和解锁"),
        DemoAccount("demo_auditor", Role.AUDITOR, "62", "审计管理员：只查阅审计日志"),
        DemoAccount("demo_prefecture", Role.OFFICIAL, "6201", "民政干部，兰州市"),
        DemoAccount(
            "demo_street", Role.OFFICIAL, DEMO_STREET, "民政干部，兰州市城关区团结新村街道"
        ),
    ]
    first = Community.objects.filter(street_id=DEMO_STREET).order_by("code").first()
    if first is not None:
        specs.append(
            DemoAccount("demo_staff", Role.STAFF, first.code, f"社区工作人员，{first.name}")
        )
    return specs


def demo_accounts_ensure() -> list[tuple[DemoAccount, bool]]:
    """Create or repair the demo accounts; return each with whether it was written."""
    result = []
    for spec in demo_account_specs():
        user = User.objects.filter(username=spec.username).first()
        changed = user is None
        if user is None:
            user = User(username=spec.username)
        wanted = {
            "role": spec.role,
            "scope_code": spec.scope_code,
            "is_staff": True,
            "is_active": True,
        }
        for attr, value in wanted.items():
            if getattr(user, attr) != value:
                setattr(user, attr, value)
                changed = True
        # Hashing is slow by design: hash once for a new account, check once for an old one.
        if user.pk is None or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            changed = True
        if changed:
            user.full_clean(exclude=["password"])
            user.save()
        if spec.permissions:
            held = set(user.user_permissions.values_list("codename", flat=True))
            missing = [p for p in spec.permissions if p not in held]
            if missing:
                user.user_permissions.add(
                    *Permission.objects.filter(
                        content_type__app_label="accounts", codename__in=missing
                    )
                )
                changed = True
        result.append((spec, changed))
    return result
