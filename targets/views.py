"""Compliance dashboards: indicator cards, next-level chart, progress, failing communities."""

from django.http import Http404
from django.shortcuts import render

from gansu_community.scoping import code_is_under, user_scope_code


def check_scope(request, code: str) -> None:
    """Answer 404 for a code outside the user's scope."""
    if not code.isdigit() or not code_is_under(code, user_scope_code(request.user)):
        raise Http404("不在管辖范围内")


def dashboard(request, code):
    check_scope(request, code)
    return render(request, "targets/placeholder.html", {"code": code})


def dashboard_chart(request, code):
    check_scope(request, code)
    return render(request, "targets/placeholder.html", {"code": code})


def failing_communities(request, code, indicator):
    check_scope(request, code)
    return render(request, "targets/placeholder.html", {"code": code})
