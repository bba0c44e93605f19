"""Community teams pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("teams/", views.overview, name="teams-overview"),
    path("teams/training/", views.training, name="teams-training"),
    path("teams/communities/<str:code>/", views.community_teams, name="teams-community"),
    path(
        "communities/<str:code>/committees/new/",
        views.CommitteeCreateView.as_view(),
        name="committee-create",
    ),
    path("committees/<int:pk>/edit/", views.CommitteeUpdateView.as_view(), name="committee-edit"),
    path(
        "committees/<int:pk>/delete/", views.CommitteeDeleteView.as_view(), name="committee-delete"
    ),
    path(
        "communities/<str:code>/entrusted-projects/new/",
        views.ProjectCreateView.as_view(),
        name="entrusted-project-create",
    ),
    path(
        "streets/<str:code>/entrusted-projects/new/",
        views.StreetProjectCreateView.as_view(),
        name="street-entrusted-project-create",
    ),
    path(
        "entrusted-projects/<int:pk>/edit/",
        views.ProjectUpdateView.as_view(),
        name="entrusted-project-edit",
    ),
    path(
        "entrusted-projects/<int:pk>/delete/",
        views.ProjectDeleteView.as_view(),
        name="entrusted-project-delete",
    ),
    path(
        "training-plans/new/", views.TrainingPlanCreateView.as_view(), name="training-plan-create"
    ),
    path(
        "training-plans/<int:pk>/edit/",
        views.TrainingPlanUpdateView.as_view(),
        name="training-plan-edit",
    ),
    path(
        "training-plans/<int:pk>/delete/",
        views.TrainingPlanDeleteView.as_view(),
        name="training-plan-delete",
    ),
]
