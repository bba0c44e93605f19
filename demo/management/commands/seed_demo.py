"""seed_demo: build the demo data set (2010–2015) on the loaded hierarchy."""

import re
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from communities.models import Community
from demo.accounts import DEMO_PASSWORD, demo_accounts_ensure
from demo.build import DemoOptions
from demo.seed import demo_data_exists, demo_seed


def parse_years(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d{4})\s*-\s*(\d{4})\s*", text or "")
    if not match:
        raise CommandError("--years 应写成“起始年-结束年”，例如 2010-2015。")
    first, last = int(match[1]), int(match[2])
    if not 2000 <= first < last <= 2030:
        raise CommandError("--years 的起始年应早于结束年，且都在 2000–2030 之间。")
    return first, last


class Command(BaseCommand):
    help = (
        "生成演示数据（默认 2010–2015 年）：年度统计、服务中心、服务站和专项设施、志愿者组织、"
        "约一百万名注册志愿者、社会组织和社区工作者。需先运行 load_divisions。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="志愿者数量比例，例如 0.01 生成约 1%% 的志愿者（默认 1）",
        )
        parser.add_argument(
            "--seed", type=int, default=2015, help="随机种子（默认 2015），相同种子生成相同数据"
        )
        parser.add_argument("--years", default="2010-2015", help="年度范围（默认 2010-2015）")
        parser.add_argument("--if-empty", action="store_true", help="已有业务数据时什么也不做")
        parser.add_argument(
            "--with-accounts", action="store_true", help="创建演示账号（DEBUG 模式下总会创建）"
        )

    def handle(self, *args, **options):
        scale = options["scale"]
        if not 0 < scale <= 1:
            raise CommandError("--scale 应大于 0 且不超过 1。")
        first, last = parse_years(options["years"])
        quiet = options["verbosity"] == 0
        total = Community.objects.count()
        if total == 0:
            raise CommandError("尚未导入行政区划，请先运行 python manage.py load_divisions。")
        if demo_data_exists():
            if not options["if_empty"]:
                raise CommandError(
                    "数据库中已有业务数据（年度统计、设施、志愿者等），未生成演示数据。"
                    "如只想在空库中生成，请加 --if-empty；如需重新生成，请先清空数据库（make clean-db）。"
                )
            self.stdout.write("数据库中已有业务数据，跳过演示数据生成。")
        else:
            started = time.perf_counter()
            opts = DemoOptions(seed=options["seed"], scale=scale, first_year=first, last_year=last)
            with tqdm(total=total, desc="生成演示数据", unit="个社区", disable=quiet) as bar:
                counts = demo_seed(options=opts, progress=bar.update)
            elapsed = time.perf_counter() - started
            summary = "，".join(f"{label} {n:,} 条" for label, n in counts.items())
            self.stdout.write(
                self.style.SUCCESS(f"演示数据生成完成，用时 {elapsed:.1f} 秒：{summary}。")
            )
        if settings.DEBUG or options["with_accounts"]:
            accounts = demo_accounts_ensure()
            self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
            for spec, written in accounts:
                note = "（已创建或更新）" if written else ""
                self.stdout.write(
                    f"  {spec.username:<16} {spec.scope_code:<13} {spec.description}{note}"
                )
