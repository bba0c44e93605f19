from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "民情流水线"

    def ready(self):
        from targets.report import register_report_section

        from . import policies  # noqa: F401
        from .report import casework_sheet

        register_report_section(casework_sheet)
