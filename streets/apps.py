from django.apps import AppConfig


class StreetsConfig(AppConfig):
    name = "streets"
    verbose_name = "行政区划与街道"

    def ready(self):
        from . import policies  # noqa: F401
