"""Yearly statistics, approvals, social organisations and the community's own edit page."""

from django.urls import path

from . import views

urlpatterns = [
    path("communities/<str:pk>/edit/", views.CommunityUpdateView.as_view(), name="community-edit"),
    path("communities/<str:code>/stats/new/", views.StatCreateView.as_view(), name="stat-create"),
    path("stats/<int:pk>/", views.stat_detail, name="stat-detail"),
    path("stats/<int:pk>/edit/", views.StatUpdateView.as_view(), name="stat-edit"),
    path("stats/<int:pk>/delete/", views.StatDeleteView.as_view(), name="stat-delete"),
    path("stats/<int:pk>/submit/", views.stat_submit_view, name="stat-submit"),
    path("stats/<int:pk>/approve/", views.stat_approve_view, name="stat-approve"),
    path("stats/<int:pk>/return/", views.stat_return_view, name="stat-return"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/approve/", views.approvals_bulk, name="approvals-bulk"),
    path(
        "communities/<str:code>/social-organizations/new/",
        views.SocialOrganizationCreateView.as_view(),
        name="social-organization-create",
    ),
    path(
        "social-organizations/<int:pk>/edit/",
        views.SocialOrganizationUpdateView.as_view(),
        name="social-organization-edit",
    ),
    path(
        "social-organizations/<int:pk>/delete/",
        views.SocialOrganizationDeleteView.as_view(),
        name="social-organization-delete",
    ),
]
