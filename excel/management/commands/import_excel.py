"""``manage.py import_excel --resource volunteers --file 志愿者.xlsx --user demo_admin``: large imports.

The web upload stops at ``IMPORT_WEB_MAX_ROWS`` rows so that no request runs for minutes;
this command takes files up to ``IMPORT_MAX_ROWS`` rows with the same checks, as the named
user (scope, permissions and history), all or nothing.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from core.xlsx.reading import ImportFileError
from excel.importers import import_workbook
from excel.resources import RESOURCES


class Command(BaseCommand):
    help = "从 Excel 模板批量导入数据（先检查整个文件，无误才一次性导入）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--resource", required=True, choices=sorted(RESOURCES), help="数据种类。"
        )
        parser.add_argument("--file", required=True, help=".xlsx 文件路径。")
        parser.add_argument(
            "--user", required=True, help="以该用户的身份和管辖范围导入（用户名）。"
        )
        parser.add_argument("--dry-run", action="store_true", help="只检查，不导入。")
        parser.add_argument(
            "--max-errors", type=int, default=200, help="最多列出多少处问题（默认200）。"
        )

    def handle(self, *args, **options):
        try:
            user = get_user_model().objects.get(username=options["user"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"没有用户“{options['user']}”。") from None
        resource = RESOURCES[options["resource"]]
        try:
            with open(options["file"], "rb") as fh:
                result = import_workbook(
                    resource=resource,
                    upload=fh,
                    user=user,
                    dry_run=options["dry_run"],
                    file_name=options["file"],
                )
        except FileNotFoundError:
            raise CommandError(f"找不到文件：{options['file']}") from None
        except (ImportFileError, PermissionDenied) as exc:
            raise CommandError(getattr(exc, "message", None) or str(exc)) from None
        for error in result.errors[: options["max_errors"]]:
            self.stderr.write(str(error))
        if len(result.errors) > options["max_errors"]:
            self.stderr.write(f"……另有 {len(result.errors) - options['max_errors']} 处问题未列出。")
        if not result.ok:
            raise CommandError(result.summary)
        self.stdout.write(self.style.SUCCESS(result.summary))
