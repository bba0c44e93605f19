"""催办 by the system: every open request due the next working day or already overdue.

Run once each working day (cron: ``0 8 * * 1-6 manage.py casework_urge``); on a day off it does
nothing, and a request is urged at most once a day.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from casework import calendar
from casework.services import auto_urge


class Command(BaseCommand):
    help = "自动催办：办理期限前一个工作日及超期后每个工作日催办未办结的诉求。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期（YYYY-MM-DD）执行，默认今天。")

    def handle(self, *args, **options):
        day = calendar.today()
        if options.get("date"):
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("日期格式应为 YYYY-MM-DD。") from None
        if not calendar.is_working_day(day):
            self.stdout.write(f"{day:%Y-%m-%d} 不是工作日，不催办。")
            return
        count = auto_urge(today=day)
        self.stdout.write(f"{day:%Y-%m-%d}：已自动催办 {count} 件诉求。")
