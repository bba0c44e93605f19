"""Funding routes under /api/v1/ (API.md, "Money and yearly targets")."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("budget-lines", api.BudgetLineViewSet, basename="api-budget-line")
router.register("yearly-targets", api.YearlyTargetViewSet, basename="api-yearly-target")

urlpatterns = [
    path("funding/", login_not_required(api.FundingView.as_view()), name="api-funding"),
    path("", include(router.urls)),
]
