"""Routes of the 资金投入 pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("funding/<str:code>/", views.funding_page, name="funding"),
]
