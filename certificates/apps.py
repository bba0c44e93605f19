from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = "志愿服务证明"

    def ready(self):
        from . import policies  # noqa: F401
