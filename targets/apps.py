from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "targets"
    verbose_name = "规划与达标"

    def ready(self):
        from . import policies  # noqa: F401
