"""填报进度 pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("reporting/<str:code>/", views.progress, name="reporting-progress"),
    path(
        "reporting/<str:code>/approve-unit/", views.approve_unit_view, name="reporting-approve-unit"
    ),
]
