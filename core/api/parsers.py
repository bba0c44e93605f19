"""The API's JSON parser: a body nested deeper than any record answers 400, never 500.

Python's JSON decoder recurses once per level: about a thousand ``[`` (2 KB) raise
RecursionError, which DRF does not catch. No request of this API nests more than a few
levels, so a body deeper than ``MAX_DEPTH`` is refused before it is decoded.
"""

import io
import re

from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32
STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
BRACKETS = re.compile(rb"[\[\]{}]")
TOO_DEEP = f"请求内容的 JSON 嵌套层数过多（最多 {MAX_DEPTH} 层）。"


def nesting_depth(data: bytes) -> int:
    """Return how deep the arrays and objects of a JSON text nest (strings ignored)."""
    depth = deepest = 0
    for bracket in BRACKETS.findall(STRINGS.sub(b"", data)):
        if bracket in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = stream.read() if stream is not None else b""
        if nesting_depth(data) > MAX_DEPTH:
            raise ParseError(TOO_DEEP)
        try:
            return super().parse(io.BytesIO(data), media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
