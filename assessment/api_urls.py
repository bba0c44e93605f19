"""API routes of the 目标考核 (API.md, Assessment)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .api import AssessmentViewSet, SchemeViewSet

router = SimpleRouter()
router.register("assessment-schemes", SchemeViewSet, basename="api-assessment-scheme")
router.register("assessments", AssessmentViewSet, basename="api-assessment")

urlpatterns = [path("", include(router.urls))]
