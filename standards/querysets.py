"""Filters over the service standards and their self-checks."""

from django.db import models

from core.scoping import ScopedQuerySet


class ServiceStandardQuerySet(models.QuerySet):
    def under(self, code):
        return self.all()

    def visible_to(self, user):
        return self.all() if user is not None and user.is_authenticated else self.none()


class StandardCheckQuerySet(ScopedQuerySet):
    def awaiting_review(self):
        return self.filter(status="submitted")
