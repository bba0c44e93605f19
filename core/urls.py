"""Pages every kind of record shares: its change history."""

from django.urls import path

from .history import record_history

urlpatterns = [
    path("history/<str:model>/<str:pk>/", record_history, name="record-history"),
]
