"""Certificate pages: public verification, and the staff's issue, detail, PDF and revoke."""

from django.urls import path

from . import views

urlpatterns = [
    path("verify/", views.verify_form, name="certificate-verify-form"),
    path("verify/<str:number>/", views.verify_result, name="certificate-verify"),
    path(
        "volunteers/<int:pk>/certificates/new/",
        views.certificate_issue_view,
        name="certificate-issue",
    ),
    path("certificates/<str:number>/", views.certificate_detail, name="certificate-detail"),
    path("certificates/<str:number>/pdf/", views.certificate_download, name="certificate-download"),
    path(
        "certificates/<str:number>/revoke/",
        views.certificate_revoke_view,
        name="certificate-revoke",
    ),
]
