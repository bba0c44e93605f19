"""Facility entry pages."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "communities/<str:code>/facilities/new/",
        views.FacilityCreateView.as_view(),
        name="facility-create",
    ),
    path(
        "streets/<str:code>/facilities/new/", views.CentreCreateView.as_view(), name="centre-create"
    ),
    path("facilities/<int:pk>/edit/", views.FacilityUpdateView.as_view(), name="facility-edit"),
    path("facilities/<int:pk>/delete/", views.FacilityDeleteView.as_view(), name="facility-delete"),
]
