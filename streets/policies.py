"""The hierarchy above communities is official reference data: administrators write it."""

from core.policy import AdminWritesPolicy, register

from .models import Division, Street

register(Division, AdminWritesPolicy)
register(Street, AdminWritesPolicy)
