from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "standards"
    verbose_name = "社区服务标准"

    def ready(self):
        from . import policies  # noqa: F401
        from .report import register_sheets

        register_sheets()
