from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "workforce"
    verbose_name = "社区工作者"

    def ready(self):
        from . import policies  # noqa: F401
