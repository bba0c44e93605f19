"""Routes of the REST API, version 1 (API.md)."""

from django.urls import include, path

urlpatterns = [
    path("", include("targets.api_urls")),
    path("", include("gansu_community.excel.api_urls")),
]
