from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = "专项经费与年度目标"

    def ready(self):
        from targets.report import register_report_section
        from targets.year_targets import register_set_targets

        from . import policies  # noqa: F401
        from .report import funding_section
        from .year_targets import set_targets

        register_report_section(funding_section)
        register_set_targets(set_targets)
