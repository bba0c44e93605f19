from django.apps import AppConfig


class FacilitiesConfig(AppConfig):
    name = "facilities"
    verbose_name = "社区服务设施"

    def ready(self):
        from . import policies  # noqa: F401
