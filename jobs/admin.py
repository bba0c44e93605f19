"""The task queue's own rows (arguments, tracebacks) are no page of the portal's admin: the
jobs are read in the portal and the API, inside their starter's scope."""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
