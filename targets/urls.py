"""Routes of the compliance dashboards."""

from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/<str:code>/", views.dashboard, name="dashboard"),
    path("dashboard/<str:code>/chart/", views.dashboard_chart, name="dashboard-chart"),
    path("dashboard/<str:code>/progress/", views.dashboard_progress, name="dashboard-progress"),
    path(
        "dashboard/<str:code>/failing/<str:indicator>/",
        views.failing_communities,
        name="failing-communities",
    ),
]
