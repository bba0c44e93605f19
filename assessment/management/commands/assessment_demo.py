"""Score the demo 目标考核 on the data already loaded (``seed_demo`` does this too)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from assessment.demo import build_assessment_demo


class Command(BaseCommand):
    help = "按演示数据为全省县区进行目标考核评分（seed_demo 已包含此步骤）。"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2015)
        parser.add_argument("--year", type=int, default=2015)

    def handle(self, *args, seed, year, **options):
        with transaction.atomic():
            counts = build_assessment_demo(seed=seed, year=year)
        for label, count in counts.items():
            self.stdout.write(f"{label}：{count}")
