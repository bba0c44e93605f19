"""Volunteer register entry pages."""

from django.urls import path

from . import records_views, transfer_views, views

urlpatterns = [
    path(
        "communities/<str:code>/volunteer-organizations/new/",
        views.VolunteerOrganizationCreateView.as_view(),
        name="volunteer-organization-create",
    ),
    path(
        "volunteer-organizations/<int:pk>/edit/",
        views.VolunteerOrganizationUpdateView.as_view(),
        name="volunteer-organization-edit",
    ),
    path(
        "volunteer-organizations/<int:pk>/delete/",
        views.VolunteerOrganizationDeleteView.as_view(),
        name="volunteer-organization-delete",
    ),
    path(
        "communities/<str:code>/volunteers/new/",
        views.VolunteerCreateView.as_view(),
        name="volunteer-create",
    ),
    path("volunteers/<int:pk>/edit/", views.VolunteerUpdateView.as_view(), name="volunteer-edit"),
    path(
        "volunteers/<int:pk>/delete/", views.VolunteerDeleteView.as_view(), name="volunteer-delete"
    ),
    path("volunteers/<int:pk>/record/", records_views.volunteer_record, name="volunteer-record"),
    path(
        "communities/<str:code>/service-records/",
        records_views.service_record_list,
        name="service-record-list",
    ),
    path(
        "communities/<str:code>/service-records/bulk/",
        records_views.service_record_bulk,
        name="service-record-bulk",
    ),
    path(
        "service-records/<int:pk>/<slug:step>/",
        records_views.service_record_step,
        name="service-record-step",
    ),
    path(
        "communities/<str:code>/volunteer-transfers/new/",
        transfer_views.transfer_request_create_view,
        name="volunteer-transfer-create",
    ),
    path("volunteer-transfers/", transfer_views.transfer_list, name="volunteer-transfer-list"),
    path(
        "volunteer-transfers/<int:pk>/",
        transfer_views.transfer_detail,
        name="volunteer-transfer-detail",
    ),
    path(
        "volunteer-transfers/<int:pk>/<slug:step>/",
        transfer_views.transfer_step,
        name="volunteer-transfer-step",
    ),
]
