"""API routes of the community teams."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("committees", api.CommitteeViewSet, basename="api-committee")
router.register("training-plans", api.TrainingPlanViewSet, basename="api-training-plan")
router.register("entrusted-projects", api.EntrustedProjectViewSet, basename="api-entrusted-project")

urlpatterns = [
    path("teams/", login_not_required(api.TeamsView.as_view()), name="api-teams"),
    path("", include(router.urls)),
]
