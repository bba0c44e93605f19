"""API routes of the service standards."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .api import ServiceStandardViewSet, StandardCheckViewSet

router = SimpleRouter()
router.register("service-standards", ServiceStandardViewSet, basename="api-service-standard")
router.register("standard-checks", StandardCheckViewSet, basename="api-standard-check")

urlpatterns = [path("", include(router.urls))]
