"""Form widgets for the browsers' own date and time pickers.

An ``<input type="date">`` only takes ISO values (``2026-12-01``); Django's
widgets render the active language's format (``01.12.2026`` in German), which
the browser rejects and shows as an empty field. These widgets always render
ISO; what a citizen sees and types is the browser's localised picker.
"""

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")
