"""Refuse requests whose address carries characters no database or page can hold."""

from urllib.parse import unquote

from django.http import HttpResponseBadRequest

BAD_REQUEST = "请求地址中含有无效字符（空字符），请检查链接。"


class RejectNullCharactersMiddleware:
    """Answer 400 to a NUL character in the path or the query string.

    PostgreSQL cannot store or compare text holding NUL, so such a value reaching a lookup
    would end in a server error; nothing legitimate ever sends one. Form fields and API
    fields already refuse NUL in request bodies.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "\x00" in unquote(query) or "\x00" in request.path_info:
            return HttpResponseBadRequest(BAD_REQUEST, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
