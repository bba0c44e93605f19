"""``manage.py check_figures [--scope CODE] [--fix]``: the figures table against the raw rows."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from targets.figures import differences, recompute

SHOWN = 50


class Command(BaseCommand):
    help = "从原始记录重新计算社区与街道年度数据，报告与已存数据的每一处差异（有差异时退出码为1）。"

    def add_arguments(self, parser):
        parser.add_argument("--scope", default="", help="只检查该区划代码之下（默认全部）")
        parser.add_argument("--fix", action="store_true", help="检查后按原始记录重新计算全部数据")

    def handle(self, *args, scope: str, fix: bool, **options):
        if scope and not scope.isdigit():
            raise CommandError("区划代码只能由数字组成。")
        problems = differences(scope)
        for line in problems[:SHOWN]:
            self.stdout.write(line)
        if len(problems) > SHOWN:
            self.stdout.write(f"……另有 {len(problems) - SHOWN} 处差异")
        if fix and problems:
            with transaction.atomic():
                recompute(None)
            self.stdout.write("已按原始记录重新计算全部年度数据。")
        if problems:
            raise CommandError(f"年度数据与原始记录不一致：{len(problems)} 处。", returncode=1)
        self.stdout.write("年度数据与原始记录一致。")
