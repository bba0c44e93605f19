"""Refuse requests whose address carries characters no database or page can hold."""

from urllib.parse import unquote

from django.http import Http404, HttpResponseBadRequest

BAD_QUERY = "请求参数中含有无效字符（空字符），请检查链接。"


class RejectNullCharactersMiddleware:
    """Answer 404 to a NUL character in the path and 400 to one in the query string.

    PostgreSQL cannot store or compare text holding NUL, so such a value reaching a lookup
    would end in a server error; nothing legitimate ever sends one. No page lives at such a
    path (404, like any unknown key); a query parameter is bad input (400). Form and API
    fields already refuse NUL in request bodies.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise Http404("请求地址中含有无效字符。")
        if "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            return HttpResponseBadRequest(BAD_QUERY, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
