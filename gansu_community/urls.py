"""Top-level routes: portal pages, Django admin, REST API and its documentation."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

admin.site.site_header = "甘肃省社区服务体系建设管理平台"
admin.site.site_title = "甘肃省社区服务体系建设管理平台"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("gansu_community.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("excel/", include("excel.urls")),
    path("jobs/", include("jobs.urls")),
    path("", include("core.urls")),
    path("", include("accounts.urls")),
    path("", include("targets.urls")),
    path("", include("communities.urls")),
    path("", include("facilities.urls")),
    path("", include("volunteers.urls")),
    path("", include("workforce.urls")),
    path("", include("funding.urls")),
    path("", include("standards.urls")),
    path("", include("teams.urls")),
    path("", include("certificates.urls")),
    path("", include("reporting.urls")),
    path("", include("casework.urls")),
    path("", include("assessment.urls")),
]
