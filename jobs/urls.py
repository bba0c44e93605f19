"""Portal routes of the jobs under /jobs/."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/", views.job_panel, name="job-detail"),
    path("<int:pk>/errors.xlsx", views.job_errors, name="job-errors"),
]
