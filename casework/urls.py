"""Portal routes of the 民情流水线."""

from django.urls import path

from . import exports, views

urlpatterns = [
    path("casework/", views.home_view, name="casework-home"),
    path("casework/new/", views.register_view, name="case-register"),
    path("casework/queue/", views.queue_view, name="case-queue"),
    path("casework/cases/<int:pk>/", views.case_view, name="case-detail"),
    path("casework/cases/<int:pk>/rate/", views.rate_view, name="case-rate"),
    path("casework/cases/<int:pk>/<slug:name>/", views.step_view, name="case-step"),
    path("casework/dashboard/<str:code>/", views.dashboard_view, name="casework-dashboard"),
    path("casework/export.xlsx", exports.export_view, name="casework-export"),
    path("casework/import/", views.import_view, name="casework-import"),
    path("casework/template.xlsx", exports.template_view, name="casework-template"),
]
