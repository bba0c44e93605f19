"""API routes of the jobs: ``jobs/`` and ``jobs/{id}/``."""

from rest_framework.routers import SimpleRouter

from .api import JobViewSet

router = SimpleRouter()
router.register("jobs", JobViewSet, basename="api-job")

urlpatterns = router.urls
