"""Daily reminders of the reporting cycle (run by a scheduler once a day; idempotent)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from reporting.messages import send_reminders


class Command(BaseCommand):
    help = "向截止日期前尚未上报年度统计的社区工作人员发送提醒（每人每周期只提醒一次）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期计算（YYYY-MM-DD，默认今天，北京时间）")

    def handle(self, *args, **options):
        today = None
        if options.get("date"):
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("日期格式应为 YYYY-MM-DD。") from None
        sent = send_reminders(today)
        self.stdout.write(f"已发送 {sent} 条填报提醒。")
