"""填报进度 and 数据质量 pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("reporting/<str:code>/", views.progress, name="reporting-progress"),
    path("reporting/<str:code>/quality/", views.quality, name="reporting-quality"),
    path(
        "reporting/<str:code>/approve-unit/", views.approve_unit_view, name="reporting-approve-unit"
    ),
]
