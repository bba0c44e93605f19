"""API routes under /api/v1/: reports (workbooks) and imports (API.md, Reports)."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "reports/compliance.xlsx",
        views.api(views.ComplianceReportAPI.as_view()),
        name="api-report-compliance",
    ),
    path(
        "reports/<slug:resource>.xlsx",
        views.api(views.ResourceExportAPI.as_view()),
        name="api-report-resource",
    ),
    path(
        "imports/<slug:resource>/template.xlsx",
        views.api(views.TemplateAPI.as_view()),
        name="api-import-template",
    ),
    path("imports/<slug:resource>/", views.api(views.ImportAPI.as_view()), name="api-import"),
]
