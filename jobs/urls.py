"""Portal routes of the jobs under /jobs/."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/", views.job_panel, name="job-detail"),
    path("<int:pk>/errors.xlsx", views.job_errors, name="job-errors"),
    path("<int:pk>/output.xlsx", views.job_output, name="job-output"),
    path("report/", views.job_start_report_view, name="job-start-report"),
    path("export/<slug:resource>/", views.job_start_export_view, name="job-start-export"),
]
