"""Compliance and plan routes under /api/v1/ (API.md)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import api

# The API authenticates by session or token inside DRF and answers 401/403 itself, so the
# site-wide login redirect must not intercept it.
plan_list = api.PlanViewSet.as_view({"get": "list", "post": "create"})
plan_detail = api.PlanViewSet.as_view(
    {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
)

urlpatterns = [
    path("compliance/", login_not_required(api.ComplianceView.as_view()), name="api-compliance"),
    path(
        "compliance/communities/",
        login_not_required(api.CommunityComplianceView.as_view()),
        name="api-compliance-communities",
    ),
    path(
        "compliance/streets/",
        login_not_required(api.StreetComplianceView.as_view()),
        name="api-compliance-streets",
    ),
    path("plans/", login_not_required(plan_list), name="api-plan-list"),
    path("plans/<slug:code>/", login_not_required(plan_detail), name="api-plan-detail"),
]
