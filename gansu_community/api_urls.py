"""Routes of the REST API, version 1 (API.md)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from communities.api import CommunityStatViewSet, CommunityViewSet, SocialOrganizationViewSet
from core.api.base import TokenLoginView
from core.api.tokens import TokenListView, TokenLogoutView, TokenRevokeView
from facilities.api import FacilityViewSet
from streets.api import DivisionViewSet, StreetViewSet
from volunteers.api import (
    ServiceRecordViewSet,
    TransferRequestViewSet,
    VolunteerOrganizationViewSet,
    VolunteerViewSet,
)
from workforce.api import WorkerViewSet

router = SimpleRouter()
router.register("divisions", DivisionViewSet, basename="api-division")
router.register("streets", StreetViewSet, basename="api-street")
router.register("communities", CommunityViewSet, basename="api-community")
router.register("community-stats", CommunityStatViewSet, basename="api-community-stat")
router.register("facilities", FacilityViewSet, basename="api-facility")
router.register(
    "volunteer-organizations", VolunteerOrganizationViewSet, basename="api-volunteer-organization"
)
router.register("volunteers", VolunteerViewSet, basename="api-volunteer")
router.register("service-records", ServiceRecordViewSet, basename="api-service-record")
router.register("volunteer-transfers", TransferRequestViewSet, basename="api-volunteer-transfer")
router.register(
    "social-organizations", SocialOrganizationViewSet, basename="api-social-organization"
)
router.register("workers", WorkerViewSet, basename="api-worker")

urlpatterns = [
    path("auth/token/", TokenLoginView.as_view(), name="api-token"),
    path("auth/logout/", TokenLogoutView.as_view(), name="api-logout"),
    path("auth/tokens/", TokenListView.as_view(), name="api-tokens"),
    path("auth/tokens/<str:token_key>/", TokenRevokeView.as_view(), name="api-token-revoke"),
    path("", include(router.urls)),
    path("", include("targets.api_urls")),
    path("", include("excel.api_urls")),
    path("", include("funding.api_urls")),
    path("", include("standards.api_urls")),
    path("", include("teams.api_urls")),
    path("", include("certificates.api_urls")),
    path("", include("reporting.api_urls")),
    path("", include("casework.api_urls")),
    path("", include("assessment.api_urls")),
    path("", include("jobs.api_urls")),
]
