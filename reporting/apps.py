from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "年度填报"

    def ready(self):
        from communities import cycle

        from . import policies  # noqa: F401
        from .models import year_rules
        from .quality import problems_of

        cycle.install(year_rules)
        cycle.install_checks(problems_of)

        from communities.signals import stat_transitioned

        from .messages import on_step

        stat_transitioned.connect(on_step, dispatch_uid="reporting-messages")

        from targets.report import register_report_section

        from .report import SHEET_TITLE, reporting_sheet

        register_report_section(reporting_sheet, sheets=[SHEET_TITLE])
