"""Service standard pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("standards/", views.overview, name="standards-overview"),
    path("standards/catalogue/", views.catalogue, name="standards-catalogue"),
    path("standards/reviews/", views.reviews, name="standard-reviews"),
    path("standards/facilities/<int:pk>/", views.facility_checks, name="standard-facility"),
    path(
        "standards/facilities/<int:pk>/checks/new/",
        views.CheckCreateView.as_view(),
        name="standard-check-create",
    ),
    path(
        "standard-checks/<int:pk>/edit/",
        views.CheckUpdateView.as_view(),
        name="standard-check-edit",
    ),
    path(
        "standard-checks/<int:pk>/delete/",
        views.CheckDeleteView.as_view(),
        name="standard-check-delete",
    ),
    path(
        "standard-checks/<int:pk>/attachment/", views.attachment, name="standard-check-attachment"
    ),
    path("standard-checks/<int:pk>/review/", views.review, name="standard-check-review"),
    path("standard-checks/<int:pk>/return/", views.return_check, name="standard-check-return"),
    path("standard-checks/<int:pk>/submit/", views.submit, name="standard-check-submit"),
]
