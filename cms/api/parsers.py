"""A JSON parser that refuses documents nested deeper than any API body needs.

Python's ``json`` raises ``RecursionError`` (not ``ValueError``) around depth
1,000, which DRF's parser does not catch: a body of 10,000 brackets answered
500. Our deepest body (a device with ``subscription.keys``) is 3 levels; 32
leaves room and keeps the depth walk cheap.
"""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from django.utils.translation import gettext as _

MAX_DEPTH = 32


def _too_deep(value, depth: int = 1) -> bool:
    if depth > MAX_DEPTH:
        return True
    if isinstance(value, dict):
        return any(_too_deep(item, depth + 1) for item in value.values())
    if isinstance(value, list):
        return any(_too_deep(item, depth + 1) for item in value)
    return False


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(_("Die JSON-Daten sind zu tief verschachtelt.")) from error
        if _too_deep(data):
            raise ParseError(_("Die JSON-Daten sind zu tief verschachtelt."))
        return data
