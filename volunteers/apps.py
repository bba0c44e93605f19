from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = "志愿者"

    def ready(self):
        from . import policies  # noqa: F401
