from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = "社区队伍"

    def ready(self):
        from . import policies  # noqa: F401
        from .report import register_sheets

        register_sheets()
