"""``manage.py jobs_schedule [--check-figures]``: queue the system's periodic jobs.

The reporting cycle's reminders run every day at 08:00 Beijing time: this queues the next
run (once; running it again changes nothing), and each run queues the one after it, so a
worker that keeps running keeps sending them. ``--check-figures`` also queues a check of the
figures tables against the raw rows now. Waiting jobs whose task the queue has lost (a Redis
restarted without its data) are queued again first.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from jobs.models import JobKind
from jobs.services import job_start_system, jobs_requeue_lost, reminders_schedule


class Command(BaseCommand):
    help = "排定系统的定时后台任务：每天北京时间 8 时的填报提醒（可重复执行，只排一次）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--check-figures", action="store_true", help="同时立即排入一次年度数据核对任务"
        )
        parser.add_argument("--scope", default="", help="年度数据核对只查该区划代码之下")

    def handle(self, *args, check_figures: bool, scope: str, **options):
        lost = jobs_requeue_lost()
        if lost:
            self.stdout.write(f"{lost} 个等待中的任务已从队列中丢失（如 Redis 重启），已重新排入。")
        job, new = reminders_schedule()
        self.stdout.write(
            f"{'已排定' if new else '已有'}填报提醒任务 #{job.pk}（{job.params.get('date')} 8:00 发送）。"
        )
        if check_figures:
            job, new = job_start_system(
                JobKind.CHECK, params={"scope": scope, "date": timezone.localdate().isoformat()}
            )
            self.stdout.write(f"{'已排入' if new else '已有'}年度数据核对任务 #{job.pk}。")
