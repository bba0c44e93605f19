"""Routes of the request pipeline under /api/v1/ (API.md, Casework)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("case-categories", api.CaseCategoryViewSet, basename="api-case-category")
router.register("handling-units", api.HandlingUnitViewSet, basename="api-handling-unit")
router.register("cases", api.CaseViewSet, basename="api-case")

urlpatterns = [
    path("", include(router.urls)),
    path(
        "casework/measures/",
        login_not_required(api.MeasuresView.as_view()),
        name="api-casework-measures",
    ),
]
