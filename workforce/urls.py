"""Community worker entry pages."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "communities/<str:code>/workers/new/",
        views.WorkerCreateView.as_view(),
        name="worker-create",
    ),
    path("workers/<int:pk>/edit/", views.WorkerUpdateView.as_view(), name="worker-edit"),
    path("workers/<int:pk>/delete/", views.WorkerDeleteView.as_view(), name="worker-delete"),
]
