"""Shared pieces of the REST API: pagination and error answers.

Settings name ``Pagination`` and ``exception_handler`` here, and DRF imports them while it
loads its generic views, so this module imports nothing of DRF's views at import time; the
base classes of the resources live in ``core.api.base``.
"""

from collections.abc import Mapping

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from core.services import StaleVersionError

NON_FIELD_KEY = "non_field_errors"


class Pagination(PageNumberPagination):
    """``?page=`` and ``?page_size=`` (at most 1000), as API.md writes."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000


# -- errors -------------------------------------------------------------------------------


def django_errors(exc: DjangoValidationError, names: Mapping[str, str] | None = None) -> dict:
    """Turn a Django ValidationError into ``{"api_field": ["消息"]}``.

    Model field names become API names (``community`` → ``community_code``); ``__all__``
    becomes ``non_field_errors``. A constraint message already shown under a field is not
    repeated among the non-field errors.
    """
    names = names or {}
    if not hasattr(exc, "error_dict"):
        return {NON_FIELD_KEY: [str(m) for m in exc.messages]}
    result: dict[str, list[str]] = {}
    for field, errors in exc.message_dict.items():
        key = NON_FIELD_KEY if field == NON_FIELD_ERRORS else names.get(field, field)
        result.setdefault(key, []).extend(str(m) for m in errors)
    if NON_FIELD_KEY in result:
        shown = {m for key, msgs in result.items() if key != NON_FIELD_KEY for m in msgs}
        rest = [m for m in result[NON_FIELD_KEY] if m not in shown]
        if rest:
            result[NON_FIELD_KEY] = rest
        else:
            del result[NON_FIELD_KEY]
    return result


def exception_handler(exc, context):
    """Answer errors with DRF's field-keyed bodies; stale versions are 409, never a 500."""
    if isinstance(exc, StaleVersionError):
        return Response(
            {"detail": exc.message, "version": exc.current_version}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(django_errors(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, ProtectedError | RestrictedError):
        exc = exceptions.ValidationError(
            {NON_FIELD_KEY: ["该记录下仍有关联数据，不能删除；请先删除或转移下级数据。"]}
        )
    elif isinstance(exc, IntegrityError):
        exc = exceptions.ValidationError({NON_FIELD_KEY: ["数据与已有记录冲突，请刷新后重试。"]})
    elif isinstance(exc, Http404):
        # get_object_or_404 says "No <Model> matches the given query." in English; answer with
        # DRF's translated "未找到。" instead, and keep the portal's own (Chinese) messages.
        message = str(exc)
        exc = exceptions.NotFound(None if not message or message.isascii() else message)
    from rest_framework.views import exception_handler as drf_exception_handler

    return drf_exception_handler(exc, context)
