"""API routes of certificates: the resource and its PDF (API.md, volunteer record)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .api import CertificatePdfView, CertificateViewSet

router = SimpleRouter()
router.register("certificates", CertificateViewSet, basename="api-certificate")

urlpatterns = [
    path(
        "certificates/<str:number>.pdf",
        CertificatePdfView.as_view({"get": "retrieve"}),
        name="api-certificate-pdf",
    ),
    path("", include(router.urls)),
]
