"""Routes of the compliance dashboards and of the community and street pages."""

from django.urls import path

from . import community_pages, search, views

urlpatterns = [
    path("search/", search.search_page, name="search"),
    path("dashboard/<str:code>/", views.dashboard, name="dashboard"),
    path("dashboard/<str:code>/chart/", views.dashboard_chart, name="dashboard-chart"),
    path("dashboard/<str:code>/progress/", views.dashboard_progress, name="dashboard-progress"),
    path(
        "dashboard/<str:code>/failing/<str:indicator>/",
        views.failing_communities,
        name="failing-communities",
    ),
    path("dashboard/<str:code>/failing-count/", views.failing_count, name="failing-count"),
    path("communities/<str:code>/", community_pages.community_detail, name="community-detail"),
    path(
        "streets/<str:code>/communities/",
        community_pages.street_communities,
        name="street-communities",
    ),
]
