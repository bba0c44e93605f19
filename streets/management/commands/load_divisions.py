"""Load the real Gansu hierarchy from fixtures/gansu_divisions.csv."""

from pathlib import Path

from django.core.management.base import BaseCommand
from tqdm import tqdm

from streets.services import DIVISIONS_CSV, divisions_load, read_divisions


class Command(BaseCommand):
    help = "导入甘肃省行政区划（省、市州、县区、街道乡镇、社区），可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DIVISIONS_CSV), help="区划 CSV 文件路径")

    def handle(self, *args, **options):
        path = Path(options["file"])
        total = len(read_divisions(path))
        with tqdm(total=total, desc="导入行政区划", unit="条", disable=options["verbosity"] == 0) as bar:
            result = divisions_load(path=path, progress=bar.update)
        self.stdout.write(
            self.style.SUCCESS(
                f"行政区划导入完成：新增 {result.created} 条，更新 {result.updated} 条，未变 {result.unchanged} 条。"
            )
        )
