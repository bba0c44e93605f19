"""Abstract bases shared by the domain apps."""

from django.db import models


class VersionedModel(models.Model):
    """A record that carries an optimistic-concurrency version and timestamps."""

    version = models.PositiveIntegerField("版本", default=1, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True
