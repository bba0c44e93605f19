from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = "目标考核"

    def ready(self):
        from . import policies  # noqa: F401
