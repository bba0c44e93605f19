"""填报进度 and 数据质量 pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/count/", views.inbox_count, name="inbox-count"),
    path("inbox/read-all/", views.inbox_read_all, name="inbox-read-all"),
    path("inbox/<int:pk>/open/", views.inbox_open, name="inbox-open"),
    path("reporting/<str:code>/urge/", views.urge_view, name="reporting-urge"),
    path("reporting/<str:code>/", views.progress, name="reporting-progress"),
    path("reporting/<str:code>/summary/", views.summary, name="reporting-summary"),
    path("reporting/<str:code>/quality/", views.quality, name="reporting-quality"),
    path(
        "reporting/<str:code>/approve-unit/", views.approve_unit_view, name="reporting-approve-unit"
    ),
]
