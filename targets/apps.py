from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TargetsConfig(AppConfig):
    name = "targets"
    verbose_name = "规划与达标"

    def ready(self):
        from core.figures import figures_keeper_set

        from . import policies  # noqa: F401
        from .figures import Keeper, figures_fill
        post_migrate.connect(figures_fill, sender=self)
        figures_keeper_set(Keeper())
