"""Routes of the 目标考核 pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("assessment/", views.home, name="assessment-home"),
    path("assessment/schemes/<int:pk>/", views.ranking, name="assessment-ranking"),
    path(
        "assessment/schemes/<int:pk>/ranking.xlsx",
        views.ranking_xlsx,
        name="assessment-ranking-xlsx",
    ),
    path("assessment/schemes/<int:pk>/launch/", views.launch, name="assessment-launch"),
    path("assessment/units/<str:code>/", views.unit_sheet, name="assessment-unit"),
    path("assessment/<int:pk>/", views.sheet, name="assessment-sheet"),
    path("assessment/<int:pk>/sheet.xlsx", views.sheet_xlsx, name="assessment-sheet-xlsx"),
    path("assessment/<int:pk>/scores/", views.enter, name="assessment-enter"),
    path("assessment/<int:pk>/<slug:name>/", views.step, name="assessment-step"),
    path("assessment/files/<int:pk>/", views.evidence_file, name="assessment-file"),
]
