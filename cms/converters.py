"""URL converters shared by every app's ``urls.py`` and ``api.py``.

``<id:pk>`` matches a database id: 1 to 19 digits and at most 2**63 - 1, the
largest value of PostgreSQL's ``bigint`` and SQLite's ``INTEGER``. Django's
``<int:…>`` accepts any number of digits, and a lookup with a number beyond 64
bits raises ``OverflowError`` on SQLite (a 500) instead of finding nothing.
A path that does not convert does not match, so it answers 404 everywhere.
"""

MAX_ID = 2**63 - 1


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)
        return number

    def to_url(self, value) -> str:
        return str(int(value))
