"""``manage.py export_compliance --scope 62 --year 2015 --output 甘肃省2015.xlsx``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import AuditAction
from accounts.services import audit_record
from targets.params import BadParameter, command_params
from targets.report import build_compliance_workbook, report_filename


class Command(BaseCommand):
    help = "导出达标情况 Excel 报表（汇总、下一级区划、街道、社区、指标说明）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--scope", default="62", help="区划、街道或社区代码（默认 62 甘肃省）。"
        )
        parser.add_argument("--year", type=int, help="年度（默认为规划目标年度）。")
        parser.add_argument("--plan", help="规划代码（默认为当前规划）。")
        parser.add_argument(
            "--output", "-o", help="输出文件（默认为“<区划>年度社区服务体系建设达标情况.xlsx”）。"
        )

    def handle(self, *args, **options):
        try:
            params = command_params(
                scope=options["scope"], year=options["year"], plan=options["plan"]
            )
        except BadParameter as exc:
            raise CommandError("；".join(exc.messages)) from None
        scope, year, plan = params.scope, params.year, params.plan
        output = Path(options["output"] or report_filename(scope.name, year))
        with open(output, "wb") as fh:
            region = build_compliance_workbook(scope_code=scope.code, year=year, plan=plan, out=fh)
        audit_record(
            action=AuditAction.EXPORT,
            username="manage.py",
            scope_code=region.code,
            detail={
                "resource": "compliance-report",
                "scope": region.code,
                "year": year,
                "plan": plan.code,
                "file": str(output),
            },
        )
        self.stdout.write(self.style.SUCCESS(f"已导出 {region.name}{year}年达标情况报表：{output}"))
