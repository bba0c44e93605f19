"""Pages every kind of record shares: its change history; the session's keep-alive."""

from django.urls import path

from .history import record_history
from .sessions import keep_alive

urlpatterns = [
    path("history/<str:model>/<str:pk>/", record_history, name="record-history"),
    path("session/keep-alive/", keep_alive, name="session-keep-alive"),
]
