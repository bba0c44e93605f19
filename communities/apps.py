from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = "社区与年度统计"

    def ready(self):
        from . import policies  # noqa: F401
