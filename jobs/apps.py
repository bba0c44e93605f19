from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "后台任务"

    def ready(self):
        from . import policies  # noqa: F401
