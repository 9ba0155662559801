"""The API's JSON parser: a body nested deeper than MAX_JSON_DEPTH is a 400, not a crash.
(Its own module: config.api imports rest_framework.views, which reads the parser setting.)"""

import re

from rest_framework import exceptions
from rest_framework.parsers import JSONParser

# How deep a JSON body may nest: the deepest request the API describes (an event's channel
# profile bands) nests 4; Python's parser recurses and fails past about 1,000.
MAX_JSON_DEPTH = 32
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in a JSON text (strings left out); 0 for a scalar."""
    depth = deepest = 0
    for bracket in _BRACKET.finditer(_STRING.sub("", text)):
        if bracket[0] in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, refusing a body nested deeper than MAX_JSON_DEPTH with a 400 before
    it is parsed (the request size is bounded by DATA_UPLOAD_MAX_MEMORY_SIZE)."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", "utf-8")
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as error:
            raise exceptions.ParseError(f"JSON parse error - {error}") from None
        if json_depth(text) > MAX_JSON_DEPTH:
            raise exceptions.ParseError(
                f"JSON parse error - the body is nested deeper than {MAX_JSON_DEPTH} levels."
            )
        return super().parse(_Bytes(raw), media_type, parser_context)


class _Bytes:
    """The body again, as a stream for JSONParser (which reads and decodes it)."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw

    def read(self, *args) -> bytes:
        raw, self.raw = self.raw, b""
        return raw
