"""Enrol a TOTP device for a user and print the key to scan into an authenticator app."""

import segno
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User


class Command(BaseCommand):
    help = "为用户绑定动态口令（TOTP）设备，并显示供身份验证器扫描的二维码。"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--replace", action="store_true", help="先删除该用户已有的设备")

    def handle(self, username, replace=False, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"没有用户 {username}。") from None
        if replace:
            TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True)
        self.stdout.write(
            f"已为 {username} 绑定动态口令设备。请用身份验证器扫描下方二维码，或输入："
        )
        self.stdout.write(device.config_url)
        segno.make(device.config_url, error="m").terminal(out=self.stdout, compact=True)
