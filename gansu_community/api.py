"""Shared pieces of the REST API: pagination and error answers."""

from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(PageNumberPagination):
    """``?page=`` and ``?page_size=`` (at most 1000), as API.md writes."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000


def exception_handler(exc, context):
    """Answer errors with DRF's field-keyed bodies."""
    return drf_exception_handler(exc, context)
