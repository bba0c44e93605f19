"""Reporting-cycle routes under /api/v1/ (API.md, Reporting cycle)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import api

period_list = api.PeriodViewSet.as_view({"get": "list", "post": "create"})
period_detail = api.PeriodViewSet.as_view(
    {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
)

urlpatterns = [
    path("reporting-periods/", login_not_required(period_list), name="api-period-list"),
    path(
        "reporting-periods/<int:year>/", login_not_required(period_detail), name="api-period-detail"
    ),
    path("reporting/", login_not_required(api.ReportingView.as_view()), name="api-reporting"),
    path("reporting/late/", login_not_required(api.LateView.as_view()), name="api-reporting-late"),
    path(
        "reporting/approve-unit/",
        login_not_required(api.ApproveUnitView.as_view()),
        name="api-reporting-approve-unit",
    ),
]
