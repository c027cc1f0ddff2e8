"""Serializer fields every app's API shares, so a body and the schema say the same thing.

``IdField`` is a database id in a request body: 1 to 2**63 - 1, the range of PostgreSQL's ``bigint``
and SQLite's ``INTEGER`` (the same bound as the ``<id:…>`` URL converter, cms/converters.py). DRF's
``IntegerField`` takes any number; a lookup with one beyond 64 bits raised ``OverflowError`` on SQLite
and ``DataError`` on PostgreSQL (a 500) instead of finding nothing.

``LocalTimeField`` is a wall-clock time in Norderstedt (opening hours), written ``08:00:00``. OpenAPI's
``format: time`` is RFC 3339's ``full-time``, which requires an offset (``08:00:00+01:00``); the
schema says what the answer really is instead: ``HH:MM:SS`` local time, no offset.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from django.utils.translation import gettext_lazy as _

from cms.converters import MAX_ID

LOCAL_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"


class IdField(serializers.IntegerField):
    default_error_messages = {
        "invalid": _("Bitte geben Sie eine Nummer an."),
        "min_value": _("Diese Nummer gibt es nicht."),
        "max_value": _("Diese Nummer gibt es nicht."),
        "max_string_length": _("Diese Nummer gibt es nicht."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


@extend_schema_field(
    {
        "type": "string",
        "pattern": LOCAL_TIME_PATTERN,
        "example": "08:00:00",
        "description": "Local time in Norderstedt (Europe/Berlin), HH:MM:SS without an offset.",
    }
)
class LocalTimeField(serializers.TimeField):
    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%H:%M:%S")
        super().__init__(**kwargs)
